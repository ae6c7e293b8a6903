"""Each chart's text alternative: the rows it plots, as a small table in the reader's language.

A reader who cannot see a chart gets the same figures from its table. Every
function here takes the same tables and language as the chart's builder (and
ignores the builder's drawing options, such as colours), and reads its rows
through the builder's own helpers, so the table holds what the chart draws,
in the chart's order. No Streamlit here, and nothing is escaped for plotly:
the tables are shown as text.

The first column names the row (it becomes the row header); counts stay
numbers and a missing figure is ``None`` (never 0), for the page to format.

Example
-------
>>> from dashboard.io import load_table
>>> table = fs_studies_table(load_table("fs_studies"), "en")
>>> list(table.columns)
['Country', 'F/S studies (number)', 'Studies']
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import pandas as pd

from dashboard.charts.figure import has_value, partial_date_range
from dashboard.charts.jcm import (
    committee_group,
    date_text,
    fs_counts,
    partner_rows,
    partners_by_year,
    project_labels,
    reduction_rows,
)
from dashboard.charts.model_cities import undecided_year2
from dashboard.charts.seminars import SEMINAR_MEASURES, event_attendance, event_dates, event_name
from dashboard.counts import model_city_rows
from dashboard.i18n import code_label, country_name, format_partial_date, pick, t


def col(key: str, lang: str, **values) -> str:
    """A column title of the chart tables."""
    return t(f"chart_tables.col.{key}", lang, **values)


def plain(text: str) -> str:
    """A chart label as plain text (the chart helpers escape it for plotly)."""
    return html.unescape(text)


def model_project_reductions_table(jcm_model_projects: pd.DataFrame, lang: str, **_options) -> pd.DataFrame:
    """One row per dot of :func:`~dashboard.charts.jcm.model_project_reductions`, smallest first."""
    rows = reduction_rows(jcm_model_projects)
    return pd.DataFrame(
        {
            col("project", lang): [plain(label) for label in project_labels(rows, lang)],
            col("title", lang): [pick(r, "title", lang) for _, r in rows.iterrows()],
            col("reduction", lang): [float(v) for v in rows["expected_reduction_tco2_per_year"]],
        }
    )


def jcm_partners_table(jcm_partners: pd.DataFrame, lang: str, **_options) -> pd.DataFrame:
    """One row per partner, in signing order, as the timeline draws them.

    The date reads as on the chart (≈ partly verified, 'date not found' with the record's window), with
    its status spelt out; a partner the brochure does not list has no
    joint-committee record here, so its cell is '–', not 'not held'.
    """
    rows = partner_rows(jcm_partners)
    groups = [committee_group(r) for _, r in rows.iterrows()]
    return pd.DataFrame(
        {
            col("country", lang): [country_name(c, lang) for c in rows["country_iso3"]],
            col("signed_on", lang): [date_text(r, lang) for _, r in rows.iterrows()],
            col("signed_on_status", lang): [code_label("signed_on_status", s, lang) for s in rows["signed_on_status"]],
            col("joint_committee", lang): [
                "–" if g == "no_record" else t(f"charts.jcm_partners.{g}", lang) for g in groups
            ],
        }
    )


def jcm_partners_by_year_table(jcm_partners: pd.DataFrame, lang: str, **_options) -> pd.DataFrame:
    """One row per year of :func:`~dashboard.charts.jcm.jcm_partners_by_year`: new partners and the total."""
    per, by_bounds, _ = partners_by_year(jcm_partners)
    table = {
        col("signing_year", lang): [int(y) for y in per["year"]],
        col("new_partners", lang): [int(n) for n in per["dated"]],
    }
    if by_bounds:
        table[col("new_undated", lang)] = [int(n) for n in per["bounded"]]
    table[col("cumulative", lang)] = [int(n) for n in per["cumulative"]]
    return pd.DataFrame(table)


def fs_studies_table(fs_studies: pd.DataFrame, lang: str, **_options) -> pd.DataFrame:
    """One row per bar: a country, its number of studies and which they are (most studies first)."""
    per = fs_counts(fs_studies)
    return pd.DataFrame(
        {
            col("country", lang): [country_name(c, lang) for c in per["country_iso3"]],
            col("studies", lang): [int(n) for n in per["studies"]],
            col("study_nos", lang): [
                ("、" if lang == "ja" else ", ").join(t("charts.fs.study", lang, no=n) for n in nos)
                for nos in per["study_nos"]
            ],
        }
    )


def seminars_table(esc_seminars: pd.DataFrame, lang: str, **_options) -> pd.DataFrame:
    """One row per seminar: when, where, and the four counts the panels draw (None while planned)."""
    rows = esc_seminars.sort_values("seminar_no")
    table = {
        # Number and date in one column: a phone has room for few columns.
        col("seminar", lang): [
            t(
                "chart_tables.seminar",
                lang,
                no=t("charts.seminars.no", lang, no=int(r["seminar_no"])),
                held=format_partial_date(str(r["held"]), lang),
            )
            for _, r in rows.iterrows()
        ],
        col("venue", lang): [
            f"{pick(r, 'city', lang)} ({country_name(r['country_iso3'], lang)})" for _, r in rows.iterrows()
        ],
        col("status", lang): [t(f"status.{s}", lang) for s in rows["status"]],
    }
    for measure in SEMINAR_MEASURES:
        # Nullable integers: a planned seminar's gap stays a gap, not NaN or 0.
        table[t(f"charts.seminars.{measure}", lang)] = pd.array(
            [int(r[measure]) if has_value(r[measure]) and r["status"] == "held" else None for _, r in rows.iterrows()],
            dtype="Int64",
        )
    return pd.DataFrame(table)


def locarnet_table(locarnet_events: pd.DataFrame, lang: str, **_options) -> pd.DataFrame:
    """One row per event, in date order: what, where, when, status and attendance as written."""
    starts = [
        partial_date_range(s, e)[0]
        for s, e in zip(locarnet_events["date_start"], locarnet_events["date_end"], strict=True)
    ]
    rows = locarnet_events.assign(_start=starts).sort_values(["_start", "feature_id"])
    events, dates, attendance = [], [], []
    for _, r in rows.iterrows():
        events.append(event_name(r, lang))
        dates.append(event_dates(r, lang))
        attendance.append(event_attendance(r, lang) or t("charts.locarnet.no_attendance", lang))
    return pd.DataFrame(
        {
            col("event", lang): events,
            col("title", lang): [pick(r, "title", lang) for _, r in rows.iterrows()],
            col("date", lang): dates,
            col("status", lang): [t(f"status.{s}", lang) for s in rows["status"]],
            col("attendance", lang): attendance,
        }
    )


def model_cities_table(
    model_cities: pd.DataFrame,
    lang: str,
    years: Sequence[int] | None = None,
    undecided: Sequence[str] | None = None,
    **_options,
) -> pd.DataFrame:
    """One row per country (brochure order), one column per programme year drawn: the bars' heights.

    A country whose year 2 was undecided keeps its 0 and says so in a note column.
    """
    years = sorted(years) if years is not None else sorted({int(y) for y in model_cities["program_year"]})
    undecided = list(undecided) if undecided is not None else undecided_year2(model_cities)
    countries = list(dict.fromkeys(model_cities["country_iso3"]))
    table = {col("country", lang): [country_name(c, lang) for c in countries]}
    for year in years:
        rows = model_city_rows(model_cities, year)
        table[col("year", lang, year=year)] = [int((rows["country_iso3"] == c).sum()) for c in countries]
    flagged = [c for c in countries if c in undecided] if 2 in years else []
    if flagged:
        label = t("charts.model_cities.undecided_label", lang)
        table[col("note", lang)] = [label if c in flagged else "" for c in countries]
    return pd.DataFrame(table)
