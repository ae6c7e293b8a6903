"""Display tables, shared by every page: column headings, the columns shown, their widths, rows read in full.

Joins are explicit and loud: a key found on one side only raises
:class:`ValueError` naming it, rather than leaving a silent blank cell.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from dashboard.citations import in_words
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


def sources_in_words(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``frame`` with its ``source_ref`` read as the brochure's page, section and lines (see ``citations.in_words``)."""
    if "source_ref" not in frame.columns:
        return frame
    words = frame["source_ref"].map(lambda ref: in_words(ref, lang) if isinstance(ref, str) and ref else "")
    return frame.assign(source_ref=words)


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


def row_fields(row: Mapping, labels: Iterable[str]) -> list[tuple[str, str]]:
    """(label, text) of a displayed row's columns, for reading in full; empty cells left out.

    Example
    -------
    >>> row_fields({"t": "x", "n": 14200.0, "e": ""}, ["t", "n", "e"])
    [('t', 'x'), ('n', '14,200')]
    """
    fields = [(label, _field_text(row[label])) for label in labels]
    return [(label, text) for label, text in fields if text.strip()]


def _field_text(value) -> str:
    # Floats are the tables' measured figures (tCO2/year); ints are ids and line numbers, left bare.
    if isinstance(value, float) and value == value:
        return f"{value:,.0f}" if value.is_integer() else f"{value:,}"
    return cell_text(value)


def unique_index(frame: pd.DataFrame, key: str, what: str) -> pd.DataFrame:
    """``frame`` indexed by ``key``, which must be unique (else ValueError naming the duplicates)."""
    dup = sorted(set(frame.loc[frame[key].duplicated(), key]))
    if dup:
        raise ValueError(f"{what}: {key} is not unique: {dup}")
    return frame.set_index(key)


# -- fitting a table to the page ----------------------------------------------------------------
# The grid draws on a canvas: text wider than its column is cut, never wrapped onto a second
# line unless the row is taller than 64 px. So each column gets the width its longest text
# needs, estimated for the grid's font (14 px Source Sans: about 6.1 px a lower-case letter, 7.8 a
# capital or digit, a full em for CJK; on the generous side, since an estimate short by a few
# pixels cuts the text), and long text is wrapped into taller rows instead of running off the right.
PAGE_PX = 940  # the main column at 1400 px with the sidebar open
PHONE_PX = 358  # the main column of a 390 px phone, less the page's margins
ROW_MARKER_PX = 36  # the row-selection column at the table's left
CELL_PAD_PX = 26  # the cell's padding, plus room for the header's sort arrow
WRAP_SLACK = 1.15  # a wrapped line ends at a word, so it holds less than its full width
WIDE_COLUMN_PX = 260  # a column wider than this is long text: it wraps rather than sets the width
MIN_WRAP_PX = 150  # narrowest a wrapped column gets, so a few words still fit a line
MAX_LINES = 3  # taller rows than this make the table hard to scan; the row details show the rest
ROW_PX = 35  # the grid's one-line row
LINE_PX = 19  # each line of wrapped text


def _share(room: int, wants: Mapping[str, int], floor: Mapping[str, int]) -> dict[str, int]:
    """``room`` shared among columns in proportion to the width they want, none below its floor."""
    fixed: dict[str, int] = {}
    while True:
        free = {c: px for c, px in wants.items() if c not in fixed}
        left = room - sum(fixed.values())
        share = {c: int(left * px / sum(free.values())) for c, px in free.items()} if free else {}
        low = {c for c, px in share.items() if px < floor[c]}
        if not low:
            return fixed | share
        fixed |= {c: floor[c] for c in low}


def _lines(natural: int, width: int) -> int:
    """Lines a text of ``natural`` width needs in a column ``width`` wide."""
    if natural <= width:
        return 1
    return math.ceil(WRAP_SLACK * (natural - CELL_PAD_PX) / (width - CELL_PAD_PX))


def text_px(text: object) -> float:
    """Estimated drawn width of ``text`` in the table's font, in pixels.

    Example
    -------
    >>> text_px("Dec 2014") < text_px("2014年12月")
    True
    """
    return sum(_char_px(ch) for ch in cell_text(text))


def _char_px(ch: str) -> float:
    if unicodedata.east_asian_width(ch) in "WF":
        return 14.0
    return 7.8 if ch.isupper() or ch.isdigit() else 6.1


def natural_px(label: str, values: Iterable) -> int:
    """Width a column needs to show its heading and every cell uncut."""
    return int(max([text_px(label), *(text_px(v) for v in values)]) + CELL_PAD_PX)


