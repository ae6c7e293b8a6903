"""What every atlas chart shares: fonts and colours, the title, the notes and source line, empty charts, dates.

The builders in this package call :func:`finish` last, so every figure has the
same frame and a source line read from its rows.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Sequence
from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go

from dashboard.catalog import PROGRAMMES
from dashboard.citations import in_words
from dashboard.i18n import pick as pick_text
from dashboard.i18n import t
from dashboard.text import plotly_escape

FONT = "sans-serif"
GRID = "#e3e7eb"
INK = "#1f2933"
MUTED = "#5b6770"
NOTE_LINE_PX = 17  # height of one line of note text under a chart
# Figures are built on the server, which cannot know the reader's screen: every
# figure is laid out to fit a phone (390 px wide, about 358 px left for the
# chart) and still read well on a wide screen.
TITLE_WIDTH = 44  # title line length in Latin-character widths (16 px type on a phone)
NOTE_WIDTH = 52  # note line length in Latin-character widths: 11 px type in about 300 px
TITLE_LINE_PX = 21
LEGEND_ITEM_PX = 20
# Plotly's toolbar (and Streamlit's own) sit in a strip at the top right: the
# title starts below it, so neither covers the other at any width.
TOOLBAR_PX = 34


def pick(row, field: str, lang: str) -> str:
    """A row's text in ``lang``, escaped: plotly renders tags in every label and hover."""
    return plotly_escape(pick_text(row, field, lang))


def colour(programme: str) -> str:
    """The programme's colour, as declared once in the catalogue."""
    return PROGRAMMES[programme].colour


def source_sections(frame: pd.DataFrame) -> list[str]:
    """Brochure section ids cited by the rows' ``source_ref`` cells, in first-seen order.

    Parameters
    ----------
    frame : pandas.DataFrame
        Rows with a ``source_ref`` column such as ``'esc.hls L62-69; esc.outcomes L145-147'``.

    Returns
    -------
    list of str
        E.g. ``['esc.hls', 'esc.outcomes']``; empty when there is no such column.

    Example
    -------
    >>> source_sections(pd.DataFrame({"source_ref": ["esc.hls L62-69; esc.outcomes L145", "esc.hls L1"]}))
    ['esc.hls', 'esc.outcomes']
    """
    if "source_ref" not in frame:
        return []
    seen: dict[str, None] = {}
    for cell in frame["source_ref"].dropna().astype(str):
        for part in cell.split(";"):
            m = re.match(r"\s*([a-z0-9_]+\.[a-z0-9_]+)", part)
            if m:
                seen.setdefault(m.group(1), None)
    return list(seen)


def source_line(sections: Sequence[str], lang: str, extra_key: str | None = None) -> str:
    """'Source: Ministry of the Environment brochure (c. 2015): p. 1–2, “ESC High Level Seminars”' in ``lang``."""
    if not sections:
        text = t("charts.source_none", lang)
    else:
        text = t("charts.source", lang, where=in_words("; ".join(sections), lang))
    if extra_key:
        text += t("charts.source_sep", lang) + t(extra_key, lang)
    return text


# Japanese line-breaking rules (kinsoku): what may not begin a line, and what may not end one.
NO_LINE_START = set("、。，．・：；！？）」』］｝〕〉》】ー…ゝゞぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ")
NO_LINE_END = set("（「『［｛〔〈《【")


