"""Tables shaped for reading on the model-cities, city-to-city and about pages.

Pure pandas: every function takes the typed frames of :mod:`dashboard.io` (or
the parsed sidecars and manifests) and returns a frame with stable internal
column names, plus :func:`for_display`, which picks the columns a page shows and
labels them in the reader's language. Pages only call these and render, so the
tests can check the exact rows a reader sees.

Joins are explicit and loud: a key found on one side only raises
:class:`ValueError` naming it, rather than leaving a silent blank cell.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pandas as pd
import pycountry
import yaml

from dashboard.catalog import SOURCES_DIR, STATIC_DIR, Table
from dashboard.details import feature_name
from dashboard.i18n import country_name, format_number, format_partial_date, pick, t

COL_PREFIX = "col_b."
PRECISIONS = ("exact", "approximate", "country", "unresolved")
MANIFEST_PATH = STATIC_DIR / "vendor" / "MANIFEST.json"
WORLD_ATLAS_SOURCE = SOURCES_DIR / "world-atlas" / "SOURCE.yml"
# A fact id like 'malaysia_year2_tbd' says that a country's year-2 model city
# was not yet chosen; the country is the part before the suffix.
_TBD_FACT = re.compile(r"^(?P<country>[a-z_]+)_year2_tbd$")


# -- labels -----------------------------------------------------------------------------
def col_label(key: str, lang: str) -> str:
    """A display column label from the locale catalogue (``col_b.<key>``)."""
    return t(f"{COL_PREFIX}{key}", lang)


def for_display(frame: pd.DataFrame, columns: Mapping[str, str]) -> pd.DataFrame:
    """Keep ``columns`` (internal name -> label) in that order, renamed to their labels.

    Example
    -------
    >>> for_display(pd.DataFrame({"a": [1], "b": [2]}), {"b": "B"}).columns.tolist()
    ['B']
    """
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise KeyError(f"for_display: frame has no column(s) {missing}; it has {list(frame.columns)}")
    labels = list(columns.values())
    if len(set(labels)) != len(labels):
        raise ValueError(f"for_display: duplicate labels {labels}")
    out = pd.DataFrame(frame[list(columns)]).rename(columns=dict(columns))
    return out.reset_index(drop=True)


def table_height(n_rows: int, row_px: int = 35, max_rows: int = 25) -> int:
    """Pixel height that shows ``n_rows`` rows of ``st.dataframe`` without an inner scroll bar (up to ``max_rows``)."""
    return row_px * (min(max(n_rows, 1), max_rows) + 1) + 3


def row_fields(row: Mapping, labels: Iterable[str]) -> list[tuple[str, str]]:
    """(label, text) of a displayed row's long columns, for reading in full; empty cells left out."""
    return [(label, _text(row[label])) for label in labels if _text(row[label]).strip()]


def _join(names: Iterable[str], lang: str) -> str:
    return ("、" if lang == "ja" else ", ").join(n for n in names if n)


def _text(value) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def _index(frame: pd.DataFrame, key: str, what: str) -> pd.DataFrame:
    """``frame`` indexed by ``key``, which must be unique (else ValueError naming the duplicates)."""
    dup = sorted(set(frame.loc[frame[key].duplicated(), key]))
    if dup:
        raise ValueError(f"{what}: {key} is not unique: {dup}")
    return frame.set_index(key)


# -- model cities -----------------------------------------------------------------------
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
            row[f"year{year}_cities"] = _join(names, lang)
        row["year2_undecided"] = iso3 in undecided
        if row["year2_undecided"]:
            mark = t("pg_mc.undecided", lang)
            row["year2_cities"] = _join([row["year2_cities"], mark], lang)
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
    """Headline counts of the filtered model cities: (locale key under ``pg_mc.``, value).

    Year-1 cities and their countries, and year-2 cities, for the years shown.
    """
    out = []
    if 1 in years:
        year1 = cities[cities["program_year"] == 1]
        out += [("metric_y1", len(year1)), ("metric_y1_countries", int(year1["country_iso3"].nunique()))]
    if 2 in years:
        out.append(("metric_y2", int((cities["program_year"] == 2).sum())))
    return out


