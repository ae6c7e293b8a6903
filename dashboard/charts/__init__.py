"""Plotly figure builders for the atlas: pure functions from typed tables to figures.

Every builder takes the (already filtered) DataFrames that :mod:`dashboard.io`
returns and a language, and gives a ``go.Figure`` with a title, axis titles
with units, programme colours from :data:`dashboard.catalog.PROGRAMMES`, and a
source line at the bottom naming the brochure sections the rows came from
(read from the rows' ``source_ref``, so a chart can never cite a section its
data did not come from). No Streamlit here: the pages and the presentation
mode draw what :data:`CHARTS` lists, one record per chart.

Example
-------
>>> from dashboard.io import load_table
>>> fig = CHARTS["seminars_over_time"].build({"esc_seminars": load_table("esc_seminars")}, "ja")
>>> fig.layout.meta["chart_id"]
'seminars_over_time'

Only bar and scatter traces are used: plotly.js is bundled with Streamlit, so
they render offline (geo traces would fetch a world map from a CDN).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.jcm import (
    fs_studies_per_country,
    jcm_partners_by_year,
    jcm_partners_timeline,
    model_project_reductions,
)
from dashboard.charts.model_cities import model_cities_by_country
from dashboard.charts.seminars import locarnet_timeline, seminars_over_time
from dashboard.charts.tables import (
    fs_studies_table,
    jcm_partners_by_year_table,
    jcm_partners_table,
    locarnet_table,
    model_cities_table,
    model_project_reductions_table,
    seminars_table,
)


@dataclass(frozen=True)
class ChartSpec:
    """A chart a page or the presentation mode can draw by id.

    ``tables`` are the table ids the builder needs, in the order of its
    positional arguments; ``build(frames, lang)`` takes a mapping of those ids
    to (filtered) DataFrames. ``table_builder`` takes the same arguments and
    options and gives the chart's text alternative: the rows it plots, as a
    table (see :mod:`dashboard.charts.tables`).
    """

    id: str
    tables: tuple[str, ...]
    builder: Callable[..., go.Figure]
    table_builder: Callable[..., pd.DataFrame]

    def build(self, frames: Mapping[str, pd.DataFrame], lang: str) -> go.Figure:
        missing = [tid for tid in self.tables if tid not in frames]
        if missing:
            raise KeyError(f"chart {self.id!r} needs table(s) {missing}; got {sorted(frames)}")
        return self.builder(*(frames[tid] for tid in self.tables), lang)

    def table(self, frames: Mapping[str, pd.DataFrame], lang: str) -> pd.DataFrame:
        """The rows the chart plots, with column titles in ``lang``."""
        return self.table_builder(*(frames[tid] for tid in self.tables), lang)


CHARTS: dict[str, ChartSpec] = {
    spec.id: spec
    for spec in (
        ChartSpec("model_cities_by_country", ("model_cities",), model_cities_by_country, model_cities_table),
        ChartSpec("seminars_over_time", ("esc_seminars",), seminars_over_time, seminars_table),
        ChartSpec("locarnet_timeline", ("locarnet_events",), locarnet_timeline, locarnet_table),
        ChartSpec("jcm_partners_timeline", ("jcm_partners",), jcm_partners_timeline, jcm_partners_table),
        ChartSpec("jcm_partners_by_year", ("jcm_partners",), jcm_partners_by_year, jcm_partners_by_year_table),
        ChartSpec("fs_studies_per_country", ("fs_studies",), fs_studies_per_country, fs_studies_table),
        ChartSpec(
            "model_project_reductions",
            ("jcm_model_projects",),
            model_project_reductions,
            model_project_reductions_table,
        ),
    )
}
