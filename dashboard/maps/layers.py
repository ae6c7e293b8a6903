"""The map's layer model: which toggleable layers exist, what a view shows, and what a click hit.

Pure geopandas: no folium and no Streamlit, so pages, the presentation and the
tests share one definition of every map layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd

from dashboard.catalog import PROGRAMMES
from dashboard.details import feature_tooltip
from dashboard.i18n import country_name, t

# Rows the brochure places only by country (``geocode_precision``): drawn as one
# symbol per country with a count, never as a point that looks like a site.
COUNTRY_LEVEL = "country"
APPROXIMATE = "approximate"


@dataclass(frozen=True)
class MapLayer:
    """A toggleable layer on the map: a data layer, optionally one subset of it."""

    key: str
    layer_id: str
    programme: str
    subset: tuple[str, object] | None = None  # (column, value)

    def rows(self, frame):
        if self.subset is None:
            return frame
        column, value = self.subset
        return frame[frame[column] == value]


MAP_LAYERS: tuple[MapLayer, ...] = (
    MapLayer("jcm_partners", "jcm_partners", "jcm_partners"),
    MapLayer("city_partnerships", "city_partnerships", "c2c"),
    MapLayer("knowledge_sharing", "knowledge_sharing", "esc"),
    MapLayer("esc_seminars", "esc_seminars", "seminars"),
    MapLayer("locarnet_events", "locarnet_events", "locarnet"),
    MapLayer("fs_studies", "fs_studies", "fs"),
    MapLayer("jcm_model_projects", "jcm_model_projects", "jcm_projects"),
    MapLayer("model_cities_y2", "model_cities", "esc_y2", ("program_year", 2)),
    MapLayer("model_cities_y1", "model_cities", "esc_y1", ("program_year", 1)),
)
MAP_LAYERS_BY_KEY = {m.key: m for m in MAP_LAYERS}
ALL_MAP_LAYER_KEYS = tuple(m.key for m in MAP_LAYERS)


@dataclass
class MapView:
    """Everything a map shows; built by pages from the URL state.

    Attributes
    ----------
    frames : dict
        layer_id -> filtered GeoDataFrame (the rows that pass the filter).
    visible : tuple of str
        Keys of :data:`MAP_LAYERS` that are on.
    selected : tuple of (layer_id, feature_id), optional
        Feature to highlight.
    basemap : str
        'atlas' (offline, default) or a key of :data:`dashboard.maps.builder.ONLINE_TILES`.
    partner_colours : dict
        ISO3 -> fill colour for JCM partners (default: the programme colour).
    stories : dict
        city_id -> success story row, for model-city popups.
    """

    frames: dict
    visible: tuple[str, ...] = ALL_MAP_LAYER_KEYS
    selected: tuple[str, str] | None = None
    basemap: str = "atlas"
    partner_colours: dict = field(default_factory=dict)
    stories: dict = field(default_factory=dict)
    fit: bool = True
    bounds: list | None = None
    labels: list = field(default_factory=list)  # (text, lat, lon)
    popups: bool = False  # in the app, details open beside the map; a standalone HTML map needs popups
    choosable: bool = True  # features answer clicks and keys (off where the page reads no clicks)
    focus: tuple = ()  # geometries of the countries a filter chose: the view frames them with its points


def visible_rows(view: MapView):
    """(MapLayer, rows) for every visible layer, rows with geometry only."""
    out = []
    for m in MAP_LAYERS:
        if m.key in view.visible and m.layer_id in view.frames:
            rows = m.rows(view.frames[m.layer_id])
            out.append((m, rows[rows.geometry.notna()]))
    return out


# The atlas is about Asia: a few features lie far out (Samoa in the Pacific; the
# Latin American and African JCM partners). The opening view frames the Asian
# ones, and falls back to everything when a filter leaves none in Asia.
ASIA_WINDOW = (40.0, -20.0, 160.0, 60.0)  # west, south, east, north


def _padded(minx, miny, maxx, maxy, pad: float = 1.5) -> list[list[float]]:
    return [[max(miny - pad, -85), max(minx - pad, -180)], [min(maxy + pad, 85), min(maxx + pad, 180)]]


def feature_bounds(view: MapView) -> list[list[float]] | None:
    """[[south, west], [north, east]] the view opens on.

    With ``view.focus`` (a country filter) the frame is the chosen countries
    and the points in them: a line to Japan runs off the map rather than
    pulling the frame into the East China Sea. Otherwise the visible points
    and lines in Asia, polygons only when nothing else is drawn.
    """
    drawn = [rows for m, rows in visible_rows(view) if len(rows)]
    points = [rows for rows in drawn if rows.geometry.iloc[0].geom_type == "Point"]
    if view.focus:
        shapes = [g for g in view.focus if g is not None and not g.is_empty]
        # A country across the antimeridian (Fiji, Kiribati) would frame the whole world: its points frame it.
        shapes = [g for g in shapes if g.bounds[2] - g.bounds[0] < 180]
        boxes = [g.bounds for g in shapes] + [tuple(f.total_bounds) for f in points]
        if boxes:
            return _padded(
                min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)
            )
    frames = [rows for m, rows in visible_rows(view) if m.layer_id != "jcm_partners" and len(rows)] or drawn
    if not frames:
        return None
    west, south, east, north = ASIA_WINDOW
    in_asia = [f.cx[west:east, south:north] for f in frames]
    in_asia = [f for f in in_asia if len(f)]
    if in_asia:
        frames = in_asia
    return _padded(
        min(f.total_bounds[0] for f in frames),
        min(f.total_bounds[1] for f in frames),
        max(f.total_bounds[2] for f in frames),
        max(f.total_bounds[3] for f in frames),
    )


def features_at(
    frames: dict,
    visible: tuple[str, ...],
    lat: float,
    lon: float,
    tooltip: str | None = None,
    lang: str = "en",
    tolerance: float = 1e-4,
) -> list[tuple[str, str]]:
    """(layer_id, feature_id) of what a click on the map hit, the clicked feature first.

    What the click reports decides:

    * a marker reports its own position, so every point there is a hit (a
      city in both years, the projects of one country drawn as one symbol);
    * a line reports where it was clicked and its tooltip: the line with
      that tooltip nearest the click;
    * a partner country reports its tooltip and a point (inside the outline
      as drawn, not always inside the true shape).
    """
    clicked = gpd.points_from_xy([lon], [lat])[0]
    points, lines, areas = [], [], []
    for m in MAP_LAYERS:
        if m.key not in visible or m.layer_id not in frames:
            continue
        rows = m.rows(frames[m.layer_id])
        rows = rows[rows.geometry.notna()]
        for _, row in rows.iterrows():
            g = row.geometry
            hit = (m.layer_id, row["feature_id"])
            if g.geom_type == "Point":
                if abs(g.x - lon) <= tolerance and abs(g.y - lat) <= tolerance:
                    points.append(hit)
            elif g.geom_type == "LineString":
                if tooltip and feature_tooltip(m.layer_id, row, lang).strip() == tooltip.strip():
                    lines.append((g.distance(clicked), hit))
            elif tooltip and feature_tooltip(m.layer_id, row, lang).strip() == tooltip.strip():
                areas.insert(0, hit)  # the country whose tooltip the click reported
            elif g.covers(clicked):
                areas.append(hit)
    if points:
        return order_by_tooltip(points, frames, tooltip, lang)
    if lines:
        return [min(lines)[1]]
    # The browser draws simplified outlines: a click near a coast can fall just outside the
    # true shape, so the reported tooltip decides, and the shape only without one.
    return areas[:1]


def order_by_tooltip(
    hits: list[tuple[str, str]], frames: dict, tooltip: str | None, lang: str
) -> list[tuple[str, str]]:
    """Put the feature whose tooltip is ``tooltip`` (the one the reader clicked) first.

    When the clicked symbol stands for a country's features (:func:`group_tooltip`),
    that group's features come first.
    """
    if not tooltip:
        return hits
    tooltip = tooltip.strip()
    rows = {hit: feature_row(frames, hit) for hit in hits}
    groups: dict[tuple[str, object], int] = {}
    for hit, row in rows.items():
        if row.get("geocode_precision") == COUNTRY_LEVEL:
            key = (_map_layer_of(hit[0], row).key, row.get("country_iso3"))
            groups[key] = groups.get(key, 0) + 1

    def clicked(hit) -> bool:
        row = rows[hit]
        if feature_tooltip(hit[0], row, lang).strip() == tooltip:
            return True
        if row.get("geocode_precision") != COUNTRY_LEVEL:
            return False
        m = _map_layer_of(hit[0], row)
        iso3 = row.get("country_iso3")
        return tooltip == group_tooltip(m, iso3, groups[(m.key, iso3)], lang)

    return sorted(hits, key=lambda hit: not clicked(hit))


def feature_row(frames: dict, hit: tuple[str, str]):
    """The row of feature ``hit`` = (layer_id, feature_id) in ``frames`` (layer_id -> frame)."""
    frame = frames[hit[0]]
    return frame[frame["feature_id"] == hit[1]].iloc[0]


def _map_layer_of(layer_id: str, row) -> MapLayer:
    """The map layer a row of a data layer is drawn in (model cities: by programme year)."""
    for m in MAP_LAYERS:
        if m.layer_id == layer_id and (m.subset is None or row.get(m.subset[0]) == m.subset[1]):
            return m
    raise KeyError(layer_id)


def split_by_precision(rows):
    """(rows drawn at their own point, [(iso3, point, rows) per country for country-level rows])."""
    if "geocode_precision" not in rows:
        return rows, []
    is_point = (rows.geom_type == "Point").to_numpy(dtype=bool)
    country_level = (rows["geocode_precision"] == COUNTRY_LEVEL).to_numpy(dtype=bool) & is_point
    grouped = rows[country_level]
    # The rows of one country share its representative point: group by the point itself.
    keys = [(round(g.x, 4), round(g.y, 4)) for g in grouped.geometry]
    groups = []
    for key in dict.fromkeys(keys):
        members = grouped[[k == key for k in keys]]
        iso3 = members["country_iso3"].iloc[0] if "country_iso3" in members else None
        groups.append((iso3, members.geometry.iloc[0], members))
    return rows[~country_level], groups


def group_tooltip(m: MapLayer, iso3, n: int, lang: str) -> str:
    """Tooltip of the one symbol standing for a country's country-level features of a layer."""
    return t(
        "map.country_group",
        lang,
        n=n,
        programme=t(PROGRAMMES[m.programme].label_key, lang),
        country=country_name(str(iso3 or ""), lang),
    )