def stated_totals(facts: pd.DataFrame) -> dict | None:
    """The brochure's own model-city totals, to print beside the counts of the table.

    Returns
    -------
    dict or None
        ``y1, c1, y2`` (year-1 cities, year-1 countries, year-2 cities) and
        ``src1, src2`` (their source references); None if a fact is missing.
    """
    stated = _index(facts, "fact_id", "brochure_facts")
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
    year1 = _index(cities[cities["program_year"] == 1], "city_id", "model_cities (year 1)")
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


def unplaced_names(frame, layer_id: str, lang: str) -> list[str]:
    """Names of the rows of a layer that have no geometry (not drawn on the map), without repeats."""
    rows = frame[frame.geometry.isna()]
    return list(dict.fromkeys(feature_name(layer_id, row, lang) for _, row in rows.iterrows()))


def place_countries(places: pd.DataFrame) -> pd.Series:
    """place_id -> ISO3 country, from the ``places`` table (place_id must be unique)."""
    return _index(places, "place_id", "places")["country_iso3"]


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
                "date": format_partial_date(_text(row["date"]), lang),
                "source_ref": row["source_ref"],
                "note": _text(row["note"]),
            }
        )
    return pd.DataFrame(rows, columns=["feature_id", "exchange", "shared", "date", "source_ref", "note"])


def exchange_columns(lang: str) -> dict[str, str]:
    return {
        "exchange": col_label("exchange", lang),
        "shared": col_label("shared", lang),
        "date": col_label("date", lang),
        "source_ref": col_label("source_ref", lang),
        "note": col_label("note_en", lang),
    }


# -- city-to-city -----------------------------------------------------------------------
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
    return _index(titles, "study_no", "fs_studies titles per study_no")


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
                "note": _text(row["note"]),
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
    keys = ("jp_municipality", "partner", "country", "cooperation", "fs_no", "fs_title", "source_ref")
    return {k: col_label(k, lang) for k in keys} | {"note": col_label("note_en", lang)}


# -- about: provenance ------------------------------------------------------------------
def source_text(source: Mapping) -> str:
    """One line for a sidecar's ``source`` block: its full citation, or name/title, and URL."""
    text = source.get("citation_full") or source.get("name") or source.get("title") or ""
    url = source.get("url")
    return f"{text} <{url}>" if url and url not in text else str(text)


def extra_sources_text(extra: Iterable[Mapping]) -> str:
    """A sidecar's ``extra_sources`` as 'name: description <url>' lines joined by ' | '."""
    parts = []
    for item in extra:
        piece = ": ".join(p for p in (item.get("name", ""), item.get("description", "")) if p)
        if item.get("url"):
            piece += f" <{item['url']}>"
        parts.append(piece)
    return " | ".join(parts)


def provenance_table(catalog: Mapping[str, Table], row_counts: Mapping[str, int], lang: str) -> pd.DataFrame:
    """Per table: title, kind, rows, description, source, extra sources and licence.

    Parameters
    ----------
    catalog : mapping
        Table id -> :class:`Table` (from the sidecars).
    row_counts : mapping
        Table id -> number of rows (every catalogue table must have one).
    lang : str
        Language of the title and kind; descriptions and sources are in
        English (or as published) only.

    Returns
    -------
    DataFrame
        ``table_id, title, kind, rows, description, source, extra_sources, licence``.
    """
    missing = sorted(set(catalog) - set(row_counts))
    if missing:
        raise ValueError(f"provenance_table: no row count for {missing}")
    rows = []
    for table_id, table in catalog.items():
        kind = t(f"pg_about.kind_{table.geometry.lower()}", lang) if table.is_layer else t("pg_about.kind_table", lang)
        lic = table.license
        licence = f"{lic.get('name', '')} <{lic['url']}>" if lic.get("url") else lic.get("name", "")
        rows.append(
            {
                "table_id": table_id,
                "title": table.label(lang),
                "kind": kind,
                "rows": int(row_counts[table_id]),
                "description": table.description,
                "source": source_text(table.source),
                "extra_sources": extra_sources_text(table.extra_sources),
                "licence": licence,
            }
        )
    return pd.DataFrame(
        rows, columns=["table_id", "title", "kind", "rows", "description", "source", "extra_sources", "licence"]
    )


