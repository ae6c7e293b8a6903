"""Drawing a chart on a page: the plotly figure, and its figures as a table for readers who cannot see it.

Pages call :func:`chart` instead of ``st.plotly_chart``: one place decides the
toolbar, the accessible name and the table under every chart.
"""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from dashboard.filters import Filter
from dashboard.i18n import t
from dashboard.ui import cached

#: Plotly's toolbar: no logo, and only the buttons a bar or dot chart can use. The
#: figures keep a strip above their titles for it (see dashboard.charts.figure), so on
#: a phone, where a tap shows it, it covers neither title nor legend.
CONFIG: dict = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "zoomIn2d", "zoomOut2d"],
}


def _frames(chart_id: str, filter_: Filter) -> list[pd.DataFrame]:
    """The chart's tables as :func:`dashboard.ui.cached.figure` reads them: layers filtered, other tables whole."""
    from dashboard.charts import CHARTS  # lazy, as in dashboard.ui.cached

    layers = cached.layers()
    return [cached.filtered(tid, filter_) if tid in layers else cached.table(tid) for tid in CHARTS[chart_id].tables]


def _table(chart_id: str, lang: str, options: tuple, *frames: pd.DataFrame) -> pd.DataFrame:
    from dashboard.charts import CHARTS

    return CHARTS[chart_id].table_builder(*frames, lang, **dict(options))


def chart_table(chart_id: str, filter_: Filter, lang: str, options: dict | None = None) -> pd.DataFrame:
    """The rows chart ``chart_id`` plots for this filter and language, as a table (memoised per frame)."""
    items = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in (options or {}).items()))
    return cached.memo(_table, chart_id, lang, items, *_frames(chart_id, filter_))


def readable(table: pd.DataFrame) -> pd.DataFrame:
    """The table as a reader sees it: thousands separated, a missing figure as '–' (never 0).

    Plain text, made once per table (memoised by the caller): a pandas Styler would be
    rendered again on every rerun of the page.
    """
    shown = table.copy()
    for c in shown.columns:
        if pd.api.types.is_numeric_dtype(shown[c]):
            shown[c] = [("–" if pd.isna(v) else f"{v:,.0f}") for v in shown[c]]
    return shown


def alt_text(fig, lang: str, rows: int | None = None) -> str:
    """What a screen reader says for a chart: its title, and how many rows its table under it has."""
    title = re.sub(r"\s*<br>\s*", "" if lang == "ja" else " ", fig.layout.title.text or "")
    return t("chart_tables.alt", lang, title=title, n=rows) if rows else title


def chart(chart_id: str, filter_: Filter, lang: str, key: str, options: dict | None = None) -> None:
    """Draw a chart, named for screen readers, with its figures in a folded table underneath.

    Parameters
    ----------
    chart_id : str
        An id of :data:`dashboard.charts.CHARTS`.
    filter_ : dashboard.filters.Filter
    lang : str
    key : str
        The chart's element key; the table's expander is keyed after it.
    options : dict, optional
        The builder's options (e.g. ``{"years": [1, 2]}``); they go to the table too.
    """
    fig = cached.figure(chart_id, filter_, lang, options)
    table = chart_table(chart_id, filter_, lang, options)
    st.plotly_chart(fig, key=key, config=CONFIG, alt=alt_text(fig, lang, None if table.empty else len(table)))
    if not table.empty:
        with st.expander(t("chart_tables.expander", lang), expanded=False, key=f"{key}_table"):
            st.table(cached.memo(readable, table), hide_index=True)
