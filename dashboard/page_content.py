"""What the overview, JCM and seminars pages show, computed from the tables.

Pure (no Streamlit): headline figures, display tables with column names in
the page language, the JCM partner legend and scheme cards. The pages pass
filtered frames in and render what comes out, so every figure on screen is
counted from the data at run time, never typed in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from dashboard.charts.figure import partial_date_range
from dashboard.charts.jcm import fs_counts
from dashboard.i18n import country_name, format_number, format_partial_date, pick, t
from dashboard.style import signing_colours


def _text(value) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def col(key: str, lang: str) -> str:
    """A table column heading in ``lang``."""
    return t(f"pages.col.{key}", lang)


def table_height(n_rows: int, row_px: int = 35, max_rows: int = 25) -> int:
    """Pixel height that shows ``n_rows`` rows of ``st.dataframe`` without an inner scrollbar."""
    return row_px * (min(n_rows, max_rows) + 1) + 3


# -- overview -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Metric:
    """One ``st.metric``: label, value as shown, and its help text."""

    key: str
    label: str
    value: str
    help: str


def headline_metrics(frames: Mapping[str, pd.DataFrame], lang: str) -> list[Metric]:
    """The overview's headline figures, counted from the (filtered) tables.

    Parameters
    ----------
    frames : mapping
        Table id → DataFrame for ``model_cities``, ``esc_seminars``,
        ``jcm_partners``, ``fs_studies`` and ``jcm_model_projects``.
    lang : str

    Returns
    -------
    list of Metric
        Keys: cities_y1, cities_y2, participants, partners, fs, projects, reductions.
    """
    out: list[Metric] = []
    cities = frames["model_cities"]
    for year in (1, 2):
        n = int((cities["program_year"] == year).sum())
        out.append(
            Metric(
                f"cities_y{year}",
                t("pages.overview.cities_year", lang, year=year),
                format_number(n, lang),
                t("pages.overview.cities_help", lang, year=year),
            )
        )
    seminars = frames["esc_seminars"]
    held = seminars[(seminars["status"] == "held") & seminars["participants"].notna()]
    years = sorted(str(h)[:4] for h in held["held"])
    label = (
        t("pages.overview.participants", lang, first=years[0], last=years[-1])
        if years
        else t("pages.overview.participants_plain", lang)
    )
    out.append(
        Metric(
            "participants",
            label,
            format_number(int(held["participants"].sum()) if len(held) else 0, lang),
            t("pages.overview.participants_help", lang, n=len(held)),
        )
    )
    partners = frames["jcm_partners"]
    as_of = _text(partners["status_as_of"].max()) if len(partners) else ""
    out.append(
        Metric(
            "partners",
            t("pages.overview.partners", lang),
            format_number(len(partners), lang),
            t("pages.overview.partners_help", lang, as_of=format_partial_date(as_of, lang)),
        )
    )
    fs = frames["fs_studies"]
    out.append(
        Metric(
            "fs",
            t("pages.overview.fs", lang),
            format_number(fs["study_no"].nunique(), lang),
            t("pages.overview.fs_help", lang),
        )
    )
    projects = frames["jcm_model_projects"]
    out.append(
        Metric(
            "projects",
            t("pages.overview.projects", lang),
            format_number(len(projects), lang),
            t("pages.overview.projects_help", lang),
        )
    )
    yearly = projects["expected_reduction_tco2_per_year"].dropna()
    out.append(
        Metric(
            "reductions",
            t("pages.overview.reductions", lang),
            format_number(float(yearly.sum()), lang),
            t("pages.overview.reductions_help", lang, n=len(yearly)),
        )
    )
    return out


# -- seminars -------------------------------------------------------------------------------
def seminar_table(esc_seminars: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per seminar: number, date, venue, status and the four attendance counts.

    Counts are shown as text so a planned seminar reads '–' rather than 'None'.
    """
    rows = esc_seminars.sort_values("seminar_no")

    def counts(name: str) -> list[str]:
        return [format_number(v, lang) if _text(v) else "–" for v in rows[name]]

    return pd.DataFrame(
        {
            col("seminar_no", lang): rows["seminar_no"].reset_index(drop=True),
            col("held", lang): [format_partial_date(_text(v), lang) for v in rows["held"]],
            col("venue", lang): [pick(r, "city", lang) for _, r in rows.iterrows()],
            col("country", lang): [country_name(_text(v), lang) for v in rows["country_iso3"]],
            col("status", lang): [t(f"status.{v}", lang) for v in rows["status"]],
            col("participants", lang): counts("participants"),
            col("countries", lang): counts("countries"),
            col("local_governments", lang): counts("local_governments"),
            col("organizations", lang): counts("organizations"),
        }
    )


