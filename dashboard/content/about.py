"""What the about page shows: where each table comes from, how the brochure was read, the stated facts, the licences."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd
import yaml

from dashboard.brief import fonts
from dashboard.catalog import SOURCES_DIR, STATIC_DIR, Table, in_lang
from dashboard.content.tables import headings
from dashboard.i18n import format_number, format_partial_date, pick, t
from dashboard.text import cell_text

MANIFEST_PATH = STATIC_DIR / "vendor" / "MANIFEST.json"
WORLD_ATLAS_SOURCE = SOURCES_DIR / "world-atlas" / "SOURCE.yml"


def source_text(table: Table, lang: str) -> str:
    """One line for a table's source in ``lang``: its full citation, or name/title, and URL."""
    text = table.citation(lang)
    url = table.source.get("url")
    return f"{text} <{url}>" if url and url not in text else str(text)


def extra_sources_text(extra: Iterable[Mapping], lang: str) -> str:
    """A sidecar's ``extra_sources`` as 'name: description <url>' lines joined by ' | '."""
    parts = []
    for item in extra:
        piece = ": ".join(p for p in (in_lang(item, "name", lang), in_lang(item, "description", lang)) if p)
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
        kind = (
            t(f"page.about.kind_{table.geometry.lower()}", lang) if table.is_layer else t("page.about.kind_table", lang)
        )
        lic = table.license
        licence = f"{lic.get('name', '')} <{lic['url']}>" if lic.get("url") else lic.get("name", "")
        rows.append(
            {
                "table_id": table_id,
                "title": table.label(lang),
                "kind": kind,
                "rows": int(row_counts[table_id]),
                "description": table.description,
                "source": source_text(table, lang),
                "extra_sources": extra_sources_text(table.extra_sources, lang),
                "licence": licence,
            }
        )
    return pd.DataFrame(
        rows, columns=["table_id", "title", "kind", "rows", "description", "source", "extra_sources", "licence"]
    )


def provenance_columns(lang: str) -> dict[str, str]:
    return headings(
        ("title", "table_id", "kind", "rows", "description", "source", "extra_sources", "licence"),
        lang,
        {"title": "table_title", "table_id": "file", "description": "description_en"},
    )


def reading_notes_table(notes: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Garbled or doubtful lines of the extracted text and how they were read.

    Returns
    -------
    DataFrame
        ``note_id, seed_line, kind, raw_text, read_as, affects, explanation``
        (``kind`` in ``lang``; the explanation is the curators' English).
    """
    out = notes[["note_id", "seed_line", "kind", "raw_text", "read_as", "affects", "explanation"]].copy()
    out["kind"] = [t(f"page.about.reading_{k}", lang) for k in notes["kind"]]
    out["seed_line"] = out["seed_line"].astype(int)
    return out.reset_index(drop=True)


def reading_notes_columns(lang: str) -> dict[str, str]:
    return headings(
        ("seed_line", "kind", "raw_text", "read_as", "affects", "explanation"),
        lang,
        {"kind": "reading_kind", "explanation": "explanation_en"},
    )


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
    return headings(
        ("section_id", "title", "seed_lines", "page_hint"), lang, {"title": "section_title", "page_hint": "page"}
    )


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
                "topic": t(f"page.about.topic_{r['topic']}", lang),
                "statement": pick(r, "statement", lang),
                "value": "" if pd.isna(value) else format_number(value, lang, 0 if float(value).is_integer() else 1),
                "unit": cell_text(r["unit"]),
                "date": format_partial_date(cell_text(r["date"]), lang),
                "source_ref": r["source_ref"],
            }
        )
    return pd.DataFrame(rows, columns=["fact_id", "topic", "statement", "value", "unit", "date", "source_ref"])


def facts_columns(lang: str) -> dict[str, str]:
    return headings(("topic", "statement", "value", "unit", "date", "source_ref"), lang, {"unit": "unit_en"})


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
        name = table.licence(lang)
        licences.setdefault(name, (table.license.get("url", ""), []))[1].append(table.id)
    for name, (url, ids) in licences.items():
        rows.append(
            {"component": t("page.about.lic_data", lang, n=len(ids)), "version": "", "licence": name, "where": url}
        )
    lic = world_atlas.get("licence", {})
    rows.append(
        {
            "component": t("page.about.lic_natural_earth", lang),
            "version": str(world_atlas.get("natural_earth_version", "")),
            "licence": lic.get("natural_earth", ""),
            "where": world_atlas.get("file", ""),
        }
    )
    rows.append(
        {
            "component": f"{world_atlas.get('package', '')} ({t('page.about.lic_basemap_package', lang)})",
            "version": str(world_atlas.get("version", "")),
            "licence": lic.get(world_atlas.get("package", ""), ""),
            "where": world_atlas.get("obtained", ""),
        }
    )
    if "places" in catalog:
        src = catalog["places"].source
        rows.append(
            {
                "component": t("page.about.lic_gazetteer", lang),
                "version": "",
                "licence": src.get("name", ""),
                "where": src.get("url", ""),
            }
        )
    rows.append(
        {
            "component": f"{fonts.FAMILY} ({t('page.about.lic_brief_font', lang)})",
            "version": "",
            "licence": fonts.LICENCE,
            "where": fonts.SOURCE,
        }
    )
    for pkg in manifest.get("packages", []):
        rows.append(
            {
                "component": f"{pkg['name']} ({t('page.about.lic_vendored_js', lang)})",
                "version": str(pkg.get("version", "")),
                "licence": str(pkg.get("licence", "")),
                "where": pkg.get("tarball") or (pkg["files"][0]["source"] if pkg.get("files") else ""),
            }
        )
    return pd.DataFrame(rows, columns=["component", "version", "licence", "where"])


def licences_columns(lang: str) -> dict[str, str]:
    return headings(("component", "version", "licence", "where"), lang, {"where": "origin"})
