"""Every citation's lines hold something of its record."""

from __future__ import annotations

from dashboard import citations
from dashboard.catalog import TABLES_DIR, load_catalog
from dashboard.text_files import read_raw


def _data():
    tables = load_catalog()
    return tables, {t: read_raw(TABLES_DIR / f"{t}.csv") for t in tables}


def test_every_citation_holds_its_record():
    tables, raws = _data()
    assert citations.check_citations(tables, raws) == []


def test_the_committed_seed_is_the_brochure_text():
    assert len(citations.default_seed()) == 960  # 959 lines and the final newline
    assert citations.default_seed()[0].strip() == "ASEAN ESCモデル都市プログラム"


def test_a_range_that_misses_its_record_fails():
    tables, raws = _data()
    facts = raws["brochure_facts"].copy()
    facts.loc[facts["fact_id"] == "jaif_established", "source_ref"] = "esc.intro L47-50"
    issues = citations.check_citations(tables, {**raws, "brochure_facts": facts})
    assert [(i.line, i.rule) for i in issues] == [(2, "citation")]


def test_a_reading_note_on_the_wrong_line_fails():
    tables, raws = _data()
    notes = raws["reading_notes"].copy()
    notes.loc[notes["note_id"] == "r11", "seed_line"] = "285"
    issues = citations.check_citations(tables, {**raws, "reading_notes": notes})
    assert [i.column for i in issues] == ["seed_line"]


def test_reversed_runs_are_matched_read_back():
    assert citations.holds("市ヤバラス", {"スラバヤ市"}) == ["スラバヤ市"]
