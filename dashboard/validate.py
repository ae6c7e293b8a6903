"""Check tables against the schema their sidecar declares.

Every problem becomes an :class:`Issue` naming the file, the line (the header is
line 1, so the first data row is line 2), the column and the rule broken.
The ``check_*`` functions never raise on bad data: callers decide whether
issues are fatal. The readers (:mod:`dashboard.text_files`) raise a
:class:`DataError` instead, since a file that cannot be read has no rows to check.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import pandas as pd
import pycountry

from dashboard.catalog import COLUMN_TYPES, Table

# User-defined ISO codes are not in pycountry; none are expected in the data.
ISO3_CODES = frozenset(c.alpha_3 for c in pycountry.countries)

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_SOURCE_PART = re.compile(r"^(?:(?P<section>[a-z0-9_]+\.[a-z0-9_]+))?\s*(?P<lines>L\d+(?:-\d+)?)?$")
# Every precision but 'exact' says in geocode_note what stands in for the place, or why there is none.
NEEDS_NOTE = ("approximate", "country", "unresolved")
_TRUE = {"true"}
_FALSE = {"false"}


@dataclass(frozen=True)
class Issue:
    """One broken rule at one place in one file."""

    file: str
    line: int | None
    column: str | None
    rule: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: [{self.rule}] {self.message}"


class DataError(ValueError):
    """Raised when a table that must be valid is not; carries every issue."""

    def __init__(self, issues: list[Issue]):
        self.issues = list(issues)
        shown = "\n".join(f"  {i}" for i in self.issues[:20])
        more = f"\n  … and {len(self.issues) - 20} more" if len(self.issues) > 20 else ""
        super().__init__(f"{len(self.issues)} data problem(s):\n{shown}{more}")


def parse_partial_date(text: str) -> date | None:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; None when it is not a real date."""
    m = _PARTIAL_DATE.match(text)
    if not m:
        return None
    year, month, day = int(m[1]), int(m[2] or 1), int(m[3] or 1)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _check_value(col, value: str) -> str | None:
    """The rule a non-empty cell breaks, as 'rule: message', or None."""
    kind = col.type
    if kind == "integer":
        if not re.fullmatch(r"-?\d+", value):
            return f"type: {value!r} is not a whole number"
    elif kind == "number":
        try:
            number = float(value)
        except ValueError:
            return f"type: {value!r} is not a number"
        if math.isnan(number) or math.isinf(number):
            return f"type: {value!r} is not a finite number"
    elif kind == "boolean":
        if value not in _TRUE | _FALSE:
            return f"type: {value!r} is not 'true' or 'false'"
    elif kind == "date":
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) or parse_partial_date(value) is None:
            return f"type: {value!r} is not a date YYYY-MM-DD"
    elif kind == "month":
        if not re.fullmatch(r"\d{4}-\d{2}", value) or parse_partial_date(value) is None:
            return f"type: {value!r} is not a month YYYY-MM"
    elif kind == "partial_date":
        if parse_partial_date(value) is None:
            return f"type: {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD"
    elif kind == "iso3":
        if value not in ISO3_CODES:
            return f"iso3: {value!r} is not an ISO 3166-1 alpha-3 code"
    elif kind == "source_ref":
        return _check_source_ref(value)
    if kind in ("integer", "number"):
        number = float(value)
        if col.min is not None and number < col.min:
            return f"range: {value} is below the minimum {col.min:g}"
        if col.max is not None and number > col.max:
            return f"range: {value} is above the maximum {col.max:g}"
    if col.enum:
        allowed = {str(v) for v in col.enum}
        if value not in allowed:
            return f"enum: {value!r} is not one of {sorted(allowed)}"
    if col.pattern and not re.search(col.pattern, value):
        return f"pattern: {value!r} does not match {col.pattern}"
    return None


def _check_source_ref(value: str) -> str | None:
    parts = [p.strip() for p in value.split(";")]
    for i, part in enumerate(parts):
        m = _SOURCE_PART.match(part)
        if not part or not m or not (m["section"] or m["lines"]):
            return f"source_ref: {part!r} is not 'section.id L<line>[-<line>]'"
        if i == 0 and not m["section"]:
            return f"source_ref: {value!r} must start with a section id"
    return None


def source_sections(value: str) -> list[str]:
    """The section ids a source_ref cites."""
    out = []
    for part in value.split(";"):
        m = _SOURCE_PART.match(part.strip())
        if m and m["section"]:
            out.append(m["section"])
    return out


