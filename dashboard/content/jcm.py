"""What the JCM page shows: partner colours, frame and legend, joint committees, scheme cards, F/S and project tables."""

from __future__ import annotations

import pandas as pd

from dashboard.content.tables import col_label
from dashboard.i18n import country_name, pick, signing_date, signing_marks, t
from dashboard.style import signing_colours, signing_span
from dashboard.text import cell_text


def partner_legend(state_partners: pd.DataFrame, lang: str) -> str:
    """Caption for the partner map: the years the ramp spans, and what ≈ and grey mean if the map shows them.

    ``state_partners``: every partner of the state shown (facets aside), the rows the ramp is made from.
    """
    span = signing_span(state_partners)
    if span is None:
        return ""
    rows = state_partners.sort_values("signing_order")
    first, last = rows.iloc[0], rows[rows["signed_on"].fillna("") != ""].iloc[-1]
    text = t(
        "page.jcm.legend",
        lang,
        first_year=span[0].year,
        last_year=span[1].year,
        first=signing_date(first["signed_on"], first["signed_on_status"], lang),
        first_name=country_name(first["country_iso3"], lang),
        last=signing_date(last["signed_on"], last["signed_on_status"], lang),
        last_name=country_name(last["country_iso3"], lang),
    )
    marks = signing_marks(rows["signed_on_status"], lang)
    if marks:
        text += " " + marks
    return text


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


def partner_colours(state_partners: pd.DataFrame) -> dict[str, str]:
    """ISO3 → fill colour for the map (same ramp as the timeline chart).

    Made from every partner of the state shown: the brochure's 12 spread over
    2013–2014, all 31 over 2013–2025; a facet does not change a country's shade.
    """
    return signing_colours(state_partners)


def joint_committees(partners: pd.DataFrame, lang: str) -> list[str]:
    """Sentences: the brochure's partners with and without a joint committee (December 2014), in signing order.

    Partners that signed later have no joint-committee record here: they are
    neither 'held' nor 'not held', and a last sentence says so.
    """
    rows = partners[partners["joint_committee_held"].notna()].sort_values("signing_order")
    no_record = int(partners["joint_committee_held"].isna().sum())
    held = rows["joint_committee_held"].astype(bool)
    sep = "、" if lang == "ja" else ", "
    out = []
    for flag, key in ((True, "page.jcm.committees_held"), (False, "page.jcm.committees_not")):
        names = [country_name(c, lang) for c in rows.loc[held == flag, "country_iso3"]]
        if names:
            out.append(t(key, lang, n=len(names), names=sep.join(names)))
    if no_record:
        out.append(t("page.jcm.committees_no_record", lang, n=no_record))
    return out


def scheme_cards(schemes: pd.DataFrame, lang: str) -> list[dict]:
    """The financing schemes in their order: name, (label, value) fields, summary."""
    cards = []
    for _, r in schemes.sort_values("scheme_no").iterrows():
        fields = [
            (t("page.jcm.recipient", lang), pick(r, "recipient", lang)),
            (t("page.jcm.cap", lang), pick(r, "subsidy_cap", lang)),
            (
                t("page.jcm.period", lang),
                t(
                    "page.jcm.period_value",
                    lang,
                    start=cell_text(r["period_start_fy"]),
                    end=cell_text(r["period_end_fy"]),
                ),
            ),
        ]
        sectors = pick(r, "target_sectors", lang)
        if sectors and (lang == "en" or cell_text(r.get("target_sectors_ja", ""))):
            fields.append((t("page.jcm.sectors", lang), sectors))
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
    """One row per study: number, title, countries, sites (joined), theme and fiscal year."""
    if fs_studies.empty:
        return pd.DataFrame(
            columns=[col_label(k, lang) for k in ("no", "title", "country_list", "sites", "theme", "fiscal_year")]
        )
    sep = "、" if lang == "ja" else "; "
    rows = []
    for no, group in fs_studies.sort_values(["study_no", "feature_id"]).groupby("study_no", sort=True):
        first = group.iloc[0]
        rows.append(
            {
                col_label("no", lang): int(no),
                # The title second: it is what a reader looks a study up for, and it wraps in the table.
                col_label("title", lang): pick(first, "title", lang),
                col_label("country_list", lang): sep.join(
                    dict.fromkeys(country_name(c, lang) for c in group["country_iso3"])
                ),
                col_label("sites", lang): sep.join(pick(r, "site", lang) for _, r in group.iterrows()),
                col_label("theme", lang): t(f"theme.{first['theme']}", lang) if cell_text(first["theme"]) else "",
                col_label("fiscal_year", lang): t("value.fiscal_year", lang, year=cell_text(first["fiscal_year"])),
            }
        )
    return pd.DataFrame(rows)


def project_table(projects: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Model projects with a yearly figure, largest first: company, country, tCO2/year, theme, FY, title."""
    rows = projects[projects["expected_reduction_tco2_per_year"].notna()]
    rows = rows.sort_values("expected_reduction_tco2_per_year", ascending=False)
    return pd.DataFrame(
        {
            col_label("company", lang): [pick(r, "representative", lang) for _, r in rows.iterrows()],
            col_label("country", lang): [country_name(c, lang) for c in rows["country_iso3"]],
            col_label("reduction", lang): rows["expected_reduction_tco2_per_year"].astype(float).to_numpy(),
            col_label("theme", lang): [t(f"theme.{v}", lang) if v else "" for v in rows["theme"]],
            col_label("fiscal_year", lang): [
                t("value.fiscal_year", lang, year=cell_text(v)) if cell_text(v) else "" for v in rows["fiscal_year"]
            ],
            col_label("title", lang): [pick(r, "title", lang) for _, r in rows.iterrows()],
        }
    )


def first_registered(projects: pd.DataFrame):
    """The first registered JCM project's row, or None when the filter leaves it out."""
    rows = projects[projects["first_registered"].fillna(False).astype(bool)]
    return rows.iloc[0] if len(rows) else None
