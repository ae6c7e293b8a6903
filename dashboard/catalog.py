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
BASEMAP_PATH = STATIC_DIR / "geo" / "countries.geojson"  # written by build, fetched by the browser

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

    def citation(self, lang: str) -> str:
        """How the table's source is cited, in ``lang`` where the sidecar gives it (``citation_full_ja``)."""
        return in_lang(self.source, "citation_full", lang) or self.source.get("name") or self.source.get("title", "")

    def licence(self, lang: str) -> str:
        """The licence's name in ``lang`` where the sidecar gives it (``license.name_ja``)."""
        return in_lang(self.license, "name", lang)


def in_lang(mapping: dict, key: str, lang: str) -> str:
    """``mapping[key + "_ja"]`` for a Japanese reader when the sidecar has it, else ``mapping[key]``.

    >>> in_lang({"name": "Signing dates", "name_ja": "署名日"}, "name", "ja")
    '署名日'
    >>> in_lang({"name": "Signing dates"}, "name", "ja")
    'Signing dates'
    """
    return str((lang == "ja" and mapping.get(f"{key}_ja")) or mapping.get(key) or "")


def display_path(path: Path) -> str:
    """How messages name a file: relative to the repository when it is inside it."""
    path = Path(path)
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


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

    Raises
    ------
    DataError
        When the file cannot be read, is not UTF-8 or not YAML, or does not
        declare a table (title, key, columns, ...). Issues name the sidecar, the
        YAML line where known and the column a declaration belongs to.
    """
    # Imported here: the checks read this module's vocabulary (Column, PROGRAMMES, ...).
    from dashboard.sidecar_checks import sidecar_problems, yaml_error_line, yaml_error_message
    from dashboard.text_files import encoding_issues, read_text

    # Imported here: dashboard.validate imports this module at load time.
    from dashboard.validate import DataError, Issue

    label = display_path(meta_path)
    text = read_text(meta_path, label)
    bad_bytes = encoding_issues(text, label)
    if bad_bytes:
        raise DataError(bad_bytes)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        meta = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise DataError([Issue(label, yaml_error_line(err, text), None, "sidecar", yaml_error_message(err))]) from None
    problems = sidecar_problems(meta, node)
    if problems:
        raise DataError([Issue(label, line, column, "sidecar", message) for line, column, message in problems])
    table_id = meta_path.name.removesuffix(".meta.yml")
    key = meta["key"]
    layer = meta.get("layer") or {}
    from_place = layer.get("from_place") or ()
    if isinstance(from_place, str):
        from_place = (from_place,)
    return Table(
        id=table_id,
        title=meta["title"],
        title_ja=meta.get("title_ja") or "",
        description=meta.get("description") or "",
        key=tuple(key) if isinstance(key, list) else (key,),
        columns=tuple(_column(n, s) for n, s in meta["columns"].items()),
        source=meta.get("source") or {},
        license=meta.get("license") or {},
        extra_sources=tuple(meta.get("extra_sources") or ()),
        geometry=layer.get("geometry"),
        from_place=tuple(from_place),
        from_country=layer.get("from_country"),
        programme=layer.get("programme"),
        facet_columns=dict(layer.get("facet_columns") or {}),
    )


def read_catalog(tables_dir: Path = TABLES_DIR) -> tuple[dict[str, Table], list]:
    """Every sidecar that reads as a table, and the issues of those that do not.

    Returns
    -------
    tables : dict of str to Table
        Keyed by id, in name order.
    issues : list of Issue
        Empty when every sidecar is valid.
    """
    from dashboard.validate import DataError

    tables, issues = {}, []
    for path in sorted(tables_dir.glob("*.meta.yml")):
        try:
            table = load_table_meta(path)
        except DataError as err:
            issues += err.issues
            continue
        tables[table.id] = table
    return tables, issues


@lru_cache(maxsize=4)
def load_catalog(tables_dir: Path = TABLES_DIR) -> dict[str, Table]:
    """Every table with a sidecar in ``tables_dir``, keyed by id, in name order.

    Raises
    ------
    DataError
        Listing the problems of every sidecar that is not a valid table.
    """
    from dashboard.validate import DataError

    tables, issues = read_catalog(tables_dir)
    if issues:
        raise DataError(issues)
    return tables


def layer_tables(tables_dir: Path = TABLES_DIR) -> dict[str, Table]:
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