def provenance_columns(lang: str) -> dict[str, str]:
    keys = {
        "title": "table_title",
        "table_id": "file",
        "kind": "kind",
        "rows": "rows",
        "description": "description_en",
        "source": "source",
        "extra_sources": "extra_sources",
        "licence": "licence",
    }
    return {c: col_label(k, lang) for c, k in keys.items()}


# -- about: geocoding -------------------------------------------------------------------
def _geocoded(layers: Mapping[str, tuple[Table, pd.DataFrame]]):
    for layer_id, (table, frame) in layers.items():
        if "geocode_precision" in frame.columns:
            yield layer_id, table, frame


def precision_counts(layers: Mapping[str, tuple[Table, pd.DataFrame]], lang: str) -> pd.DataFrame:
    """How many features of each layer are placed exactly, approximately or not at all.

    Parameters
    ----------
    layers : mapping
        Layer id -> (Table, frame), e.g. :func:`dashboard.io.load_layers`.
        Layers without ``geocode_precision`` (lines between places, country
        polygons) are left out.

    Returns
    -------
    DataFrame
        ``layer_id, layer, exact, approximate, unresolved, total``.
    """
    rows = []
    for layer_id, table, frame in _geocoded(layers):
        counts = frame["geocode_precision"].value_counts()
        unknown = sorted(set(counts.index) - set(PRECISIONS))
        if unknown:
            raise ValueError(f"{layer_id}: unknown geocode_precision {unknown}")
        rows.append(
            {
                "layer_id": layer_id,
                "layer": table.label(lang),
                **{p: int(counts.get(p, 0)) for p in PRECISIONS},
                "total": len(frame),
            }
        )
    return pd.DataFrame(rows, columns=["layer_id", "layer", *PRECISIONS, "total"])


def precision_columns(lang: str) -> dict[str, str]:
    return (
        {"layer": col_label("layer", lang)}
        | {p: t(f"precision.{p}", lang) for p in PRECISIONS}
        | {"total": col_label("total", lang)}
    )


def non_exact_features(layers: Mapping[str, tuple[Table, pd.DataFrame]], lang: str) -> pd.DataFrame:
    """Every feature placed approximately or not at all, with the curators' note on why.

    Returns
    -------
    DataFrame
        ``layer_id, feature_id, layer, feature, precision, geocode_note``.
    """
    rows = []
    for layer_id, table, frame in _geocoded(layers):
        for _, row in frame[frame["geocode_precision"] != "exact"].iterrows():
            rows.append(
                {
                    "layer_id": layer_id,
                    "feature_id": row["feature_id"],
                    "layer": table.label(lang),
                    "feature": feature_name(layer_id, row, lang),
                    "precision": t(f"precision.{row['geocode_precision']}", lang),
                    "geocode_note": _text(row.get("geocode_note", "")),
                }
            )
    return pd.DataFrame(rows, columns=["layer_id", "feature_id", "layer", "feature", "precision", "geocode_note"])


def non_exact_columns(lang: str) -> dict[str, str]:
    return {
        "layer": col_label("layer", lang),
        "feature": col_label("feature", lang),
        "precision": col_label("precision", lang),
        "geocode_note": col_label("geocode_note_en", lang),
    }


def resolve_counts(places: pd.DataFrame) -> dict[str, int]:
    """Number of places per ``resolve_by`` (gazetteer, override, country)."""
    return {k: int(v) for k, v in places["resolve_by"].value_counts().items()}