def wrap(text: str, lang: str, width: int = 120) -> str:
    """Break a note into ``<br>``-joined lines of about ``width`` Latin-character widths.

    A CJK character counts double. Japanese breaks between characters, but a
    run of Latin letters and digits (a number, a name) is never split, no line
    begins with 、。ー or a closing bracket, and none ends with an opening one.

    >>> wrap("あいうえおかきくけ、こ", "ja", width=18)
    'あいうえおかきくけ、<br>こ'
    >>> wrap("あいうえおかきく（けこ）", "ja", width=18)
    'あいうえおかきく<br>（けこ）'
    """
    tokens = re.findall(r"[A-Za-z0-9_.,:;/()'’\-+%&]+|\s+|.", text)
    lines, line, used = [], "", 0
    for tok in tokens:
        size = sum(2 if ord(ch) >= 0x2E80 else 1 for ch in tok)
        if line and used + size > width and tok not in NO_LINE_START:
            carried = ""
            while line and line[-1] in NO_LINE_END:  # an opening bracket goes down with what it opens
                carried, line = line[-1] + carried, line[:-1]
            lines.append(line.rstrip())
            line, used = carried, sum(2 if ord(ch) >= 0x2E80 else 1 for ch in carried)
            if tok.isspace():
                continue
        line += tok
        used += size
    lines.append(line.rstrip())
    return "<br>".join(lines)


def add_notes(fig: go.Figure, text: str, yshift: float) -> None:
    """The notes and source line under the plot, as the annotation named ``notes`` (tests and exports find it by name)."""
    fig.add_annotation(
        text=text,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="top",
        yshift=yshift,
        showarrow=False,
        align="left",
        font=dict(size=11, color=MUTED),
        name="notes",
    )


def finish(
    fig: go.Figure,
    *,
    chart_id: str,
    title: str,
    lang: str,
    rows: pd.DataFrame | None,
    notes: Sequence[str] = (),
    x_title: str | None = None,
    y_title: str | None = None,
    extra_source_key: str | None = None,
    height: int = 440,
    legend: bool = True,
    note_width: int = NOTE_WIDTH,
) -> go.Figure:
    """Title, axis titles, notes and the source line under the plot, and a common look.

    The source line cites the brochure sections of ``rows`` (the rows drawn;
    None for an empty chart). ``note_width`` is the line length of the notes
    in Latin characters; a chart whose notes start right of long axis labels
    uses a shorter one so the notes are not cut off on a phone.

    Top to bottom the figure keeps apart, whatever its width: a strip for the
    toolbars, the title (wrapped to fit a phone), the legend (one entry a
    line, so its height is known here), the plot, the axis title, the notes.
    """
    sections = source_sections(rows) if rows is not None else []
    lines = [wrap(n, lang, note_width) for n in notes] + [
        wrap(source_line(sections, lang, extra_source_key), lang, note_width)
    ]
    n_lines = sum(line.count("<br>") + 1 for line in lines)
    text = "<br>".join(lines)
    bottom = 70 + NOTE_LINE_PX * n_lines
    add_notes(fig, text, yshift=-52)
    title = wrap(title, lang, TITLE_WIDTH)
    title_lines = title.count("<br>") + 1
    entries = legend_entries(fig) if legend else 0
    legend_px = LEGEND_ITEM_PX * entries + 6 if entries else 0
    top = top_margin(title_lines, legend_px)
    fig.update_layout(
        title=dict(
            text=title,
            x=0,
            xref="container",
            xanchor="left",
            y=1,
            yref="container",
            yanchor="top",
            pad=dict(t=TOOLBAR_PX, l=10),
            font=dict(size=16, color=INK),
        ),
        font=dict(family=FONT, size=12, color=INK),
        template="plotly_white",
        height=height + NOTE_LINE_PX * n_lines + top - 60,
        margin=dict(l=10, r=20, t=top, b=bottom),
        showlegend=legend,
        # One entry a line just above the plot, in the room kept for it under the title.
        # Paper-anchored at the plot's left edge: anchored to the figure instead, plotly would
        # widen the left margin by the legend's width.
        legend=dict(
            orientation="v",
            x=0,
            xanchor="left",
            y=1,
            yanchor="bottom",
            traceorder="normal",
            itemsizing="constant",
            tracegroupgap=0,
            font=dict(size=12),
            # Plotly would pad the legend 10 px from the edge; keep it in line with the title.
            indentation=4,
        ),
        meta={
            "chart_id": chart_id,
            "lang": lang,
            "title_lines": title_lines,
            "legend_px": legend_px,
        },
        separators=".,",
    )
    if x_title is not None:
        fig.update_xaxes(title_text=x_title)
    if y_title is not None:
        fig.update_yaxes(title_text=y_title)
    fig.update_xaxes(gridcolor=GRID, automargin=True)
    fig.update_yaxes(gridcolor=GRID, automargin=True)
    return fig