def check_table(table: Table, raw: pd.DataFrame, file_label: str | None = None) -> list[Issue]:
    """Check one table read as strings against its declared schema.

    Parameters
    ----------
    table : Table
        The sidecar's schema.
    raw : pandas.DataFrame
        The CSV read with every cell as ``str`` (empty string for empty cells).
    file_label : str, optional
        How to name the file in messages (default: ``data/tables/<id>.csv``).

    Returns
    -------
    list of Issue
        Empty when the table is valid.
    """
    label = file_label or f"data/tables/{table.id}.csv"
    issues: list[Issue] = []
    declared = table.column_names
    actual = list(raw.columns)
    for name in declared:
        if name not in actual:
            issues.append(Issue(label, 1, name, "columns", "declared in the sidecar but missing from the header"))
    for name in actual:
        if name not in declared:
            issues.append(Issue(label, 1, name, "columns", "in the header but not declared in the sidecar"))
    for col in table.columns:
        if col.type not in COLUMN_TYPES:
            issues.append(
                Issue(label.replace(".csv", ".meta.yml"), None, col.name, "schema", f"unknown type {col.type!r}")
            )
    present = [c for c in table.columns if c.name in actual]
    for offset, row in enumerate(raw.itertuples(index=False)):
        line = offset + 2
        cells = dict(zip(actual, row))
        for col in present:
            value = cells[col.name]
            if value == "":
                if col.required:
                    issues.append(Issue(label, line, col.name, "required", "is empty"))
                continue
            if value != value.strip():
                issues.append(Issue(label, line, col.name, "whitespace", f"{value!r} has leading or trailing spaces"))
                continue
            problem = _check_value(col, value)
            if problem:
                rule, message = problem.split(": ", 1)
                issues.append(Issue(label, line, col.name, rule, message))
    for col in present:
        if col.unique:
            issues += _duplicates(label, raw, [col.name])
    if all(k in actual for k in table.key):
        issues += _duplicates(label, raw, list(table.key), rule="key")
    return issues


def _duplicates(label: str, raw: pd.DataFrame, columns: list[str], rule: str = "unique") -> list[Issue]:
    values = raw[columns].astype(str).agg("|".join, axis=1)
    nonempty = values[values.str.strip("|") != ""]
    dup = nonempty[nonempty.duplicated(keep="first")]
    name = "+".join(columns)
    return [Issue(label, int(i) + 2, name, rule, f"{values[i]!r} appears more than once") for i in dup.index]


def check_references(
    tables: Mapping[str, Table],
    raws: Mapping[str, pd.DataFrame],
    labels: Mapping[str, str] | None = None,
    known_tables: frozenset[str] | set[str] = frozenset(),
) -> list[Issue]:
    """Check every ``references: table.column`` and every source_ref section.

    A reference must name an existing value in the other table; a source_ref
    must cite a section listed in ``brochure_sections``.

    Parameters
    ----------
    tables : mapping of str to Table
        The tables whose columns are checked.
    raws : mapping of str to pandas.DataFrame
        Every table read as strings, including the ones referred to.
    labels : mapping of str to str, optional
        How to name each table's file (default: ``data/tables/<id>.csv``).
    known_tables : set of str, optional
        Tables that exist. A reference to one of them that is missing from
        ``raws`` is skipped: that table could not be read, which is reported
        already.
    """
    issues: list[Issue] = []
    labels = labels or {}
    sections = set(raws["brochure_sections"]["section_id"]) if "brochure_sections" in raws else set()
    for table_id, table in tables.items():
        raw = raws.get(table_id)
        if raw is None:
            continue
        label = labels.get(table_id, f"data/tables/{table_id}.csv")
        for col in table.columns:
            if col.name not in raw.columns:
                continue
            if col.references:
                target_table, target_col = col.references.split(".")
                target = raws.get(target_table)
                if target is None and target_table in known_tables:
                    continue
                if target is None or target_col not in target.columns:
                    issues.append(Issue(label, None, col.name, "reference", f"refers to unknown {col.references}"))
                    continue
                known = set(target[target_col])
                for offset, value in enumerate(raw[col.name]):
                    if value and value not in known:
                        issues.append(
                            Issue(label, offset + 2, col.name, "reference", f"{value!r} is not a {col.references}")
                        )
            if col.type == "source_ref" and sections:
                for offset, value in enumerate(raw[col.name]):
                    for section in source_sections(value):
                        if section not in sections:
                            issues.append(
                                Issue(
                                    label,
                                    offset + 2,
                                    col.name,
                                    "reference",
                                    f"section {section!r} is not in brochure_sections",
                                )
                            )
    return issues


def check_geocoding(table: Table, raw: pd.DataFrame, file_label: str | None = None) -> list[Issue]:
    """Rows with a place must not be 'unresolved'; rows without one must be.

    ``file_label`` names the file in messages (default: ``data/tables/<id>.csv``).
    """
    if not table.is_layer or "geocode_precision" not in raw.columns or not table.from_place:
        return []
    label = file_label or f"data/tables/{table.id}.csv"
    issues = []
    place_cols = [c for c in table.from_place if c in raw.columns]
    for offset, row in raw.reset_index(drop=True).iterrows():
        has_place = all(row[c] for c in place_cols)
        unresolved = row["geocode_precision"] == "unresolved"
        if has_place and unresolved:
            issues.append(
                Issue(label, offset + 2, "geocode_precision", "geocoding", "is 'unresolved' but the row names a place")
            )
        if not has_place and not unresolved:
            issues.append(
                Issue(
                    label,
                    offset + 2,
                    "geocode_precision",
                    "geocoding",
                    f"is {row['geocode_precision']!r} but {'/'.join(place_cols)} is empty",
                )
            )
        if row["geocode_precision"] in NEEDS_NOTE and "geocode_note" in raw.columns and not row["geocode_note"]:
            issues.append(
                Issue(
                    label,
                    offset + 2,
                    "geocode_note",
                    "geocoding",
                    f"must say why the location is {row['geocode_precision']}",
                )
            )
    return issues
