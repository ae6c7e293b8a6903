"""Display tables, shared by every page: column headings, the columns shown, heights, rows read in full.

Joins are explicit and loud: a key found on one side only raises
:class:`ValueError` naming it, rather than leaving a silent blank cell.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from dashboard.i18n import t
from dashboard.text import cell_text


def col_label(key: str, lang: str) -> str:
    """A table column heading in ``lang`` (``col.<key>`` in the locale catalogue)."""
    return t(f"col.{key}", lang)


def headings(columns: Iterable[str], lang: str, keys: Mapping[str, str] | None = None) -> dict[str, str]:
    """Internal column name → heading in ``lang``; a column's ``col.*`` key is its own name unless ``keys`` says otherwise.

    Example
    -------
    >>> headings(("country", "note"), "ja", {"note": "note_en"})["country"]
    '国'
    """
    keys = keys or {}
    return {c: col_label(keys.get(c, c), lang) for c in columns}


def for_display(frame: pd.DataFrame, columns: Mapping[str, str]) -> pd.DataFrame:
    """Keep ``columns`` (internal name -> label) in that order, renamed to their labels.

    Example
    -------
    >>> for_display(pd.DataFrame({"a": [1], "b": [2]}), {"b": "B"}).columns.tolist()
    ['B']
    """
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise KeyError(f"for_display: frame has no column(s) {missing}; it has {list(frame.columns)}")
    labels = list(columns.values())
    if len(set(labels)) != len(labels):
        raise ValueError(f"for_display: duplicate labels {labels}")
    out = pd.DataFrame(frame[list(columns)]).rename(columns=dict(columns))
    return out.reset_index(drop=True)


def table_height(n_rows: int, row_px: int = 35, max_rows: int = 25) -> int:
    """Pixel height that shows ``n_rows`` rows of ``st.dataframe`` without an inner scroll bar (up to ``max_rows``)."""
    return row_px * (min(max(n_rows, 1), max_rows) + 1) + 3


def row_fields(row: Mapping, labels: Iterable[str]) -> list[tuple[str, str]]:
    """(label, text) of a displayed row's long columns, for reading in full; empty cells left out."""
    return [(label, cell_text(row[label])) for label in labels if cell_text(row[label]).strip()]


def unique_index(frame: pd.DataFrame, key: str, what: str) -> pd.DataFrame:
    """``frame`` indexed by ``key``, which must be unique (else ValueError naming the duplicates)."""
    dup = sorted(set(frame.loc[frame[key].duplicated(), key]))
    if dup:
        raise ValueError(f"{what}: {key} is not unique: {dup}")
    return frame.set_index(key)