# Columns naming a country or a place a feature stands for; a label goes on each such country.
_COUNTRY_COLUMNS = ("country_iso3", "partner_country_iso3")
_PLACE_COLUMNS = ("jp_place_id", "from_place_id", "to_place_id")


def labelled_countries(view: MapView, places) -> set[str]:
    """ISO3 of the countries the view's visible points and lines stand in, both ends of a line included.

    Shaded JCM partners are not labelled: their tooltip names them, and 31
    labels would cover the features.

    Parameters
    ----------
    view : MapView
    places : pandas.DataFrame
        The gazetteer (``place_id``, ``country_iso3``), for lines whose ends are places.
    """
    iso3s, ends = set(), set()
    for m, rows in visible_rows(view):
        if m.layer_id == "jcm_partners":
            continue
        for col in _COUNTRY_COLUMNS:
            if col in rows:
                iso3s |= set(rows[col].dropna())
        for col in _PLACE_COLUMNS:
            if col in rows:
                ends |= set(rows[col].dropna())
    if ends:
        iso3s |= set(places.loc[places["place_id"].isin(ends), "country_iso3"].dropna())
    return iso3s - {""}


def rows_in_country(frame, iso3: str, places):
    """The rows of a layer that stand in ``iso3``: by a country column, or a line with an end at a place there.

    Parameters
    ----------
    frame : GeoDataFrame
    iso3 : str
    places : pandas.DataFrame
        The gazetteer (``place_id``, ``country_iso3``), for lines whose ends are places.
    """
    in_country = set(places.loc[places["country_iso3"] == iso3, "place_id"])
    keep = frame.index.isin([])
    for col in _COUNTRY_COLUMNS:
        if col in frame:
            keep |= (frame[col] == iso3).fillna(False).to_numpy(dtype=bool)
    for col in _PLACE_COLUMNS:
        if col in frame:
            keep |= frame[col].isin(in_country).to_numpy(dtype=bool)
    return frame[keep]


