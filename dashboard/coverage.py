"""Source coverage: which lines of the brochure text no record accounts for.

Like code coverage, for the brochure: a non-blank line is covered when a
record's ``source_ref`` cites it by line number (a bare section id covers
nothing: it does not say which lines hold the record), when a reading note
names it, or when ``seed_lines_not_data`` registers it, with a reason, as a
line that holds no data (map labels, ruby, headings, page furniture).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from dashboard.catalog import Table

_RANGE = re.compile(r"L(\d+)(?:-(\d+))?")
REGISTER = "seed_lines_not_data"


@dataclass(frozen=True)
class Coverage:
    total: int  # non-blank lines
    covered: frozenset[int]
    uncovered: tuple[int, ...]

    @property
    def share(self) -> float:
        return 1.0 if not self.total else (self.total - len(self.uncovered)) / self.total


def line_ranges(value: str) -> list[tuple[int, int]]:
    return [(int(a), int(b or a)) for a, b in _RANGE.findall(value)]


def _ranges_text(value: str) -> list[tuple[int, int]]:
    out = []
    for part in value.split(";"):
        a, _, b = part.strip().partition("-")
        out.append((int(a), int(b or a)))
    return out


def cited_lines(tables: Mapping[str, Table], raws: Mapping[str, pd.DataFrame]) -> set[int]:
    lines: set[int] = set()
    for table_id, table in tables.items():
        raw = raws.get(table_id)
        if raw is None:
            continue
        for col in table.columns:
            if col.type == "source_ref" and col.name in raw.columns:
                for value in raw[col.name]:
                    for a, b in line_ranges(value):
                        lines.update(range(a, b + 1))
    if "reading_notes" in raws:
        lines.update(int(n) for n in raws["reading_notes"]["seed_line"])
    if REGISTER in raws:
        for value in raws[REGISTER]["seed_lines"]:
            for a, b in _ranges_text(value):
                lines.update(range(a, b + 1))
    return lines


def coverage(
    seed: list[str] | tuple[str, ...], tables: Mapping[str, Table], raws: Mapping[str, pd.DataFrame]
) -> Coverage:
    cited = cited_lines(tables, raws)
    text_lines = [n for n, line in enumerate(seed, start=1) if line.strip()]
    uncovered = tuple(n for n in text_lines if n not in cited)
    return Coverage(len(text_lines), frozenset(cited), uncovered)


def spans(lines: tuple[int, ...]) -> list[tuple[int, int]]:
    """Consecutive line numbers as (first, last) spans."""
    out: list[tuple[int, int]] = []
    for n in lines:
        if out and n == out[-1][1] + 1:
            out[-1] = (out[-1][0], n)
        else:
            out.append((n, n))
    return out
