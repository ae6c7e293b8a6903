"""One definition of each count the atlas shows more than once.

The Overview's headline, a map's legend, a chart and a presentation slide all
count the same tables; each asks here, so a count cannot mean one thing on one
screen and another elsewhere. Where two screens count different things for a
reason (the rows a table lists and the ones the map can place; the model
projects and the first registered project, which share a table), the texts
built here say so in the reader's language.

Pure: pandas and the locale catalogue, no Streamlit.

Example
-------
>>> import pandas as pd
>>> cities = pd.DataFrame({"program_year": [1, 2, 2], "name_en": ["A", "B", "C"]})
>>> len(model_city_rows(cities, 2))
2
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.details import feature_name
from dashboard.i18n import country_name, format_number, pick, t
from dashboard.text import join_names

MODEL_CITIES = "model_cities"
PROJECTS = "jcm_model_projects"
STUDIES = "fs_studies"


# -- which rows each count counts -----------------------------------------------------------------
def model_city_rows(model_cities: pd.DataFrame, year: int) -> pd.DataFrame:
    """The model cities of programme year ``year``: one row per city and year.

    Parameters
    ----------
    model_cities : pandas.DataFrame
        The ``model_cities`` table (or its filtered rows).
    year : int
        1 or 2.

    Returns
    -------
    pandas.DataFrame
        The rows whose ``program_year`` is ``year``; their number is the count.
    """
    return model_cities[model_cities["program_year"] == year]


def study_count(fs_rows: pd.DataFrame) -> int:
    """The F/S studies among ``fs_studies`` rows: the table has one row per study site."""
    return int(fs_rows["study_no"].nunique())


def _registered(projects: pd.DataFrame) -> pd.Series:
    return projects["first_registered"].fillna(False).astype(bool)


def model_project_rows(projects: pd.DataFrame) -> pd.DataFrame:
    """The JCM model projects (equipment subsidy) of the ``jcm_model_projects`` table.

    The table also holds the first registered JCM project, which the brochure
    tells apart from the FY2014 list (no fiscal year, a total reduction
    rather than a yearly one): it is not one of the model projects counted
    here but :func:`registered_project_rows`.

    Returns
    -------
    pandas.DataFrame
        The rows whose ``first_registered`` is not true.
    """
    return projects[~_registered(projects)]


def registered_project_rows(projects: pd.DataFrame) -> pd.DataFrame:
    """The first registered JCM project's row (none when a filter leaves it out)."""
    return projects[_registered(projects)]


def yearly_reduction_rows(projects: pd.DataFrame) -> pd.DataFrame:
    """The projects with a yearly expected reduction: those the sum and the reductions chart hold."""
    return projects[projects["expected_reduction_tco2_per_year"].notna()]


# -- listed and placed -------------------------------------------------------------------------
@dataclass(frozen=True)
class Count:
    """How many rows a table lists, and how many of them the map can place.

    Attributes
    ----------
    listed : int
        Rows of the table (what a headline counts).
    placed : int or None
        Rows with a geometry (what the map draws and its legend counts);
        None when the rows came without geometry.
    unplaced : tuple of str
        Names of the listed rows the map cannot draw.
    """

    listed: int
    placed: int | None
    unplaced: tuple[str, ...] = ()


def count(rows: pd.DataFrame, layer_id: str, lang: str) -> Count:
    """The :class:`Count` of ``rows`` of layer ``layer_id``, names in ``lang``.

    Example
    -------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> rows = gpd.GeoDataFrame(
    ...     {"name_en": ["A", "B"], "name_ja": ["A", "B"], "geometry": [Point(0, 0), None]}, crs=4326
    ... )
    >>> count(rows, "model_cities", "en")
    Count(listed=2, placed=1, unplaced=('B',))
    """
    if "geometry" not in rows:
        return Count(len(rows), None)
    missing = rows[rows.geometry.isna()]
    names = tuple(feature_name(layer_id, r, lang) for _, r in missing.iterrows())
    return Count(len(rows), len(rows) - len(missing), names)


def placement_note(c: Count, lang: str) -> str:
    """'All 21 are on the map.' or '21 listed, 20 on the map (no known place: Nong Teng).' ('' without geometry)."""
    if c.placed is None or c.listed == 0:
        return ""
    if c.placed == c.listed:
        return t("counts.all_placed", lang, n=format_number(c.listed, lang))
    return t(
        "counts.some_unplaced",
        lang,
        listed=format_number(c.listed, lang),
        placed=format_number(c.placed, lang),
        names=join_names(list(c.unplaced), lang),
    )


# -- texts the screens show beside their numbers -----------------------------------------------
def registered_note(projects: pd.DataFrame, lang: str) -> str:
    """Beside the model projects' count: the first registered project is counted apart, the map draws both.

    '' when the filter leaves the registered project out (then the numbers do not differ).
    """
    reg = registered_project_rows(projects)
    if reg.empty:
        return ""
    first = reg.iloc[0]
    place = pick(first, "site", lang) or country_name(first["country_iso3"], lang)
    return t(
        "counts.registered_apart",
        lang,
        projects=format_number(len(model_project_rows(projects)), lang),
        registered=format_number(len(reg), lang),
        all=format_number(len(projects), lang),
        place=place,
    )


def legend_count(layer_id: str, rows: pd.DataFrame, lang: str) -> str:
    """What a legend row says in brackets after its layer's name: the features drawn, and why that differs.

    Parameters
    ----------
    layer_id : str
    rows : pandas.DataFrame
        The layer's rows the view holds, drawn or not (those without a
        geometry are the ones the map cannot place).
    lang : str

    Returns
    -------
    str
        '21'; '20 of 21 listed; 1 without a known place';
        '7 + the first registered project'; 'the first registered project'.
    """
    c = count(rows, layer_id, lang)  # the legend names no one: long titles would swamp it
    drawn = rows[rows.geometry.notna()] if "geometry" in rows else rows
    model = model_project_rows(drawn) if layer_id == PROJECTS else drawn
    if layer_id == PROJECTS and len(registered_project_rows(drawn)):
        # A map of the registered project alone (its slide) names it, not '0 + ...'.
        text = (
            t("counts.legend_projects", lang, projects=format_number(len(model), lang))
            if len(model)
            else t("counts.legend_registered_only", lang)
        )
    elif layer_id == STUDIES:
        # The map draws sites; the figures elsewhere count studies.
        text = t(
            "counts.legend_fs",
            lang,
            sites=format_number(len(drawn), lang),
            studies=format_number(study_count(drawn), lang),
        )
    else:
        text = format_number(len(drawn), lang)
    if c.placed is not None and c.placed < c.listed:
        text = t(
            "counts.legend_unplaced",
            lang,
            drawn=text,
            listed=format_number(c.listed, lang),
            missing=format_number(c.listed - c.placed, lang),
        )
    return text
