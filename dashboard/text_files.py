"""Reading a table's CSV and text files so that a bad byte, a bad encoding or a ragged row names the file, line and field."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from dashboard.catalog import display_path
from dashboard.validate import DataError, Issue

# Bytes that are not UTF-8 decode to these lone surrogates under "surrogateescape";
# valid UTF-8 can never produce them, so finding one pinpoints a bad byte.
_NOT_UTF8 = re.compile("[\udc80-\udcff]+")


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
