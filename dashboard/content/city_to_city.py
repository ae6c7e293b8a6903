"""What the city-to-city page shows: the partnerships, each with the F/S studies it took part in."""

from __future__ import annotations

import pandas as pd

from dashboard.content.tables import headings, unique_index
from dashboard.i18n import country_name, pick, t
from dashboard.text import cell_text


def fs_titles(fs: pd.DataFrame) -> pd.DataFrame:
    """One row per F/S study number with its titles.

    ``fs_studies`` has a row per study site, so a number repeats; its title
    must not differ between the rows.

    Raises
    ------
    ValueError
        Naming a study number whose rows disagree on the title.
    """
    titles = fs[["study_no", "title_en", "title_ja"]].drop_duplicates()
    return unique_index(titles, "study_no", "fs_studies titles per study_no")


def partnership_table(partnerships: pd.DataFrame, fs: pd.DataFrame, lang: str) -> pd.DataFrame:
    """City-to-city partnerships joined to their related F/S study.

    Parameters
    ----------
    partnerships : DataFrame
        ``city_partnerships`` rows (filtered).
    fs : DataFrame
        ``fs_studies`` (all rows: the join is on ``related_fs_study_no`` =
        ``study_no``).
    lang : str

    Returns
    -------
    DataFrame
        ``feature_id, jp_municipality, partner, country, cooperation, fs_no,
        fs_title, source_ref, note``; ``fs_no`` reads 'F/S study 7' / '調査7'
        and is empty, with the title, where the brochure links no study.

    Raises
    ------
    ValueError
        If a related study number is not in ``fs_studies``.
    """
    titles = fs_titles(fs)
    related = partnerships["related_fs_study_no"].dropna().astype(int)
    unknown = sorted(set(related) - set(titles.index))
    if unknown:
        raise ValueError(f"city_partnerships.related_fs_study_no not in fs_studies.study_no: {unknown}")
    rows = []
    for _, row in partnerships.iterrows():
        no = row["related_fs_study_no"]
        has_fs = not pd.isna(no)
        rows.append(
            {
                "feature_id": row["feature_id"],
                "jp_municipality": pick(row, "jp_municipality", lang),
                "partner": pick(row, "partner", lang),
                "country": country_name(row["partner_country_iso3"], lang),
                "cooperation": pick(row, "cooperation", lang),
                "fs_no": t("detail.fs_number", lang, no=int(no)) if has_fs else "",
                "fs_title": pick(titles.loc[int(no)], "title", lang) if has_fs else "",
                "source_ref": row["source_ref"],
                "note": cell_text(row["note"]),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "feature_id",
            "jp_municipality",
            "partner",
            "country",
            "cooperation",
            "fs_no",
            "fs_title",
            "source_ref",
            "note",
        ],
    )


def partnership_columns(lang: str) -> dict[str, str]:
    return headings(
        ("jp_municipality", "partner", "country", "cooperation", "fs_no", "fs_title", "source_ref", "note"),
        lang,
        {"note": "note_en"},
    )