def top_margin(title_lines: int, legend_px: int, line_px: int = TITLE_LINE_PX) -> int:
    """Room above the plot: the toolbar strip, the title's lines and the legend.

    >>> top_margin(2, 0)
    90
    """
    return TOOLBAR_PX + line_px * title_lines + legend_px + 14


def retitle(fig: go.Figure, title: str, lang: str, line_px: int = TITLE_LINE_PX, width: int = TITLE_WIDTH) -> go.Figure:
    """Give a finished figure another title (or larger title type), keeping title, legend and plot apart.

    The title is wrapped to ``width`` (by default as :func:`finish` wraps it,
    to fit a phone), and the room above the plot grows or shrinks with its
    lines (``line_px`` each), the figure's height with it, so the plot keeps
    its size.
    """
    meta = dict(fig.layout.meta or {})
    text = wrap(title, lang, width)
    lines = text.count("<br>") + 1
    old_top = fig.layout.margin.t or 0
    top = top_margin(lines, meta.get("legend_px", 0), line_px)
    meta["title_lines"] = lines
    fig.update_layout(
        title_text=text,
        margin=dict(t=top),
        height=(fig.layout.height or 450) + top - old_top,
        meta=meta,
    )
    return fig


def legend_entries(fig: go.Figure) -> int:
    """How many entries the figure's legend lists (named traces not hidden from it)."""
    shown = [tr for tr in fig.data if tr.showlegend is not False and tr.name]
    return len(shown)


def label_rows(fig: go.Figure, rows: Sequence, labels: Sequence[str], yshift: int = 7) -> None:
    """Name each row of a one-row-per-item chart above the row, from the plot's left edge.

    Used instead of y tick labels: names as long as a company and a place would
    take half a phone's width from the axis, and push the notes (which start
    where the plot starts) off the right edge. The y axis keeps its values
    (``rows``, category names or positions) so hover and tests still read them.
    Each name is an annotation named ``row_label``.
    """
    fig.update_yaxes(showticklabels=False, showgrid=True, gridcolor=GRID)
    for row, label in zip(rows, labels, strict=True):
        fig.add_annotation(
            text=label,
            xref="paper",
            x=0,
            xanchor="left",
            yref="y",
            y=row,
            yanchor="bottom",
            yshift=yshift,
            showarrow=False,
            font=dict(size=12, color=MUTED),
            name="row_label",
        )


def rows_height(n_rows: int, row_px: int) -> int:
    """Figure height for a chart with one row per item: a filter down to one item
    gives a slim bar, not a block filling a fixed-height plot."""
    return 150 + row_px * max(n_rows, 2)


