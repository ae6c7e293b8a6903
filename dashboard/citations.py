"""Do the cited lines hold the record? The citation check.

Every row's ``source_ref`` names a brochure section and line ranges in the
extracted text (``data/sources/brochure/``). A format check cannot tell that a
range misses its record, so each ``;``-separated part of a citation must hold
something from the row itself: a fragment of its Japanese text, a number or
year it states, or a URL or Latin name it quotes. Reversed runs (see
``reading_notes``) are matched read back as well as printed. A reading note
must find its raw text on its ``seed_line``.

Parts without line numbers cite their whole section (``brochure_sections``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from dashboard.catalog import SOURCES_DIR, Table
from dashboard.validate import Issue

SEED_PATH = SOURCES_DIR / "brochure" / "000_7539ee2a7e206b3d.txt"
_PART = re.compile(r"^(?:(?P<section>[a-z0-9_]+\.[a-z0-9_]+))?\s*(?:L(?P<start>\d+)(?:-(?P<end>\d+))?)?$")
_CJK = r"\u3040-\u30ff\u3400-\u9fff\uff10-\uff5a々ー"
_CJK_RUN = re.compile(rf"[{_CJK}A-Za-z0-9]*[{_CJK}][{_CJK}A-Za-z0-9]*")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_URL = re.compile(r"https?://[^\s)）,]+")
_LATIN_NAME = re.compile(r"\b[A-Z][A-Za-z]*[A-Z][A-Za-z]*\b")  # JCM, LoCARNet, UTM, GOSAT …
# Columns that describe the record rather than state it (line numbers, ids, the atlas's reasoning).
SKIP_COLUMNS = {
    "note",
    "signed_on_source",
    "signed_on_evidence",
    "signed_on_place",
    "geocode_note",
    "explanation",
    "source_ref",
    "affects",
    "read_as",
    "coordinate_source",
}
MIN_FRAGMENT = 3
# A needle found on more lines than this (ESC, JCM, 2014年) cannot tell one passage from another.
MAX_LINES = 6


@dataclass(frozen=True)
class Citation:
    section: str
    start: int
    end: int


def read_seed(path: Path = SEED_PATH) -> list[str]:
    """The extracted text's lines; line 1 is ``lines[0]``."""
    return path.read_text(encoding="utf-8").split("\n")


@lru_cache(maxsize=1)
def default_seed() -> tuple[str, ...]:
    return tuple(read_seed())


def section_ranges(sections: pd.DataFrame) -> dict[str, list[tuple[int, int]]]:
    """Each section's line ranges from ``brochure_sections.seed_lines`` ('5-50; 815-897')."""
    out = {}
    for sid, lines in zip(sections["section_id"], sections["seed_lines"]):
        ranges = []
        for part in lines.split(";"):
            a, _, b = part.strip().partition("-")
            ranges.append((int(a), int(b or a)))
        out[sid] = ranges
    return out


def parse(value: str, sections: Mapping[str, list[tuple[int, int]]]) -> list[Citation]:
    """The parts of a source_ref; a part without lines cites its section's ranges (one Citation each)."""
    out: list[Citation] = []
    section = ""
    for raw in value.split(";"):
        m = _PART.match(raw.strip())
        if not m:
            continue
        section = m["section"] or section
        if m["start"]:
            out.append(Citation(section, int(m["start"]), int(m["end"] or m["start"])))
        else:
            out += [Citation(section, a, b) for a, b in sections.get(section, ())]
    return out


@lru_cache(maxsize=1)
def default_sections() -> pd.DataFrame:
    from dashboard.io import load_table  # io checks citations: imported here, not at the top

    return load_table("brochure_sections")


def in_words(value: str, lang: str, sections: pd.DataFrame | None = None) -> str:
    """A ``source_ref`` as a reader reads it: the brochure's page and section title, then the lines.

    >>> in_words("esc.outcomes L124-128; esc.cities_table L291", "en")
    'Ministry of the Environment brochure (c. 2015): p. 3, “Programme outcomes (years 1 and 2)”, lines 124–128; p. 4, “Model cities by country (table and map)”, line 291'
    >>> in_words("jcm.signatories", "ja")
    '環境省パンフレット（2015年頃）：12ページ「二国間クレジット制度の署名国」'
    """
    if sections is None:
        return _in_words_of_the_brochure(str(value), lang)
    return _in_words(str(value), lang, sections)


@lru_cache(maxsize=1024)
def _in_words_of_the_brochure(value: str, lang: str) -> str:
    # Cards, captions and stories ask for the same few citations on every rerun of every session.
    return _in_words(value, lang, default_sections())


def _in_words(value: str, lang: str, sections: pd.DataFrame) -> str:
    from dashboard.i18n import t

    by_id = sections.set_index("section_id")
    title_column = "title_ja" if lang == "ja" else "title_en"
    parts: dict[str, list[str]] = {}
    section = ""
    for raw in str(value).split(";"):
        m = _PART.match(raw.strip())
        if not m or not (m["section"] or section):
            continue
        section = m["section"] or section
        lines = parts.setdefault(section, [])
        if m["start"]:
            end = m["end"] or m["start"]
            lines.append(m["start"] if end == m["start"] else f"{m['start']}–{end}")
    words = []
    for section, lines in parts.items():
        if section not in by_id.index:
            words.append(section)  # validate reports it; the reader still sees what is cited
            continue
        entry = by_id.loc[section]
        page = t("source.pages", lang, pages=str(entry["page_hint"]).removeprefix("p.").replace("-", "–"))
        text = t("source.section", lang, page=page, title=entry[title_column])
        if lines:
            key = "source.lines" if len(lines) > 1 or "–" in lines[0] else "source.line"
            text += t(key, lang, lines=t("filter.list_sep", lang).join(lines))
        words.append(text)
    return t("source.brochure", lang, parts=t("source.sep", lang).join(words))