def places_table(
    places: pd.DataFrame, lang: str, resolved: Mapping[str, tuple[float, float]] | None = None
) -> pd.DataFrame:
    """The gazetteer of places: how each was resolved, where it lies and, for overrides, where the coordinates come from.

    Returns
    -------
    DataFrame
        ``place_id, name, country, kind, resolve_by, gazetteer_name, geonameid,
        lon, lat, coordinate_source, note``. lon/lat are the table's for
        overrides; for the others, the point ``build`` resolved (``resolved``:
        place_id -> (lon, lat), from ``data/geo/places.geojson``), so a reader
        sees every coordinate the maps use.
    """
    resolved = resolved or {}
    # Overrides first: theirs are the coordinates a reader may want to check.
    order = places.assign(_first=places["resolve_by"] != "override").sort_values("_first", kind="stable")
    rows = []
    for _, row in order.iterrows():
        rows.append(
            {
                "place_id": row["place_id"],
                "name": pick(row, "name", lang),
                "country": country_name(row["country_iso3"], lang),
                "kind": t(f"pg_about.place_kind_{row['place_kind']}", lang),
                "resolve_by": t(f"pg_about.resolve_{row['resolve_by']}", lang),
                "gazetteer_name": row["gazetteer_name"],
                "geonameid": _text(row["geonameid"]),
                "lon": _coordinate(row["lon"]) or _coordinate(resolved.get(row["place_id"], ("", ""))[0]),
                "lat": _coordinate(row["lat"]) or _coordinate(resolved.get(row["place_id"], ("", ""))[1]),
                "coordinate_source": row["coordinate_source"],
                "note": row["note"],
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "place_id",
            "name",
            "country",
            "kind",
            "resolve_by",
            "gazetteer_name",
            "geonameid",
            "lon",
            "lat",
            "coordinate_source",
            "note",
        ],
    )


def _coordinate(value) -> str:
    if isinstance(value, str):
        return f"{float(value):.4f}" if value else ""
    return "" if pd.isna(value) else f"{float(value):.4f}"


def places_columns(lang: str) -> dict[str, str]:
    keys = {
        "name": "place",
        "country": "country",
        "kind": "place_kind",
        "resolve_by": "resolve_by",
        "gazetteer_name": "gazetteer_name",
        "geonameid": "geonameid",
        "lon": "lon",
        "lat": "lat",
        "coordinate_source": "coordinate_source_en",
        "note": "note_en",
    }
    return {c: col_label(k, lang) for c, k in keys.items()}


