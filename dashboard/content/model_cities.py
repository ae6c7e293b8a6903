"""What the model-cities page shows: year 1 and year 2 by country, stated totals, success stories, exchanges."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import pandas as pd
import pycountry

from dashboard.content.tables import col_label, headings, unique_index
from dashboard.counts import model_city_rows
from dashboard.details import feature_name
from dashboard.i18n import country_name, format_partial_date, pick, t
from dashboard.text import cell_text, join_names

# A fact id like 'malaysia_year2_tbd' says that a country's year-2 model city
# was not yet chosen; the country is the part before the suffix.
_TBD_FACT = re.compile(r"^(?P<country>[a-z_]+)_year2_tbd$")


def year2_undecided(facts: pd.DataFrame) -> dict[str, pd.Series]:
    """Countries whose year-2 model city the brochure gives as undecided (未定).

    Read from ``brochure_facts`` rows whose id is ``<country>_year2_tbd``.

    Parameters
    ----------
    facts : DataFrame
        The ``brochure_facts`` table.

    Returns
    -------
    dict
        ISO3 -> the fact row (its statement and source are shown beside the table).

    Raises
    ------
    ValueError
        If the country part of such an id is not a country name.
    """
    out = {}
    for _, row in facts.iterrows():
        match = _TBD_FACT.match(str(row["fact_id"]))
        if not match:
            continue
        name = match["country"].replace("_", " ")
        try:
            iso3 = pycountry.countries.lookup(name).alpha_3
        except LookupError as err:
            raise ValueError(f"brochure_facts {row['fact_id']!r}: {name!r} is not a country name") from err
        out[iso3] = row
    return out


def model_city_years(
    cities: pd.DataFrame,
    facts: pd.DataFrame,
    lang: str,
    years: Sequence[int] = (1, 2),
    undecided_countries: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Model cities per country and programme year, one row per country.

    Parameters
    ----------
    cities : DataFrame
        ``model_cities`` rows (already filtered).
    facts : DataFrame
        ``brochure_facts``, for the countries whose year-2 city was undecided.
    lang : str
    years : sequence of int
        Programme years to tabulate (the filter may keep one only).
    undecided_countries : iterable of str, optional
        Countries that may get an 'undecided' row even with no city in
        ``cities`` (those the filter lets through); None means any.

    Returns
    -------
    DataFrame
        ``country_iso3, country, year1_cities, year1_count, year2_cities,
        year2_count, year2_undecided``, countries in the brochure's order (first
        appearance in the table). Counts are of the rows in ``cities``.

    Example
    -------
    >>> from dashboard.io import load_table
    >>> t = model_city_years(load_table("model_cities"), load_table("brochure_facts"), "en")
    >>> int(t["year1_count"].sum()), int(t["year2_count"].sum())
    (14, 21)
    """
    undecided = year2_undecided(facts) if 2 in years else {}
    if undecided_countries is not None:
        allowed = set(undecided_countries)
        undecided = {k: v for k, v in undecided.items() if k in allowed}
    order = list(dict.fromkeys(cities["country_iso3"]))
    order += [iso for iso in undecided if iso not in order]
    rows = []
    for iso3 in order:
        here = cities[cities["country_iso3"] == iso3]
        row = {"country_iso3": iso3, "country": country_name(iso3, lang)}
        for year in (1, 2):
            names = [pick(r, "name", lang) for _, r in here[here["program_year"] == year].iterrows()]
            row[f"year{year}_count"] = len(names)
            row[f"year{year}_cities"] = join_names(names, lang)
        row["year2_undecided"] = iso3 in undecided
        if row["year2_undecided"]:
            mark = t("page.model_cities.undecided", lang)
            row["year2_cities"] = join_names([row["year2_cities"], mark], lang)
        rows.append(row)
    out = pd.DataFrame(
        rows,
        columns=[
            "country_iso3",
            "country",
            "year1_cities",
            "year1_count",
            "year2_cities",
            "year2_count",
            "year2_undecided",
        ],
    )
    # A country the filter leaves with no city in a shown year still gets its row; '–' marks the gap.
    for year in (1, 2):
        out[f"year{year}_cities"] = out[f"year{year}_cities"].replace("", "–")
        out[f"year{year}_count"] = out[f"year{year}_count"].astype(int)
    return out


def shown_years(summary: pd.DataFrame, years: Sequence[int]) -> tuple[int, ...]:
    """The programme years worth a column: those with a city, or (year 2) an undecided country.

    A theme filter, say, leaves no year-2 city (themes belong to year-1
    stories); a column of dashes and zeros would then only distract.
    ``years`` itself is returned when nothing is left, so the table keeps its shape.
    """
    keep = tuple(
        y for y in years if summary[f"year{y}_count"].sum() > 0 or (y == 2 and bool(summary["year2_undecided"].any()))
    )
    return keep or tuple(years)