def _squash(text: str) -> str:
    # NFKC: the extraction has compatibility ideographs (a variant 都) and full-width forms.
    return re.sub(r"[\s\u3000]+", "", unicodedata.normalize("NFKC", text))


def _variants(text: str) -> str:
    # Each line also read right to left, for runs the extraction reversed.
    lines = text.split("\n")
    return _squash("\n".join(lines)) + "\n" + "\n".join(_squash(line)[::-1] for line in lines)


def needles(row: Mapping[str, str], table: Table | None = None) -> set[str]:
    """What of a row can be looked for in the brochure's text."""
    out: set[str] = set()
    for col, value in row.items():
        if not value or col in SKIP_COLUMNS or col.endswith("_id") or col in ("feature_id", "place_id"):
            continue
        kind = table.column(col).type if table is not None and col in table.column_names else "string"
        if kind in ("date", "month", "partial_date"):
            parts = value.split("-")
            out.add(f"{parts[0]}年")
            if len(parts) > 1:
                out.add(f"{parts[0]}年{int(parts[1])}月")
            continue
        if kind in ("integer", "number"):
            number = value.removesuffix(".0")
            if len(number.lstrip("-")) >= 2:
                out.add(number)
            continue
        if kind != "string":
            continue
        for run in _CJK_RUN.findall(value):
            if len(run) >= MIN_FRAGMENT:
                out.add(run)
        out |= {u.rstrip("/.") for u in _URL.findall(value)}
        out |= {n for n in _LATIN_NAME.findall(value) if len(n) >= 3}
        out |= {n.replace(",", "") for n in _NUMBER.findall(value) if len(n.replace(",", "")) >= 3}
    return out


def holds(text: str, row_needles: Iterable[str]) -> list[str]:
    """The needles found in ``text`` (commas ignored in numbers)."""
    hay = _variants(text)
    plain = hay.replace(",", "")
    found = []
    for n in row_needles:
        squashed = _squash(n)
        if squashed in hay or squashed.replace(",", "") in plain:
            found.append(n)
            continue
        # Japanese text may be abridged or joined across cells: any fragment of it will do.
        if re.search(rf"[{_CJK}]", squashed) and len(squashed) > 6:
            pieces = [squashed[i : i + 6] for i in range(0, len(squashed) - 5, 3)]
            if any(p in hay for p in pieces):
                found.append(n)
    return found


def cited_text(seed: list[str] | tuple[str, ...], citation: Citation) -> str:
    return "\n".join(seed[citation.start - 1 : citation.end])


def check_citations(
    tables: Mapping[str, Table],
    raws: Mapping[str, pd.DataFrame],
    seed: list[str] | tuple[str, ...] | None = None,
    labels: Mapping[str, str] | None = None,
) -> list[Issue]:
    """An issue for each citation part whose lines hold nothing of its row, or that lies outside the text."""
    seed = seed if seed is not None else default_seed()
    labels = labels or {}
    squashed_lines = [_squash(line).replace(",", "") for line in seed]

    def telling(found: set[str]) -> set[str]:
        return {n for n in found if sum(_squash(n).replace(",", "") in line for line in squashed_lines) <= MAX_LINES}

    if "brochure_sections" not in raws:
        return []
    sections = section_ranges(raws["brochure_sections"])
    issues: list[Issue] = []
    for table_id, table in tables.items():
        raw = raws.get(table_id)
        if raw is None:
            continue
        label = labels.get(table_id, f"data/tables/{table_id}.csv")
        ref_cols = [c.name for c in table.columns if c.type == "source_ref" and c.name in raw.columns]
        for offset, row in enumerate(raw.to_dict("records")):
            line = offset + 2
            if table_id == "reading_notes":
                n = int(row["seed_line"])
                text = _squash(seed[n - 1]) if 0 < n <= len(seed) else ""
                # The raw text quotes the line, or pieces of it split by ' / ' and '…'.
                pieces = {_squash(p) for p in re.split(r"[/…,]|\(L\d+[^)]*\)| — ", row["raw_text"])}
                if not text or not any(p and (p == text or (len(p) >= 2 and (p in text or text in p))) for p in pieces):
                    issues.append(Issue(label, line, "seed_line", "citation", f"line {n} does not hold the raw text"))
                continue
            every = needles(row, table)
            # A name found everywhere still identifies a row that has nothing else (a city in the table).
            row_needles = telling(every) or {n for n in every if re.search(rf"[{_CJK}]", n)}
            for col in ref_cols:
                for cit in parse(row[col], sections):
                    if not (1 <= cit.start <= cit.end <= len(seed)):
                        issues.append(
                            Issue(label, line, col, "citation", f"L{cit.start}-{cit.end} is outside the text")
                        )
                        continue
                    if not holds(cited_text(seed, cit), row_needles):
                        issues.append(
                            Issue(
                                label,
                                line,
                                col,
                                "citation",
                                f"{cit.section} L{cit.start}-{cit.end} holds nothing of the row "
                                f"(looked for {len(row_needles)} fragments, names and numbers)",
                            )
                        )
    return issues
