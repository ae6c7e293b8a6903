"""The JCM charts: partner signings, F/S studies per country, model projects' expected reductions."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.figure import (
    GRID,
    INK,
    MUTED,
    NOTE_WIDTH,
    colour,
    date_tickformat,
    empty_figure,
    finish,
    label_rows,
    pick,
    rows_height,
    wrap,
)
from dashboard.counts import yearly_reduction_rows
from dashboard.i18n import country_name, format_number, format_partial_date, t
from dashboard.style import signing_colours


def jcm_partners_timeline(jcm_partners: pd.DataFrame, lang: str, colours: Mapping[str, str] | None = None) -> go.Figure:
    """Signing date of each JCM partner, one row per country in signing order.

    Colour follows :func:`signing_colours` (the same ramp shades the map);
    whether a joint committee had been held is told by the marker shape
    (circle: held; diamond: not yet), so it does not rest on colour.

    Returns
    -------
    plotly.graph_objects.Figure
        Two marker traces ('held', 'not held'); x are ISO dates, y country names.
    """
    chart_id = "jcm_partners_timeline"
    title = t("charts.jcm_partners.title", lang)
    if jcm_partners.empty:
        return empty_figure(chart_id, title, lang)
    rows = jcm_partners.sort_values("signed_on")
    colours = dict(colours) if colours is not None else signing_colours(rows)
    names = [country_name(c, lang) for c in rows["country_iso3"]]
    fig = go.Figure()
    # A thin guide line per row helps the eye from the name to its dot.
    for name, when in zip(names, rows["signed_on"], strict=True):
        fig.add_scatter(
            x=[str(rows["signed_on"].min()), str(when)],
            y=[name, name],
            mode="lines",
            line=dict(color=GRID, width=1),
            hoverinfo="skip",
            showlegend=False,
        )
    held = rows["joint_committee_held"].fillna(False).astype(bool)
    for flag, key, symbol in ((True, "held", "circle"), (False, "not_held", "diamond")):
        part = rows[held == flag]
        if part.empty:
            continue
        dates = [str(d) for d in part["signed_on"]]
        fig.add_scatter(
            x=dates,
            y=[country_name(c, lang) for c in part["country_iso3"]],
            mode="markers+text",
            name=t(f"charts.jcm_partners.{key}", lang),
            text=[format_partial_date(d, lang) for d in dates],
            textposition="middle right",
            textfont=dict(size=11, color=MUTED),
            cliponaxis=False,
            marker=dict(
                size=15,
                symbol=symbol,
                color=[colours.get(c, colour("jcm_partners")) for c in part["country_iso3"]],
                line=dict(color=INK, width=1.2),
            ),
            hovertemplate="%{y}<br>%{text}<extra>%{fullData.name}</extra>",
        )
    fig.update_yaxes(categoryorder="array", categoryarray=names, autorange="reversed")
    label_rows(fig, names, names)
    fig.update_yaxes(showgrid=False)  # the guide lines already lead from each name to its dot
    first = date.fromisoformat(str(rows["signed_on"].min()))
    last = date.fromisoformat(str(rows["signed_on"].max()))
    fig.update_xaxes(
        type="date",
        range=[first - timedelta(days=45), last + timedelta(days=200 if lang == "ja" else 160)],
        tickformat=date_tickformat(lang),
        dtick="M6",  # four or five ticks: they fit a phone without turning
    )
    n_held = int(held.sum())
    as_of = str(rows["status_as_of"].dropna().max()) if "status_as_of" in rows else ""
    notes = [t("charts.jcm_partners.note", lang, held=n_held, total=len(rows), as_of=format_partial_date(as_of, lang))]
    return finish(
        fig,
        chart_id=chart_id,
        title=title,
        lang=lang,
        rows=rows,
        notes=notes,
        x_title=t("charts.axis.signed_on", lang),
        extra_source_key="charts.jcm_partners.dates_source",
        height=rows_height(len(rows), 40),
    )


# -- F/S studies --------------------------------------------------------------------------------
def fs_counts(fs_studies: pd.DataFrame) -> pd.DataFrame:
    """Studies per country (a study with sites in two countries counts once in each).

    Returns
    -------
    pandas.DataFrame
        Columns country_iso3, studies (int), study_nos (sorted list); most studies first.
    """
    per = (
        fs_studies.groupby("country_iso3")["study_no"]
        .agg(lambda s: sorted({int(v) for v in s}))
        .rename("study_nos")
        .reset_index()
    )
    per["studies"] = per["study_nos"].map(len)
    return per.sort_values(["studies", "country_iso3"], ascending=[False, True]).reset_index(drop=True)


def fs_studies_per_country(fs_studies: pd.DataFrame, lang: str) -> go.Figure:
    """F/S studies per country: horizontal bars, most studies on top, counts labelled.

    Returns
    -------
    plotly.graph_objects.Figure
        One bar trace; x = number of studies, y = country names.
    """
    chart_id = "fs_studies_per_country"
    title = t("charts.fs.title", lang)
    if fs_studies.empty:
        return empty_figure(chart_id, title, lang)
    per = fs_counts(fs_studies).iloc[::-1]  # horizontal bars draw bottom-up
    names = [country_name(c, lang) for c in per["country_iso3"]]
    themes = {int(r["study_no"]): t(f"theme.{r['theme']}", lang) for _, r in fs_studies.iterrows() if r["theme"]}
    hover = [
        "<br>".join(f"{t('charts.fs.study', lang, no=n)} · {themes.get(n, '')}" for n in nos)
        for nos in per["study_nos"]
    ]
    fig = go.Figure(
        go.Bar(
            x=list(per["studies"]),
            y=names,
            orientation="h",
            name=t("programme.fs", lang),
            marker=dict(color=colour("fs")),
            text=list(per["studies"]),
            textposition="outside",
            cliponaxis=False,
            customdata=hover,
            hovertemplate="%{y}: %{x}<br>%{customdata}<extra></extra>",
        )
    )
    fig.update_xaxes(dtick=1, range=[0, per["studies"].max() * 1.15 + 0.3])
    fig.update_layout(bargap=0.35)
    n_studies = fs_studies["study_no"].nunique()
    bars = int(per["studies"].sum())
    # Only when a study spans countries do the bars outnumber the studies; say so then.
    notes = [
        t("charts.fs.count_note", lang, bars=bars, studies=int(n_studies))
        if bars > n_studies
        else t("charts.fs.count_note_plain", lang)
    ]
    return finish(
        fig,
        chart_id=chart_id,
        title=title,
        lang=lang,
        rows=fs_studies,
        notes=notes,
        x_title=t("charts.axis.studies", lang),
        legend=False,
        height=rows_height(len(per), 30),
        note_width=NOTE_WIDTH - 12,  # the notes start right of the country names
    )


# -- JCM model projects --------------------------------------------------------------------------
def project_labels(projects: pd.DataFrame, lang: str) -> list[str]:
    """One label per row of ``projects``, no two alike: 'JFE Engineering · Indonesia'.

    The place is the project's site where the table names one, else its
    country. One company can have two projects in one country (Ebara's
    FY2014 model project and the first registered project, at Batang), and
    plotly draws bars sharing a label as one: any label still shared gets
    the project's title as well.

    Example
    -------
    >>> rows = pd.DataFrame({"representative_en": ["A", "A"], "country_iso3": ["IDN", "IDN"],
    ...                      "site_en": ["", "Batang"], "title_en": ["x", "y"]})
    >>> project_labels(rows, "en")
    ['A · Indonesia', 'A · Batang']
    """
    labels = [
        f"{pick(r, 'representative', lang)} · {pick(r, 'site', lang) or country_name(r['country_iso3'], lang)}"
        for _, r in projects.iterrows()
    ]
    shared = {label for label, n in Counter(labels).items() if n > 1}
    return [
        f"{label} · {pick(r, 'title', lang)}" if label in shared else label
        for label, (_, r) in zip(labels, projects.iterrows(), strict=True)
    ]


def model_project_reductions(jcm_model_projects: pd.DataFrame, lang: str) -> go.Figure:
    """Expected reductions per year of the JCM model projects: a dot plot on a linear axis from 0.

    The largest project expects about a thousand times the smallest. A log
    axis would draw 104 t as a fifth of 122,000 t, and bars from 0 would leave
    the small ones invisible; so each project is a dot at its value on a
    linear axis, the value written beside it, and the largest is named in a
    note with its share. Each project's name stands above its row, inside the
    plot, so the names take no width from the axis on a phone. Projects whose
    brochure figure is a total rather than a yearly one (the first registered
    project) are left out and named in a note.

    Returns
    -------
    plotly.graph_objects.Figure
        One marker trace, rows sorted ascending (largest drawn on top): x the
        expected reductions, y the project labels, text the values as written;
        x axis linear, from 0.
    """
    chart_id = "model_project_reductions"
    title = t("charts.projects.title", lang)
    per_year = reduction_rows(jcm_model_projects)
    totals = jcm_model_projects[
        jcm_model_projects["expected_reduction_tco2_per_year"].isna()
        & jcm_model_projects["expected_reduction_tco2_total"].notna()
    ]
    notes = []
    for (_, r), label in zip(totals.iterrows(), project_labels(totals, lang), strict=True):
        until = re.search(r"\d{4}", str(r.get("reduction_period") or ""))
        key = "charts.projects.excluded_until" if until else "charts.projects.excluded"
        registered = bool(r.get("first_registered"))
        notes.append(
            t(
                key,
                lang,
                name=t("counts.chart_registered", lang, name=label) if registered else label,
                total=format_number(r["expected_reduction_tco2_total"], lang),
                year=until.group(0) if until else "",
            )
        )
    if per_year.empty:
        fig = empty_figure(chart_id, title, lang)
        return fig
    values = [float(v) for v in per_year["expected_reduction_tco2_per_year"]]
    labels = project_labels(per_year, lang)
    largest = max(values)
    texts = [format_number(v, lang) for v in values]
    # The largest dot sits at the right end of the axis: its value goes to its left, with
    # the unit, so it needs no room beyond the axis and says what the numbers count.
    positions = ["middle right"] * len(values)
    if len(values) > 1:
        positions[-1] = "middle left"
        texts[-1] = t("charts.projects.largest_label", lang, value=texts[-1])
    hover = [wrap(pick(r, "title", lang), lang, 50) for _, r in per_year.iterrows()]
    fig = go.Figure(
        go.Scatter(
            x=values,
            y=labels,
            mode="markers+text",
            name=t("programme.jcm_projects", lang),
            marker=dict(color=colour("jcm_projects"), size=11, line=dict(color="#ffffff", width=1)),
            text=texts,
            textposition=positions,
            textfont=dict(size=12, color=INK),
            cliponaxis=False,
            customdata=hover,
            hovertemplate="%{y}<br>%{customdata}<br>%{x:,.0f} tCO2/" + t("unit.year", lang) + "<extra></extra>",
        )
    )
    # Linear from 0; a little room on the right so the largest dot is not cut in half.
    fig.update_xaxes(type="linear", range=[0, largest * 1.04], rangemode="tozero", tickformat=",", nticks=6)
    label_rows(fig, labels, labels)
    fig.update_yaxes(showgrid=True)
    total = sum(values)
    notes.insert(0, t("charts.projects.linear_note", lang, total=format_number(total, lang), n=len(values)))
    if len(values) > 1:
        notes.insert(
            1,
            t(
                "charts.projects.largest_note",
                lang,
                name=labels[-1],
                share=format_number(100 * largest / total, lang),
                times=format_number(largest / values[-2], lang, decimals=1),
            ),
        )
    return finish(
        fig,
        chart_id=chart_id,
        title=title,
        lang=lang,
        rows=jcm_model_projects,
        notes=notes,
        x_title=t("charts.axis.reduction", lang),
        legend=False,
        height=rows_height(len(values), 44),
    )


def reduction_rows(jcm_model_projects: pd.DataFrame) -> pd.DataFrame:
    """The projects :func:`model_project_reductions` draws, in its order (smallest first)."""
    return yearly_reduction_rows(jcm_model_projects).sort_values("expected_reduction_tco2_per_year", kind="stable")