@dataclass(frozen=True)
class TableFit:
    """How a display table is drawn: the columns in the grid and their widths, the row height.

    ``details`` are the columns left out of the grid (read by opening a row);
    ``lines`` the lines of text a row has room for.
    """

    widths: dict[str, int]
    details: tuple[str, ...]
    lines: int
    needed_lines: int  # before the cap: more than ``lines`` means some text is cut in the grid

    @property
    def whole(self) -> bool:
        """Whether the grid shows every cell in full, so there is nothing more to open a row for."""
        return not self.details and self.needed_lines <= self.lines

    @property
    def row_px(self) -> int:
        # Above 64 px the grid wraps text; one line keeps the grid's own row.
        return ROW_PX if self.lines == 1 else max(66, 22 + LINE_PX * self.lines)

    def height_px(self, n_rows: int, max_px: int = 640) -> int:
        """Height that shows the heading and ``n_rows`` rows (at least one), scrolling inside past ``max_px``."""
        return min(ROW_PX + self.row_px * max(n_rows, 1) + 3, max_px)

    @property
    def shown(self) -> list[str]:
        return list(self.widths)

    @property
    def total_px(self) -> int:
        return ROW_MARKER_PX + sum(self.widths.values())


def fit_columns(display: pd.DataFrame, details: Iterable[str] = (), page_px: int = PAGE_PX) -> TableFit:
    """Widths for the columns of ``display`` that fit ``page_px``: short ones whole, long ones wrapped.

    Parameters
    ----------
    display : DataFrame
        The table as shown (columns are the headings).
    details : iterable of str
        Headings kept out of the grid; a reader finds them in the row details.
    page_px : int
        Width the table has. The grid only scrolls sideways when its short
        columns alone, and the narrowest wrap of the long ones, do not fit.

    Returns
    -------
    TableFit

    Example
    -------
    >>> fit = fit_columns(pd.DataFrame({"No.": [1], "Title": ["word " * 80]}))
    >>> fit.total_px <= PAGE_PX, fit.lines
    (True, 3)
    """
    details = tuple(details)
    unknown = [c for c in details if c not in display.columns]
    if unknown:
        raise KeyError(f"fit_columns: no column(s) {unknown}; the table has {list(display.columns)}")
    natural = {c: natural_px(c, display[c]) for c in display.columns if c not in details}
    floor = {c: max(MIN_WRAP_PX, natural_px(c, ())) for c in natural}  # a heading is never wrapped
    wrapped = {c for c, px in natural.items() if px > WIDE_COLUMN_PX}
    texts = [c for c in natural if not pd.api.types.is_numeric_dtype(display[c])]  # numbers never wrap

    def room() -> int:
        return page_px - ROW_MARKER_PX - sum(px for c, px in natural.items() if c not in wrapped)

    # Wrap the widest text column that still runs whole until the table fits (or nothing would help).
    while room() < sum(floor[c] for c in wrapped):
        candidates = [c for c in texts if c not in wrapped and natural[c] > floor[c]]
        if not candidates:
            break
        wrapped.add(max(candidates, key=natural.get))
    widths, lines = dict(natural), 1
    if sum(natural[c] for c in wrapped) > room():
        widths |= _share(room(), {c: natural[c] for c in wrapped}, floor)
        lines = max(_lines(natural[c], widths[c]) for c in wrapped)
    return TableFit(widths, details, min(lines, MAX_LINES), lines)


def phone_columns(display: pd.DataFrame, details: Iterable[str] = (), page_px: int = PHONE_PX) -> tuple[str, ...]:
    """The headings a phone's grid leaves to the row details, so what it shows fits across the screen.

    Columns are kept in their order (a table leads with what names a row, a
    number or a name) while they fit at their narrowest: a short column whole,
    a long text wrapped at :data:`MIN_WRAP_PX`. The first column is always kept.
    The rest are one tap away, in the row details.

    Example
    -------
    >>> t = pd.DataFrame({"No.": [1], "Title": ["word " * 30], "Country": ["Indonesia"], "Year": ["FY2014"]})
    >>> phone_columns(t)  # 'No.', the wrapped title and 'Country' fill the screen
    ('Year',)
    """
    details = tuple(details)
    kept, used = [], ROW_MARKER_PX
    for c in (c for c in display.columns if c not in details):
        px = min(natural_px(c, display[c]), max(MIN_WRAP_PX, natural_px(c, ())))
        if kept and used + px > page_px:
            break
        kept.append(c)
        used += px
    return details + tuple(c for c in display.columns if c not in details and c not in kept)
