"""Check tables against the schema their sidecar declares.

Every problem becomes an :class:`Issue` naming the file, the line (the header is
line 1, so the first data row is line 2), the column and the rule broken.
The ``check_*`` functions never raise on bad data: callers decide whether
issues are fatal. The readers (:func:`read_text`, :func:`read_raw`) raise a
:class:`DataError` instead, since a file that cannot be read has no rows to check.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import pycountry

from dashboard.catalog import COLUMN_TYPES, Table, display_path

# User-defined ISO codes are not in pycountry; none are expected in the data.
ISO3_CODES = frozenset(c.alpha_3 for c in pycountry.countries)

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_SOURCE_PART = re.compile(r"^(?:(?P<section>[a-z0-9_]+\.[a-z0-9_]+))?\s*(?P<lines>L\d+(?:-\d+)?)?$")
# Bytes that are not UTF-8 decode to these lone surrogates under "surrogateescape";
# valid UTF-8 can never produce them, so finding one pinpoints a bad byte.
_NOT_UTF8 = re.compile("[\udc80-\udcff]+")
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


def _byte_list(text: str) -> str:
    """The undecodable bytes in ``text`` as '0xE9 0x93', at most four of them."""
    raw = [f"0x{ord(ch) - 0xDC00:02X}" for match in _NOT_UTF8.finditer(text) for ch in match.group()]
    return " ".join(raw[:4]) + (" …" if len(raw) > 4 else "")


def _fields(n: int) -> str:
    return f"{n} field" if n == 1 else f"{n} fields"


def _not_utf8(text: str) -> str:
    return f"has bytes that are not UTF-8 ({_byte_list(text)}); save the file as UTF-8"


def read_text(path: Path, file_label: str | None = None) -> str:
    """A file's text; bytes that are not UTF-8 become lone surrogates.

    Use :func:`encoding_issues` (or the cell-level check in :func:`read_raw`)
    to report them: decoding leniently first lets every bad line be named at
    once instead of only the first.

    Parameters
    ----------
    path : Path
    file_label : str, optional
        How to name the file in messages (default: relative to the repository).

    Raises
    ------
    DataError
        When the file does not exist or cannot be read.
    """
    label = file_label or display_path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataError([Issue(label, None, None, "missing", "does not exist")]) from None
    except IsADirectoryError:
        raise DataError([Issue(label, None, None, "unreadable", "is a folder, not a file")]) from None
    except OSError as err:
        raise DataError([Issue(label, None, None, "unreadable", f"cannot be read: {err.strerror or err}")]) from None
    return data.decode("utf-8", "surrogateescape").removeprefix("\ufeff")


def encoding_issues(text: str, file_label: str) -> list[Issue]:
    """One issue per line of ``text`` (from :func:`read_text`) holding bytes that are not UTF-8."""
    if not _NOT_UTF8.search(text):
        return []
    return [
        Issue(file_label, number, None, "encoding", _not_utf8(line))
        for number, line in enumerate(text.split("\n"), start=1)
        if _NOT_UTF8.search(line)
    ]


def read_raw(path: Path, file_label: str | None = None) -> pd.DataFrame:
    """Read a CSV with every cell as a string, empty cells as ''.

    Parameters
    ----------
    path : Path
    file_label : str, optional
        How to name the file in messages (default: relative to the repository).

    Returns
    -------
    pandas.DataFrame
        One row per record, columns as in the header, in file order.

    Raises
    ------
    DataError
        When the file is missing or unreadable, is empty, holds bytes that are
        not UTF-8, has an empty or repeated header name, a blank line between
        rows, or a row with more or fewer fields than the header. Each issue
        names the line, and the column where there is one.
    """
    label = file_label or display_path(path)
    text = read_text(path, label)
    issues: list[Issue] = []
    # The csv module instead of pandas: pandas silently turns an extra field in
    # the first row into an index, pads short rows, and skips blank lines, all of
    # which would shift or hide what the checks report.
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[tuple[int, list[str]]] = []
    blank: list[int] = []
    try:
        while True:
            start = reader.line_num + 1
            try:
                record = next(reader)
            except StopIteration:
                break
            if not record:
                blank.append(start)
                continue
            issues += [Issue(label, b, None, "blank", "is empty; delete the blank line") for b in blank]
            blank = []
            records.append((start, record))
    except csv.Error as err:
        issues.append(Issue(label, reader.line_num, None, "csv", f"cannot be parsed: {err}"))
    if not records:
        if not issues:
            issues.append(Issue(label, None, None, "empty", "is empty; it needs at least a header line"))
        raise DataError(issues)
    (_, header), rows = records[0], records[1:]
    seen: set[str] = set()
    for i, name in enumerate(header, start=1):
        if _NOT_UTF8.search(name):
            continue
        if not name.strip():
            issues.append(Issue(label, 1, None, "columns", f"header field {i} has no name"))
        elif name in seen:
            issues.append(Issue(label, 1, name, "columns", "appears more than once in the header"))
        seen.add(name)
    for line, record in records:
        for i, cell in enumerate(record):
            if _NOT_UTF8.search(cell):
                column = header[i] if i < len(header) and not _NOT_UTF8.search(header[i]) else None
                issues.append(Issue(label, line, column, "encoding", _not_utf8(cell)))
    width = len(header)
    for line, record in rows:
        if len(record) > width:
            issues.append(
                Issue(
                    label,
                    line,
                    None,
                    "fields",
                    f"has {_fields(len(record))} but the header has {width}; "
                    "is there a stray comma? Put a value that contains commas in double quotes",
                )
            )
        elif len(record) < width:
            missing = header[len(record) :]
            issues.append(
                Issue(
                    label,
                    line,
                    missing[0],
                    "fields",
                    f"has {_fields(len(record))} but the header has {width}; "
                    f"missing from here on: {', '.join(missing)}",
                )
            )
    if issues:
        raise DataError(issues)
    return pd.DataFrame([r for _, r in rows], columns=header, dtype=str)