def seminar_outcomes(outcomes: pd.DataFrame, esc_seminars: pd.DataFrame, lang: str) -> list[tuple[str, list[str]]]:
    """(heading, outcome texts) per seminar present in ``esc_seminars``, in seminar order."""
    out = []
    for _, s in esc_seminars.sort_values("seminar_no").iterrows():
        rows = outcomes[outcomes["seminar_no"] == s["seminar_no"]].sort_values("outcome_no")
        if rows.empty:
            continue
        heading = t(
            "pages.seminars.outcome_heading",
            lang,
            no=int(s["seminar_no"]),
            venue=pick(s, "city", lang),
            when=format_partial_date(_text(s["held"]), lang),
        )
        out.append((heading, [pick(r, "outcome", lang) for _, r in rows.iterrows()]))
    return out


def locarnet_table(events: pd.DataFrame, lang: str) -> pd.DataFrame:
    """LoCARNet events in date order: date, event, kind, place, status, attendance, outcome."""
    if events.empty:
        return pd.DataFrame(
            columns=[col(k, lang) for k in ("date", "kind", "place", "status", "participants", "event", "outcome")]
        )
    rows = events.assign(
        _start=[partial_date_range(s, e)[0] for s, e in zip(events["date_start"], events["date_end"], strict=True)]
    )
    rows = rows.sort_values(["_start", "feature_id"])

    def when(r) -> str:
        text = format_partial_date(r["date_start"], lang)
        return text if r["date_end"] == r["date_start"] else f"{text} – {format_partial_date(r['date_end'], lang)}"

    def attendance(r) -> str:
        if not _text(r["participants"]):
            return ""
        n = format_number(r["participants"], lang)
        return t("pages.seminars.more_than", lang, n=n) if r["participants_is_minimum"] is True else n

    return pd.DataFrame(
        {
            col("date", lang): [when(r) for _, r in rows.iterrows()],
            col("kind", lang): [t(f"charts.event_kind.{k}", lang) for k in rows["event_kind"]],
            col("place", lang): [
                pick(r, "city", lang) or country_name(_text(r["country_iso3"]), lang) for _, r in rows.iterrows()
            ],
            col("status", lang): [t(f"status.{v}", lang) for v in rows["status"]],
            col("participants", lang): [attendance(r) for _, r in rows.iterrows()],
            col("event", lang): [pick(r, "title", lang) for _, r in rows.iterrows()],
            col("outcome", lang): [pick(r, "outcome", lang) for _, r in rows.iterrows()],
        }
    )


# -- JCM ------------------------------------------------------------------------------------
def partner_legend(all_partners: pd.DataFrame, lang: str) -> str:
    """Caption for the partner map: which end of the ramp is the first and last signer."""
    rows = all_partners.sort_values("signed_on")
    first, last = rows.iloc[0], rows.iloc[-1]
    return t(
        "pages.jcm.legend",
        lang,
        first=format_partial_date(first["signed_on"], lang),
        first_name=country_name(first["country_iso3"], lang),
        last=format_partial_date(last["signed_on"], lang),
        last_name=country_name(last["country_iso3"], lang),
    )


def partner_bounds(partners) -> list[list[float]] | None:
    """[[south, west], [north, east]] around every partner polygon.

    The atlas map opens on Asia; the JCM page passes these bounds so partners in
    Africa and Latin America are on screen too.
    """
    geoms = partners.geometry.dropna() if hasattr(partners, "geometry") else []
    if len(geoms) == 0:
        return None
    west, south, east, north = geoms.total_bounds
    pad = 3.0
    return [[max(south - pad, -85.0), max(west - pad, -180.0)], [min(north + pad, 85.0), min(east + pad, 180.0)]]


def partner_colours(all_partners: pd.DataFrame) -> dict[str, str]:
    """ISO3 → fill colour for the map (same ramp as the timeline chart)."""
    return signing_colours(all_partners)


