"""The map's layer model: which toggleable layers exist, what a view shows, and what a click hit.

Pure geopandas: no folium and no Streamlit, so pages, the presentation and the
tests share one definition of every map layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd

from dashboard.details import feature_tooltip


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


def feature_bounds(view: MapView) -> list[list[float]] | None:
    """[[south, west], [north, east]] of the visible points and lines (polygons only if alone)."""
    frames = [rows for m, rows in visible_rows(view) if m.layer_id != "jcm_partners" and len(rows)]
    if not frames:
        frames = [rows for m, rows in visible_rows(view) if len(rows)]
    if not frames:
        return None
    west, south, east, north = ASIA_WINDOW
    in_asia = [f.cx[west:east, south:north] for f in frames]
    in_asia = [f for f in in_asia if len(f)]
    if in_asia:
        frames = in_asia
    minx = min(f.total_bounds[0] for f in frames)
    miny = min(f.total_bounds[1] for f in frames)
    maxx = max(f.total_bounds[2] for f in frames)
    maxy = max(f.total_bounds[3] for f in frames)
    pad = 1.5
    return [[max(miny - pad, -85), max(minx - pad, -180)], [min(maxy + pad, 85), min(maxx + pad, 180)]]


def features_at(
    frames: dict, visible: tuple[str, ...], lat: float, lon: float, tolerance: float = 1e-4
) -> list[tuple[str, str]]:
    """(layer_id, feature_id) of visible point features at a clicked marker's location.

    A marker click reports the marker's true coordinates, so an exact match
    finds it and everything sharing its place (a city in both years, a
    seminar venue that is also a model city).
    """
    points, lines = [], []
    clicked = gpd.points_from_xy([lon], [lat])[0]
    for m in MAP_LAYERS:
        if m.key not in visible or m.layer_id not in frames:
            continue
        rows = m.rows(frames[m.layer_id])
        rows = rows[rows.geometry.notna()]
        for _, row in rows.iterrows():
            g = row.geometry
            if g.geom_type == "Point" and abs(g.x - lon) <= tolerance and abs(g.y - lat) <= tolerance:
                points.append((m.layer_id, row["feature_id"]))
            elif g.geom_type == "LineString" and g.distance(clicked) <= 0.05:
                lines.append((m.layer_id, row["feature_id"]))
    # A marker click reports the marker's own position: lines merely passing by are not what was clicked.
    return points or lines


def order_by_tooltip(
    hits: list[tuple[str, str]], frames: dict, tooltip: str | None, lang: str
) -> list[tuple[str, str]]:
    """Put the feature whose tooltip is ``tooltip`` (the one the reader clicked) first."""
    if not tooltip:
        return hits

    def clicked(hit) -> bool:
        layer_id, fid = hit
        frame = frames[layer_id]
        row = frame[frame["feature_id"] == fid].iloc[0]
        return feature_tooltip(layer_id, row, lang).strip() == tooltip.strip()

    return sorted(hits, key=lambda hit: not clicked(hit))


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


def bounds_around(frames: dict, selected: tuple[str, str], half_height: float = 4, half_width: float = 6):
    """[[south, west], [north, east]] around the selected feature's centre, or None if it is not drawn."""
    frame = frames.get(selected[0])
    if frame is None:
        return None
    hit = frame[(frame["feature_id"] == selected[1]) & frame.geometry.notna()]
    if not len(hit):
        return None
    c = hit.geometry.iloc[0].centroid
    return [[c.y - half_height, c.x - half_width], [c.y + half_height, c.x + half_width]]
