"""Source coverage: every line of the brochure is cited or registered as not data."""

from __future__ import annotations

from dashboard import coverage
from dashboard.__main__ import main
from dashboard.catalog import TABLES_DIR, load_catalog
from dashboard.citations import default_seed
from dashboard.text_files import read_raw


def test_every_line_is_cited_or_registered(capsys):
    tables = load_catalog()
    raws = {t: read_raw(TABLES_DIR / f"{t}.csv") for t in tables}
    result = coverage.coverage(default_seed(), tables, raws)
    assert result.uncovered == () and result.share == 1.0
    assert main(["coverage"]) == 0
    assert "100.0%" in capsys.readouterr().out


def test_dropping_a_register_row_uncovers_its_lines():
    tables = load_catalog()
    raws = {t: read_raw(TABLES_DIR / f"{t}.csv") for t in tables}
    register = raws["seed_lines_not_data"]
    raws["seed_lines_not_data"] = register[register["seed_lines"] != "221-264"]
    result = coverage.coverage(default_seed(), tables, raws)
    assert 223 in result.uncovered and 222 not in result.uncovered  # L222 is blank; L221 has a reading note
    assert coverage.spans((1, 2, 3, 7)) == [(1, 3), (7, 7)]
