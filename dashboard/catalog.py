"""Which tables and layers exist, read from their metadata sidecars.

Every ``data/tables/<id>.csv`` has a ``<id>.meta.yml`` sidecar that declares its
title, source, licence, key and column schema. A table whose sidecar has a
``layer:`` block is a map layer: it gets geometry in ``data/geo/<id>.geojson``.
The file stem is the table id everywhere (CLI, URL, exports).

Programme styling (colour, symbol) is declared here once and used by the map,
the legend and the charts alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TABLES_DIR = ROOT / "data" / "tables"
GEO_DIR = ROOT / "data" / "geo"
SOURCES_DIR = ROOT / "data" / "sources"
STATIC_DIR = ROOT / "static"

GEOMETRY_KINDS = ("Point", "LineString", "MultiPolygon")
COLUMN_TYPES = (
    "string",
    "integer",
    "number",
    "boolean",
    "date",
    "month",
    "partial_date",
    "iso3",
    "source_ref",
)


@dataclass(frozen=True)
class Programme:
    """Style of one programme, shared by map markers, legend and charts."""

    id: str
    colour: str
    label_key: str
    symbol: str  # "circle", "square", "diamond", "triangle", "line", "area"


# Okabe–Ito palette: distinguishable with the common colour-vision deficiencies.
PROGRAMMES: dict[str, Programme] = {
    p.id: p
    for p in (
        Programme("esc_y1", "#0072B2", "programme.esc_y1", "circle"),
        Programme("esc_y2", "#56B4E9", "programme.esc_y2", "circle"),
        Programme("esc", "#0072B2", "programme.esc", "line"),
        Programme("seminars", "#E69F00", "programme.seminars", "square"),
        Programme("locarnet", "#009E73", "programme.locarnet", "triangle"),
        Programme("c2c", "#CC79A7", "programme.c2c", "line"),
        Programme("jcm_partners", "#F0E442", "programme.jcm_partners", "area"),
        Programme("fs", "#D55E00", "programme.fs", "diamond"),
        Programme("jcm_projects", "#000000", "programme.jcm_projects", "circle"),
    )
}


@dataclass(frozen=True)
class Column:
    """Schema of one column, as declared in the sidecar."""

    name: str
    type: str = "string"
    title: str = ""
    title_ja: str = ""
    required: bool = False
    unique: bool = False
    enum: tuple = ()
    pattern: str | None = None
    min: float | None = None
    max: float | None = None
    unit: str | None = None
    references: str | None = None
    description: str = ""

    def label(self, lang: str) -> str:
        """Column title in ``lang`` ('ja' falls back to the English title)."""
        if lang == "ja" and self.title_ja:
            return self.title_ja
        return self.title or self.name


@dataclass(frozen=True)
class Table:
    """One curated table and, when it is a layer, how its geometry is made."""

    id: str
    title: str
    title_ja: str
    description: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    source: dict
    license: dict
    extra_sources: tuple = ()
    geometry: str | None = None
    from_place: tuple[str, ...] = ()
    from_country: str | None = None
    programme: str | None = None
    facet_columns: dict = field(default_factory=dict)

    @property
    def is_layer(self) -> bool:
        return self.geometry is not None

    @property
    def csv_path(self) -> Path:
        return TABLES_DIR / f"{self.id}.csv"

    @property
    def meta_path(self) -> Path:
        return TABLES_DIR / f"{self.id}.meta.yml"

    @property
    def geo_path(self) -> Path:
        return GEO_DIR / f"{self.id}.geojson"

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"table {self.id!r} has no column {name!r}")

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def label(self, lang: str) -> str:
        return self.title_ja if lang == "ja" and self.title_ja else self.title


def _column(name: str, spec: dict) -> Column:
    spec = dict(spec or {})
    spec["enum"] = tuple(spec.get("enum") or ())
    return Column(name=name, **spec)


def load_table_meta(meta_path: Path) -> Table:
    """Read one sidecar into a :class:`Table`.

    Parameters
    ----------
    meta_path : Path
        ``data/tables/<id>.meta.yml``.

    Returns
    -------
    Table
    """
    meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
    table_id = meta_path.name.removesuffix(".meta.yml")
    key = meta["key"]
    layer = meta.get("layer") or {}
    from_place = layer.get("from_place") or ()
    if isinstance(from_place, str):
        from_place = (from_place,)
    geometry = layer.get("geometry")
    if geometry is not None and geometry not in GEOMETRY_KINDS:
        raise ValueError(f"{meta_path}: layer.geometry {geometry!r} is not one of {GEOMETRY_KINDS}")
    return Table(
        id=table_id,
        title=meta["title"],
        title_ja=meta.get("title_ja", ""),
        description=meta.get("description", ""),
        key=tuple(key) if isinstance(key, list) else (key,),
        columns=tuple(_column(n, s) for n, s in meta["columns"].items()),
        source=meta.get("source") or {},
        license=meta.get("license") or {},
        extra_sources=tuple(meta.get("extra_sources") or ()),
        geometry=geometry,
        from_place=tuple(from_place),
        from_country=layer.get("from_country"),
        programme=layer.get("programme"),
        facet_columns=dict(layer.get("facet_columns") or {}),
    )


@lru_cache(maxsize=4)
def load_catalog(tables_dir: Path = TABLES_DIR) -> dict[str, Table]:
    """Every table with a sidecar in ``tables_dir``, keyed by id, in name order."""
    return {t.id: t for t in (load_table_meta(p) for p in sorted(tables_dir.glob("*.meta.yml")))}


def layers(tables_dir: Path = TABLES_DIR) -> dict[str, Table]:
    """The tables that are map layers."""
    return {k: t for k, t in load_catalog(tables_dir).items() if t.is_layer}


def get_table(table_id: str, tables_dir: Path = TABLES_DIR) -> Table:
    """Look a table up by id, with an error that lists the known ids."""
    catalog = load_catalog(tables_dir)
    if table_id not in catalog:
        raise KeyError(f"unknown layer or table {table_id!r}; known: {', '.join(catalog)}")
    return catalog[table_id]


# The order layers are drawn and listed in: polygons first so points stay clickable.
LAYER_ORDER = (
    "jcm_partners",
    "city_partnerships",
    "knowledge_sharing",
    "esc_seminars",
    "locarnet_events",
    "fs_studies",
    "jcm_model_projects",
    "model_cities",
)