def row_countries(row, places) -> tuple[str, ...]:
    """The countries one feature stands in (:func:`rows_in_country`'s test for one row), in column order."""
    found = [row.get(col) for col in _COUNTRY_COLUMNS]
    ends = [row.get(col) for col in _PLACE_COLUMNS]
    ends = [e for e in ends if isinstance(e, str) and e]
    if ends:
        by_place = places.set_index("place_id")["country_iso3"]
        found += [by_place.get(e) for e in ends]
    return tuple(dict.fromkeys(c for c in found if isinstance(c, str) and c))


def features_in_country(frames: dict, iso3: str, places) -> list[tuple[MapLayer, object]]:
    """(map layer, rows) of every layer's features in a country (:func:`rows_in_country`).

    The partner-country layer itself is left out (it is the country).
    """
    out = []
    for m in MAP_LAYERS:
        if m.layer_id == "jcm_partners" or m.layer_id not in frames:
            continue
        rows = rows_in_country(m.rows(frames[m.layer_id]), iso3, places)
        if len(rows):
            out.append((m, rows))
    return out


def bounds_around(frames: dict, selected: tuple[str, str], half_height: float = 4, half_width: float = 6):
    """[[south, west], [north, east]] that frames the selected feature, or None if it is not drawn.

    A point gets a window around it; a line its two ends, a country its whole
    outline (a window around their centre showed the sea between the ends).
    """
    frame = frames.get(selected[0])
    if frame is None:
        return None
    hit = frame[(frame["feature_id"] == selected[1]) & frame.geometry.notna()]
    if not len(hit):
        return None
    g = hit.geometry.iloc[0]
    minx, miny, maxx, maxy = g.bounds
    if g.geom_type != "Point" and maxx - minx < 180:
        return _padded(minx, miny, maxx, maxy)
    c = g.centroid
    return [[c.y - half_height, c.x - half_width], [c.y + half_height, c.x + half_width]]