def model_city_metrics(cities: pd.DataFrame, years: Sequence[int]) -> list[tuple[str, int]]:
    """Headline counts of the filtered model cities: (locale key under ``page.model_cities.``, value).

    Year-1 cities and their countries, and year-2 cities, for the years shown.
    """
    out = []
    if 1 in years:
        year1 = model_city_rows(cities, 1)
        out += [("metric_y1", len(year1)), ("metric_y1_countries", int(year1["country_iso3"].nunique()))]
    if 2 in years:
        out.append(("metric_y2", len(model_city_rows(cities, 2))))
    return out


def stated_totals(facts: pd.DataFrame) -> dict | None:
    """The brochure's own model-city totals, to print beside the counts of the table.

    Returns
    -------
    dict or None
        ``y1, c1, y2`` (year-1 cities, year-1 countries, year-2 cities) and
        ``src1, src2`` (their source references); None if a fact is missing.
    """
    stated = unique_index(facts, "fact_id", "brochure_facts")
    needed = ("year1_scope", "year1_countries", "year2_cities")
    if not set(needed) <= set(stated.index) or stated.loc[list(needed), "value"].isna().any():
        return None
    return {
        "y1": int(stated.at["year1_scope", "value"]),
        "c1": int(stated.at["year1_countries", "value"]),
        "y2": int(stated.at["year2_cities", "value"]),
        "src1": stated.at["year1_scope", "source_ref"],
        "src2": stated.at["year2_cities", "source_ref"],
    }


def model_city_year_columns(years: Sequence[int], lang: str) -> dict[str, str]:
    """Display columns of :func:`model_city_years` for the years shown."""
    cols = {"country": col_label("country", lang)}
    for year in (1, 2):
        if year in years:
            cols[f"year{year}_cities"] = col_label(f"year{year}_cities", lang)
            cols[f"year{year}_count"] = col_label(f"year{year}_count", lang)
    return cols


def success_stories(stories: pd.DataFrame, cities: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The year-1 success stories of the cities in ``cities``, in the brochure's order.

    Parameters
    ----------
    stories : DataFrame
        ``success_stories``.
    cities : DataFrame
        ``model_cities`` rows (filtered); a story shows when its city has a
        year-1 row here, so the country, year and theme filters narrow stories.

    Returns
    -------
    DataFrame
        ``city_id, city, country, theme, story, photo_caption, source_ref``.
    """
    year1 = unique_index(cities[cities["program_year"] == 1], "city_id", "model_cities (year 1)")
    rows = []
    for _, story in stories.iterrows():
        if story["city_id"] not in year1.index:
            continue
        city = year1.loc[story["city_id"]]
        rows.append(
            {
                "city_id": story["city_id"],
                "city": pick(city, "name", lang),
                "country": country_name(story["country_iso3"], lang),
                "theme": pick(story, "theme", lang),
                "story": pick(story, "story", lang),
                "photo_caption": pick(story, "photo_caption", lang),
                "source_ref": story["source_ref"],
            }
        )
    return pd.DataFrame(rows, columns=["city_id", "city", "country", "theme", "story", "photo_caption", "source_ref"])


def exchange_table(exchanges: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Knowledge-sharing rows for reading: who shared with whom, what, when, where it is written.

    Returns
    -------
    DataFrame
        ``feature_id, exchange, shared, date, source_ref, note``; ``exchange``
        reads 'A ↔ B' for mutual sharing and 'A → B' for one-way.
    """
    rows = []
    for _, row in exchanges.iterrows():
        rows.append(
            {
                "feature_id": row["feature_id"],
                "exchange": feature_name("knowledge_sharing", row, lang),
                "shared": pick(row, "topic", lang),
                "date": format_partial_date(cell_text(row["date"]), lang),
                "source_ref": row["source_ref"],
                "note": cell_text(row["note"]),
            }
        )
    return pd.DataFrame(rows, columns=["feature_id", "exchange", "shared", "date", "source_ref", "note"])


def exchange_columns(lang: str) -> dict[str, str]:
    return headings(("exchange", "shared", "date", "source_ref", "note"), lang, {"note": "note_en"})


def map_keys(cities: pd.DataFrame) -> tuple[str, ...]:
    """The map layers of the page's map: the exchanges, and each programme year the (filtered) cities have.

    Example
    -------
    >>> map_keys(pd.DataFrame({"program_year": [1]}))
    ('knowledge_sharing', 'model_cities_y1')
    """
    years = set(cities["program_year"].dropna().astype(int))
    return ("knowledge_sharing",) + tuple(f"model_cities_y{y}" for y in (1, 2) if y in years)
