"""The model-cities chart: year-1 and year-2 cities per country."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboard.catalog import PROGRAMMES
from dashboard.charts.figure import (
    NOTE_WIDTH,
    colour,
    empty_figure,
    finish,
    pick,
    rows_height,
)
from dashboard.counts import model_city_rows
from dashboard.i18n import country_name, t


def undecided_year2(model_cities: pd.DataFrame) -> list[str]:
    """Countries with year-1 model cities but none listed for year 2.

    The brochure's table gives every country a year-2 cell; the only country
    with no city in it is the one printed as 未定 (undecided), so in the full
    table "year 1 but no year-2 row" means "year 2 undecided", not "none".
    Pass the unfiltered table, or a filter on programme year hides the answer.
    """
    years = model_cities.groupby("country_iso3")["program_year"].agg(lambda s: set(int(v) for v in s))
    return [iso for iso, ys in years.items() if 1 in ys and 2 not in ys]


def model_cities_by_country(
    model_cities: pd.DataFrame, lang: str, years: Sequence[int] | None = None, undecided: Sequence[str] | None = None
) -> go.Figure:
    """Model cities per country, year 1 beside year 2 (grouped horizontal bars, a row per country).

    Rows rather than columns: eight country names side by side would have to
    turn on a phone, over the axis title and the notes.

    Parameters
    ----------
    model_cities : pandas.DataFrame
        Rows of ``model_cities`` (filtered).
    lang : str
    years : sequence of int, optional
        Programme years to draw; default the years present in the rows.
    undecided : sequence of str, optional
        ISO3 codes whose year 2 was undecided (see :func:`undecided_year2`);
        their zero bar is labelled as such. Default: computed from the rows.

    Returns
    -------
    plotly.graph_objects.Figure
        One bar trace per year; y holds country names in the brochure's order
        (top to bottom), x the number of cities.
    """
    chart_id = "model_cities_by_country"
    title = t("charts.model_cities.title", lang)
    if model_cities.empty:
        return empty_figure(chart_id, title, lang)
    years = sorted(years) if years is not None else sorted({int(y) for y in model_cities["program_year"]})
    undecided = list(undecided) if undecided is not None else undecided_year2(model_cities)
    countries = list(dict.fromkeys(model_cities["country_iso3"]))  # table order = brochure order
    names = [country_name(c, lang) for c in countries]
    fig = go.Figure()
    # The bar of a country whose year 2 was undecided is 0 high: its label says why.
    flagged = [c for c in countries if c in undecided] if 2 in years else []
    undecided_word = t("charts.model_cities.undecided_label", lang)
    for year in years:
        rows = model_city_rows(model_cities, year)
        per_country = [int((rows["country_iso3"] == c).sum()) for c in countries]
        labels = [
            (f"{n}（{undecided_word}）" if lang == "ja" else f"{n} ({undecided_word})")
            if year == 2 and c in flagged
            else str(n)
            for c, n in zip(countries, per_country, strict=True)
        ]
        cities = [
            "<br>".join(pick(r, "name", lang) for _, r in rows[rows["country_iso3"] == c].iterrows()) or "–"
            for c in countries
        ]
        programme = f"esc_y{year}"
        fig.add_bar(
            x=per_country,
            y=names,
            orientation="h",
            name=t(PROGRAMMES[programme].label_key, lang),
            marker=dict(color=colour(programme), line=dict(color="#ffffff", width=1)),
            text=labels,
            textposition="outside",
            cliponaxis=False,
            constraintext="none",
            customdata=cities,
            hovertemplate="%{y}<br>%{x}<br>%{customdata}<extra>%{fullData.name}</extra>",
        )
    notes = [t("charts.model_cities.undecided_note", lang, country=country_name(iso, lang)) for iso in flagged]
    ymax = max(int(model_cities.groupby(["country_iso3", "program_year"]).size().max()), 1)
    fig.update_xaxes(range=[0, ymax * 1.25 + 0.5], dtick=1, rangemode="tozero")
    # Brochure order from the top; within a country, year 1 above year 2.
    fig.update_yaxes(categoryorder="array", categoryarray=names, autorange="reversed")
    fig.update_layout(barmode="group", bargap=0.25, legend_traceorder="normal")
    return finish(
        fig,
        chart_id=chart_id,
        title=title,
        lang=lang,
        rows=model_cities,
        notes=notes,
        x_title=t("charts.axis.cities", lang),
        height=rows_height(len(countries), 46),
        note_width=NOTE_WIDTH - 12,  # the notes start right of the country names
    )