# -- about: reading, sections, facts ----------------------------------------------------
def reading_notes_table(notes: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Garbled or doubtful lines of the extracted text and how they were read.

    Returns
    -------
    DataFrame
        ``note_id, seed_line, kind, raw_text, read_as, affects, explanation``
        (``kind`` in ``lang``; the explanation is the curators' English).
    """
    out = notes[["note_id", "seed_line", "kind", "raw_text", "read_as", "affects", "explanation"]].copy()
    out["kind"] = [t(f"pg_about.reading_{k}", lang) for k in notes["kind"]]
    out["seed_line"] = out["seed_line"].astype(int)
    return out.reset_index(drop=True)


def reading_notes_columns(lang: str) -> dict[str, str]:
    keys = {
        "seed_line": "seed_line",
        "kind": "reading_kind",
        "raw_text": "raw_text",
        "read_as": "read_as",
        "affects": "affects",
        "explanation": "explanation_en",
    }
    return {c: col_label(k, lang) for c, k in keys.items()}


def sections_table(sections: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Brochure sections: id (as used in every ``source_ref``), title in ``lang``, lines and page."""
    rows = [
        {
            "section_id": r["section_id"],
            "title": pick(r, "title", lang),
            "seed_lines": r["seed_lines"],
            "page_hint": r["page_hint"],
        }
        for _, r in sections.iterrows()
    ]
    return pd.DataFrame(rows, columns=["section_id", "title", "seed_lines", "page_hint"])


def sections_columns(lang: str) -> dict[str, str]:
    keys = {"section_id": "section_id", "title": "section_title", "seed_lines": "seed_lines", "page_hint": "page"}
    return {c: col_label(k, lang) for c, k in keys.items()}


def facts_table(facts: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The brochure's other statements: text in ``lang``, value, unit, date and source.

    Returns
    -------
    DataFrame
        ``fact_id, topic, statement, value, unit, date, source_ref``; ``value``
        is formatted text ('' when the statement has no figure).
    """
    rows = []
    for _, r in facts.iterrows():
        value = r["value"]
        rows.append(
            {
                "fact_id": r["fact_id"],
                "topic": t(f"pg_about.topic_{r['topic']}", lang),
                "statement": pick(r, "statement", lang),
                "value": "" if pd.isna(value) else format_number(value, lang, 0 if float(value).is_integer() else 1),
                "unit": _text(r["unit"]),
                "date": format_partial_date(_text(r["date"]), lang),
                "source_ref": r["source_ref"],
            }
        )
    return pd.DataFrame(rows, columns=["fact_id", "topic", "statement", "value", "unit", "date", "source_ref"])


def facts_columns(lang: str) -> dict[str, str]:
    keys = {
        "topic": "topic",
        "statement": "statement",
        "value": "value",
        "unit": "unit_en",
        "date": "date",
        "source_ref": "source_ref",
    }
    return {c: col_label(k, lang) for c, k in keys.items()}


# -- about: licences --------------------------------------------------------------------
def read_manifest(path: Path = MANIFEST_PATH) -> dict:
    """``static/vendor/MANIFEST.json`` (what was vendored, from where, under which licence)."""
    return json.loads(path.read_text(encoding="utf-8"))


def read_world_atlas_source(path: Path = WORLD_ATLAS_SOURCE) -> dict:
    """``data/sources/world-atlas/SOURCE.yml`` (the basemap's package and Natural Earth licence)."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def licences_table(catalog: Mapping[str, Table], world_atlas: Mapping, manifest: Mapping, lang: str) -> pd.DataFrame:
    """Everything the atlas ships and under which licence: data, basemap, gazetteer, vendored JS.

    Parameters
    ----------
    catalog : mapping
        Table id -> :class:`Table`; the data licences are the distinct sidecar
        licences, and the gazetteer row is the ``places`` sidecar's source.
    world_atlas : mapping
        Parsed ``SOURCE.yml`` of the basemap.
    manifest : mapping
        Parsed ``static/vendor/MANIFEST.json``.

    Returns
    -------
    DataFrame
        ``component, version, licence, where``.
    """
    rows = []
    licences = {}
    for table in catalog.values():
        name = table.license.get("name", "")
        licences.setdefault(name, (table.license.get("url", ""), []))[1].append(table.id)
    for name, (url, ids) in licences.items():
        rows.append(
            {"component": t("pg_about.lic_data", lang, n=len(ids)), "version": "", "licence": name, "where": url}
        )
    lic = world_atlas.get("licence", {})
    rows.append(
        {
            "component": t("pg_about.lic_natural_earth", lang),
            "version": str(world_atlas.get("natural_earth_version", "")),
            "licence": lic.get("natural_earth", ""),
            "where": world_atlas.get("file", ""),
        }
    )
    rows.append(
        {
            "component": f"{world_atlas.get('package', '')} ({t('pg_about.lic_basemap_package', lang)})",
            "version": str(world_atlas.get("version", "")),
            "licence": lic.get(world_atlas.get("package", ""), ""),
            "where": world_atlas.get("obtained", ""),
        }
    )
    if "places" in catalog:
        src = catalog["places"].source
        rows.append(
            {
                "component": t("pg_about.lic_gazetteer", lang),
                "version": "",
                "licence": src.get("name", ""),
                "where": src.get("url", ""),
            }
        )
    for pkg in manifest.get("packages", []):
        rows.append(
            {
                "component": f"{pkg['name']} ({t('pg_about.lic_vendored_js', lang)})",
                "version": str(pkg.get("version", "")),
                "licence": str(pkg.get("licence", "")),
                "where": pkg.get("tarball") or (pkg["files"][0]["source"] if pkg.get("files") else ""),
            }
        )
    return pd.DataFrame(rows, columns=["component", "version", "licence", "where"])


def licences_columns(lang: str) -> dict[str, str]:
    keys = {"component": "component", "version": "version", "licence": "licence", "where": "origin"}
    return {c: col_label(k, lang) for c, k in keys.items()}
