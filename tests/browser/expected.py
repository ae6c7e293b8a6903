"""What the browser tests expect of the app: its pages, and what each map layer draws.

Expected values come from the tables through ``dashboard.io`` with plain pandas
filters, not from the app's own filter code, so a wrong filter in the app
shows up as a wrong count in the browser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from dashboard.catalog import PROGRAMMES, get_table
from dashboard.filters import FACETS_BY_ID, facet_columns
from dashboard.i18n import t
from dashboard.io import load_layer
from dashboard.maps.builder import SMALL_COUNTRY
from dashboard.maps.layers import MAP_LAYERS
from dashboard.ui.pages import DEFAULT_PAGE
from dashboard.ui.pages import PAGES as APP_PAGES

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")

# (url_path, nav key) of every page the app routes, from its page list; '' is the default page (overview).
PAGES = [("" if page is DEFAULT_PAGE else page.url_path, page.title_key) for page in APP_PAGES]


@cache
def layer(layer_id: str):
    return load_layer(layer_id)


@dataclass(frozen=True)
class Expected:
    """What one map layer should draw."""

    key: str  # MAP_LAYERS key (also the sidebar/URL key)
    layer_id: str
    programme: str
    colour: str
    symbol: str  # PROGRAMMES symbol: circle/square/... for markers, "line", "area"
    count: int  # features drawn (what the legend counts)
    symbols: int  # marks on the map: rows placed by country only share one badge per country
    approximate: int  # rows placed approximately (a hollow, dashed symbol)
    small_partners: int = 0  # partner countries too small to see, drawn with a square too
    listed: int = 0  # rows of the layer, placed or not (the legend says when it draws fewer)
    registered: int = 0  # drawn rows that are the first registered JCM project, not a model project
    studies: int = 0  # F/S studies among the drawn rows (one row per site): the legend says both


def expected_layers(country: str | None = None, as_of: str = "2014-12") -> dict[str, Expected]:
    """Per map layer, the features with a geometry (optionally in one country), in the state ``as_of``.

    Model cities are one table drawn as two layers, split on ``program_year``.
    The brochure's state (the default) keeps the rows marked ``in_brochure``.
    """
    out = {}
    for m in MAP_LAYERS:
        frame = layer(m.layer_id)
        if as_of == "2014-12" and "in_brochure" in frame:
            frame = frame[frame["in_brochure"]]
        if m.subset is not None:
            column, value = m.subset
            frame = frame[frame[column] == value]
        if country is not None:
            # The layer's sidecar says which columns hold its country (partner_country_iso3 for
            # city partnerships); a layer with none is not narrowed by a country.
            columns = facet_columns(FACETS_BY_ID["country"], get_table(m.layer_id))
            if columns:  # any of them may match (knowledge sharing: either end's country)
                frame = frame[(frame[list(columns)] == country).any(axis=1)]
        listed = len(frame)
        frame = frame[frame.geometry.notna()]
        registered = int((frame["first_registered"] == True).sum()) if "first_registered" in frame else 0  # noqa: E712
        p = PROGRAMMES[m.programme]
        precision = (
            frame["geocode_precision"] if "geocode_precision" in frame and p.symbol not in ("line", "area") else None
        )
        if precision is None:
            symbols, approximate = len(frame), 0
        else:
            by_country = frame[precision == "country"]
            symbols = len(frame) - len(by_country) + by_country["country_iso3"].nunique()
            approximate = int((precision == "approximate").sum())
        small = sum(g.area < SMALL_COUNTRY for g in frame.geometry) if p.symbol == "area" else 0
        out[m.key] = Expected(
            m.key,
            m.layer_id,
            m.programme,
            p.colour.upper(),
            p.symbol,
            len(frame),
            symbols,
            approximate,
            small,
            listed,
            registered,
            int(frame["study_no"].nunique()) if m.layer_id == "fs_studies" else 0,
        )
    return out


def count_text(e: Expected, lang: str) -> str:
    """What a legend row says in brackets: the features drawn, and why that is not the table's count."""
    text = str(e.count)
    if e.studies:
        text = t("counts.legend_fs", lang, studies=e.studies, sites=e.count)
    if e.registered:
        model = e.count - e.registered
        text = t("counts.legend_projects", lang, projects=model) if model else t("counts.legend_registered_only", lang)
    if e.listed > e.count:
        text = t("counts.legend_unplaced", lang, drawn=text, listed=e.listed, missing=e.listed - e.count)
    return text


def legend_rows(visible: dict[str, Expected], lang: str) -> list[str]:
    """The legend lines the map should show, '<programme label> (<count>)' in drawing order, then its marks."""
    rows = [f"{t(PROGRAMMES[e.programme].label_key, lang)} ({count_text(e, lang)})" for e in visible.values()]
    if any(e.approximate for e in visible.values()):
        rows.append(t("map.approximate", lang))
    if any(e.small_partners for e in visible.values()):
        rows.append(t("map.small_partner", lang))
    if any(e.symbols < e.count for e in visible.values()):
        rows.append(t("map.country_level", lang))
    return rows
