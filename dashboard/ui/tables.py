"""Every table the pages draw: fitted to the page, and any row opened in full with one click.

What fits where is decided in :mod:`dashboard.content.tables`; this is the one place
that draws it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import streamlit as st

from dashboard.content.tables import (
    PAGE_PX,
    PHONE_PX,
    fit_columns,
    for_display,
    phone_columns,
    row_fields,
    sources_in_words,
)
from dashboard.i18n import t
from dashboard.text import md_escape
from dashboard.ui.cached import memo
from dashboard.ui.device import on_phone

# A click on any cell selects it, and the checkbox at a row's left selects the row:
# either way the row opens below, so a reader need not aim at the row's edge.
SELECTION = ["single-row", "single-cell"]
LONG_FIELD_CHARS = 60  # a field longer than this gets a line of its own in the row details
MAX_TABLE_PX = 640  # taller tables scroll inside, so the row details stay close below


def data_table(display, key: str, lang: str, details: Iterable[str] = (), column_config: Mapping | None = None):
    """A table whose columns are its headings, fitted to the page; a row opens in full when a cell is cut.

    Parameters
    ----------
    display : pandas.DataFrame
        The rows as shown; its column names are the headings in ``lang``.
    key : str
        Widget key.
    lang : str
    details : iterable of str
        Headings kept out of the grid (long, secondary text); they are read
        in the row details.
    column_config : mapping, optional
        Heading -> ``st.column_config`` (formats); the fitted width is added
        unless it sets one.
    """
    details, phone = tuple(details), on_phone()
    if phone:
        # The grid is a canvas: it cannot reflow for a narrow screen, so a phone gets fewer columns.
        details = memo(phone_columns, display, details)
    fit = memo(fit_columns, display, details, PHONE_PX if phone else PAGE_PX)
    config = {}
    for label, px in fit.widths.items():
        given = {k: v for k, v in dict((column_config or {}).get(label) or {}).items() if v is not None}
        config[label] = {"width": px} | given
    options = {
        "hide_index": True,
        "key": key,
        "column_order": fit.shown,
        "column_config": config,
        "row_height": fit.row_px,
        "height": fit.height_px(len(display), MAX_TABLE_PX),
    }
    if fit.whole:
        st.dataframe(display, **options)
        return
    st.caption(t("tables.open_row", lang))
    event = st.dataframe(display, on_select="rerun", selection_mode=SELECTION, **options)
    row = _selected_row(event)
    if row is None:
        return
    with st.container(border=True, key=f"{key}_row"):
        st.caption(t("tables.row_heading", lang))
        for label, text in row_fields(display.iloc[row], list(display.columns)):
            if len(text) > LONG_FIELD_CHARS:
                st.markdown(f"**{md_escape(label)}**  \n{md_escape(text)}")
            else:
                st.markdown(f"**{md_escape(label)}**: {md_escape(text)}")


def readable_table(
    frame,
    columns: Mapping[str, str],
    key: str,
    lang: str,
    details: Iterable[str] = (),
    column_config: Mapping | None = None,
) -> None:
    """:func:`data_table` of ``frame``'s ``columns`` (internal name -> heading); ``details`` are internal names."""
    display = memo(for_display, memo(sources_in_words, frame, lang), dict(columns))
    data_table(display, key, lang, details=[columns[c] for c in details], column_config=column_config)


def _selected_row(event) -> int | None:
    """The row of the selected row or cell, if any."""
    if event is None:
        return None
    selection = event.selection
    rows = list(selection.get("rows", []))
    cells = list(selection.get("cells", []))
    if rows:
        return rows[0]
    return cells[0][0] if cells else None