def empty_figure(chart_id: str, title: str, lang: str) -> go.Figure:
    """A figure that says no row passes the filter, instead of an empty axis."""
    fig = go.Figure()
    fig.add_annotation(
        text=t("charts.no_data", lang),
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
        showarrow=False,
        font=dict(size=14, color=MUTED),
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return finish(fig, chart_id=chart_id, title=title, lang=lang, rows=None, height=220, legend=False)


def partial_date_range(start: str, end: str | None = None) -> tuple[date, date]:
    """First and last day covered by 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' bounds.

    Example
    -------
    >>> partial_date_range("2013-04", "2014-03")
    (datetime.date(2013, 4, 1), datetime.date(2014, 3, 31))
    """

    def bounds(text: str) -> tuple[date, date]:
        parts = [int(p) for p in str(text).split("-")]
        if len(parts) == 3:
            d = date(*parts)
            return d, d
        if len(parts) == 2:
            first = date(parts[0], parts[1], 1)
            nxt = date(parts[0] + (parts[1] == 12), parts[1] % 12 + 1, 1)
            return first, nxt - timedelta(days=1)
        return date(parts[0], 1, 1), date(parts[0], 12, 31)

    first, _ = bounds(start)
    _, last = bounds(end or start)
    return first, last


def date_tickformat(lang: str) -> str:
    """d3 date format for date axes: 'Jan 2014' / '2014年1月' (plotly's own month names are English)."""
    return "%Y年%-m月" if lang == "ja" else "%b %Y"


def year_format(lang: str) -> str:
    """d3 date format for a date axis ticked by years: '2013' / '2013年'."""
    return "%Y年" if lang == "ja" else "%Y"


def has_value(value) -> bool:
    return value is not None and value is not pd.NA and not (isinstance(value, float) and math.isnan(value))


PROJECTOR_SCALE = 1.5  # a 16:9 projector at 1920 × 1080 shows the figure's 12 px labels at 18 px
PROJECTOR_MIN_PX = 18  # the smallest type a seminar hall reads from the back
PROJECTOR_AXIS_PX = 90  # below the plot on a 1920-wide slide: tick labels and the axis title, no notes


def for_projector(
    fig: go.Figure, scale: float = PROJECTOR_SCALE, minimum: int = PROJECTOR_MIN_PX
) -> tuple[go.Figure, list[str]]:
    """A copy of ``fig`` for a slide, and the lines of its notes and source.

    The title, labels and legend grow by ``scale``, to at least ``minimum``
    pixels (by default 18 px: for a 1920-wide screen; ``scale=1, minimum=0``
    keeps the page's type, for a smaller one). The
    notes leave the figure (the slide sets them under it, in type that follows
    the screen's width), and so does the strip kept for plotly's toolbar, which
    a slide does not show: what is left is the plot's room. The cached figure
    is shared by every session, so it is copied, never changed.

    >>> big, notes = for_projector(go.Figure(go.Bar(x=[1]), layout={"font": {"size": 12}}))
    >>> big.layout.font.size, notes
    (18, [])
    """
    fig = go.Figure(fig)
    base = fig.layout.font.size or 12

    def grow(font) -> None:
        font.size = max(minimum, round((font.size or base) * scale))

    notes = [a for a in fig.layout.annotations if a.name == "notes"]
    rows = [a for a in fig.layout.annotations if a.name == "row_label"]
    fig.layout.annotations = [a for a in fig.layout.annotations if a.name not in ("notes", "row_label")]
    if rows:
        # A slide has the width a phone lacks, but not the height: names set above their rows sat on the
        # row before once the type grew. Beside the axis, each name is centred on its own row.
        fig.update_yaxes(showticklabels=True, tickvals=[a.y for a in rows], ticktext=[a.text for a in rows])
    lines = [html.unescape(line) for a in notes for line in re.split(r"<br\s*/?>", a.text or "") if line.strip()]
    grow(fig.layout.font)
    grow(fig.layout.title.font)
    grow(fig.layout.legend.font)
    for name in fig.layout:
        if re.match(r"[xy]axis\d*$", name):
            axis = fig.layout[name]
            grow(axis.tickfont)
            grow(axis.title.font)
    for label in fig.layout.annotations:
        grow(label.font)
        if label.yshift:  # offsets in pixels grow with the text they make room for
            label.yshift = label.yshift * scale
    for trace in fig.data:
        if "textfont" in trace:
            grow(trace.textfont)
    top = max(0, (fig.layout.margin.t or 0) - TOOLBAR_PX) * scale
    fig.update_layout(margin=dict(t=top, b=PROJECTOR_AXIS_PX * scale / PROJECTOR_SCALE), title_pad_t=4)
    return fig, lines
