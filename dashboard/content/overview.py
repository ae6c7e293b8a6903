"""What the overview shows: the headline figures, counted from the (filtered) tables."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from dashboard import counts
from dashboard.i18n import format_number, format_partial_date, t
from dashboard.style import signing_span
from dashboard.text import cell_text


@dataclass(frozen=True)
class Metric:
    """One ``st.metric``: label, value as shown, its help text, and a note shown under it.

    ``note`` is set where the same count reads differently elsewhere (the map
    draws fewer, or more, than the figure counts), so the reader sees why.
    """

    key: str
    label: str
    value: str
    help: str
    note: str = ""


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
        Counts shown elsewhere too come from :mod:`dashboard.counts`.
    """
    out: list[Metric] = []
    for year in (1, 2):
        c = counts.count(counts.model_city_rows(frames["model_cities"], year), counts.MODEL_CITIES, lang)
        placement = counts.placement_note(c, lang)
        out.append(
            Metric(
                f"cities_y{year}",
                t("page.overview.cities_year", lang, year=year),
                format_number(c.listed, lang),
                f"{t('page.overview.cities_help', lang, year=year)} {placement}".strip(),
                placement if c.placed is not None and c.placed != c.listed else "",
            )
        )
    seminars = frames["esc_seminars"]
    held = seminars[(seminars["status"] == "held") & seminars["participants"].notna()]
    years = sorted(str(h)[:4] for h in held["held"])
    label = (
        t("page.overview.participants", lang, first=years[0], last=years[-1])
        if years
        else t("page.overview.participants_plain", lang)
    )
    out.append(
        Metric(
            "participants",
            label,
            format_number(int(held["participants"].sum()) if len(held) else 0, lang),
            t("page.overview.participants_help", lang, n=len(held)),
        )
    )
    partners = frames["jcm_partners"]
    if len(partners) and not partners["in_brochure"].all():
        # The latest state: the later partners' dates come from the public record, not the brochure.
        span = signing_span(partners)
        help_text = t(
            "page.overview.partners_help_latest",
            lang,
            year=span[1].year if span else "",
            n=int(partners["in_brochure"].sum()),
        )
    else:
        as_of = cell_text(partners["status_as_of"].max()) if len(partners) else ""
        help_text = t("page.overview.partners_help", lang, as_of=format_partial_date(as_of, lang))
    out.append(Metric("partners", t("page.overview.partners", lang), format_number(len(partners), lang), help_text))
    fs = frames["fs_studies"]
    out.append(
        Metric(
            "fs",
            t("page.overview.fs", lang),
            format_number(counts.study_count(fs), lang),
            t("page.overview.fs_help", lang),
            note=t(
                "counts.fs_sites",
                lang,
                studies=format_number(counts.study_count(fs), lang),
                sites=format_number(len(fs), lang),
            )
            if len(fs) != counts.study_count(fs)
            else "",
        )
    )
    projects = frames["jcm_model_projects"]
    apart = counts.registered_note(projects, lang)
    out.append(
        Metric(
            "projects",
            t("page.overview.projects", lang),
            format_number(len(counts.model_project_rows(projects)), lang),
            f"{t('page.overview.projects_help', lang)} {apart}".strip(),
            apart,
        )
    )
    yearly = counts.yearly_reduction_rows(projects)["expected_reduction_tco2_per_year"]
    out.append(
        Metric(
            "reductions",
            t("page.overview.reductions", lang),
            format_number(float(yearly.sum()), lang),
            t("page.overview.reductions_help", lang, n=len(yearly)),
        )
    )
    return out