def joint_committees(partners: pd.DataFrame, lang: str) -> list[str]:
    """Sentences: partners with and without a joint committee, in signing order."""
    rows = partners.sort_values("signed_on")
    held = rows["joint_committee_held"].fillna(False).astype(bool)
    sep = "、" if lang == "ja" else ", "
    out = []
    for flag, key in ((True, "pages.jcm.committees_held"), (False, "pages.jcm.committees_not")):
        names = [country_name(c, lang) for c in rows.loc[held == flag, "country_iso3"]]
        if names:
            out.append(t(key, lang, n=len(names), names=sep.join(names)))
    return out


def scheme_cards(schemes: pd.DataFrame, lang: str) -> list[dict]:
    """The financing schemes in their order: name, (label, value) fields, summary."""
    cards = []
    for _, r in schemes.sort_values("scheme_no").iterrows():
        fields = [
            (t("pages.jcm.recipient", lang), pick(r, "recipient", lang)),
            (t("pages.jcm.cap", lang), pick(r, "subsidy_cap", lang)),
            (
                t("pages.jcm.period", lang),
                t("pages.jcm.period_value", lang, start=_text(r["period_start_fy"]), end=_text(r["period_end_fy"])),
            ),
        ]
        sectors = pick(r, "target_sectors", lang)
        if sectors and (lang == "en" or _text(r.get("target_sectors_ja", ""))):
            fields.append((t("pages.jcm.sectors", lang), sectors))
        cards.append(
            {
                "id": r["scheme_id"],
                "name": pick(r, "name", lang),
                "fields": [(label, value) for label, value in fields if value],
                "summary": pick(r, "summary", lang),
            }
        )
    return cards


def fs_study_table(fs_studies: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per study: number, title, theme, countries and sites (sites joined)."""
    if fs_studies.empty:
        return pd.DataFrame(
            columns=[col(k, lang) for k in ("no", "country_list", "sites", "theme", "fiscal_year", "title")]
        )
    sep = "、" if lang == "ja" else "; "
    rows = []
    for no, group in fs_studies.sort_values(["study_no", "feature_id"]).groupby("study_no", sort=True):
        first = group.iloc[0]
        rows.append(
            {
                col("no", lang): int(no),
                col("country_list", lang): sep.join(
                    dict.fromkeys(country_name(c, lang) for c in group["country_iso3"])
                ),
                col("sites", lang): sep.join(pick(r, "site", lang) for _, r in group.iterrows()),
                col("theme", lang): t(f"theme.{first['theme']}", lang) if _text(first["theme"]) else "",
                col("fiscal_year", lang): t("value.fiscal_year", lang, year=_text(first["fiscal_year"])),
                col("title", lang): pick(first, "title", lang),
            }
        )
    return pd.DataFrame(rows)


def fs_country_table(fs_studies: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Studies per country as a table (the chart's numbers)."""
    per = fs_counts(fs_studies) if len(fs_studies) else pd.DataFrame(columns=["country_iso3", "studies", "study_nos"])
    return pd.DataFrame(
        {
            col("country", lang): [country_name(c, lang) for c in per["country_iso3"]],
            t("charts.axis.studies", lang): list(per["studies"]),
        }
    )


def project_table(projects: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Model projects with a yearly figure, largest first: company, country, tCO2/year, theme, FY, title."""
    rows = projects[projects["expected_reduction_tco2_per_year"].notna()]
    rows = rows.sort_values("expected_reduction_tco2_per_year", ascending=False)
    return pd.DataFrame(
        {
            col("company", lang): [pick(r, "representative", lang) for _, r in rows.iterrows()],
            col("country", lang): [country_name(c, lang) for c in rows["country_iso3"]],
            col("reduction", lang): rows["expected_reduction_tco2_per_year"].astype(float).to_numpy(),
            col("theme", lang): [t(f"theme.{v}", lang) if v else "" for v in rows["theme"]],
            col("fiscal_year", lang): [
                t("value.fiscal_year", lang, year=_text(v)) if _text(v) else "" for v in rows["fiscal_year"]
            ],
            col("title", lang): [pick(r, "title", lang) for _, r in rows.iterrows()],
        }
    )


def first_registered(projects: pd.DataFrame):
    """The first registered JCM project's row, or None when the filter leaves it out."""
    rows = projects[projects["first_registered"].fillna(False).astype(bool)]
    return rows.iloc[0] if len(rows) else None
