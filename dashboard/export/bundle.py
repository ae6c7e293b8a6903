"""The bundle: a zip of the layers with a README in the reader's language and a data package descriptor."""

from __future__ import annotations

import io
import zipfile

from dashboard import datapackage, release
from dashboard.catalog import TABLES_DIR, in_lang, load_catalog
from dashboard.export.context import ExportContext, Part
from dashboard.export.geo import geojson_bytes, to_gpkg
from dashboard.export.tables import (
    data_dictionary,
    to_csv,
)
from dashboard.i18n import t


def readme_text(parts: list[Part], context: ExportContext, files: list[tuple[str, str]] | None = None) -> str:
    """The bundle's README in the reader's language: version, date, view, files, citation, dictionaries.

    ``files`` are the (name, what it holds) of the bundle's entries, so the
    README lists exactly what is in it.
    """
    lang = context.lang

    def say(key: str, **values) -> str:
        return t(f"bundle.{key}", lang, **values)

    lines = [
        f"# {say('title')}",
        "",
        say("version", version=release.version(), released=release.released().isoformat()),
        say("downloaded", day=context.day.isoformat()),
        context.filter_sentence(t_ for t_, _ in parts),
    ]
    if context.view_url:
        lines.append(say("view", url=context.view_url))
    lines += ["", f"## {say('files')}", ""]
    lines += [f"- `{name}`: {what}" for name, what in files or []]
    lines += [
        "",
        f"## {say('cite')}",
        "",
        release.citation(lang),
        "",
        "```bibtex",
        release.bibtex(),
        "```",
        "",
        f"## {say('reading')}",
        "",
        say("coordinates"),
        "",
    ]
    for table, frame in parts:
        lines += [
            f"## {table.id}: {table.label(lang)}",
            "",
            table.description + (f" {say('english_only')}" if lang == "ja" else ""),
            "",
            say("features", n=len(frame)),
            "",
        ]
        lines.append(say("source", source=table.citation(lang)))
        for extra in table.extra_sources:
            lines.append(
                say(
                    "extra_source",
                    name=in_lang(extra, "name", lang),
                    text=f"{in_lang(extra, 'description', lang)} {extra.get('url', '')}".strip(),
                )
            )
        lines += [
            say("licence", licence=f"{table.licence(lang)} {table.license.get('url', '')}".rstrip()),
            "",
            f"| {say('col_column')} | {say('col_title')} | {say('col_type')} | {say('col_unit')} | {say('col_description')} | {say('col_codes')} |",
            "|---|---|---|---|---|---|",
        ]
        for _, row in data_dictionary(table, lang).iterrows():
            cells = [
                str(row[c]).replace("|", "/").replace("\n", " ")
                for c in ("column", "title", "type", "unit", "description", "codes")
            ]
            lines.append("| " + " | ".join(cells) + " |")
        if table.geometry == "Point":
            lines.append(f"| lon, lat | {say('lonlat')} | number | degrees (WGS 84) | {say('lonlat_desc')} | |")
        elif table.geometry:
            lines.append(f"| wkt | {say('wkt')} | string | degrees (WGS 84) | {say('wkt_desc')} | |")
        lines.append("")
    return "\n".join(lines)


SECTIONS_TABLE = "brochure_sections"  # what every source_ref cites; in every bundle so citations resolve


def bundle_package(parts: list[Part], context: ExportContext) -> dict:
    """The bundle's datapackage.json: its CSVs with their Table Schemas."""
    tables = {table.id: table for table, _ in parts} | {SECTIONS_TABLE: load_catalog()[SECTIONS_TABLE]}
    return datapackage.descriptor(
        tables,
        {tid: f"{tid}.csv" for tid in tables},
        title=release.TITLE if context.lang == "en" else release.TITLE_JA,
        version=release.version(),
        citation=release.citation(),
        geometry_columns=True,
        description=context.filter_sentence(t_ for t_, _ in parts),
    )


def to_bundle(parts: list[Part], context: ExportContext) -> bytes:
    """A zip: README.md, datapackage.json, one GeoJSON and CSV per layer, and a GeoPackage of all.

    Entries are dated with the atlas's release and readable by everyone
    (mode 0644) once unzipped.
    """
    lang = context.lang
    entries: list[tuple[str, str, bytes]] = [
        ("datapackage.json", t("bundle.file_datapackage", lang), datapackage.to_json(bundle_package(parts, context)))
    ]
    for table, frame in parts:
        label = table.label(lang)
        entries.append((f"{table.id}.csv", t("bundle.file_csv", lang, layer=label), to_csv([(table, frame)], context)))
        entries.append(
            (f"{table.id}.geojson", t("bundle.file_geojson", lang, layer=label), geojson_bytes(table, frame, context))
        )
    entries.append(("layers.gpkg", t("bundle.file_gpkg", lang), to_gpkg(parts, context)))
    sections = (TABLES_DIR / f"{SECTIONS_TABLE}.csv").read_bytes()
    entries.append((f"{SECTIONS_TABLE}.csv", t("bundle.file_sections", lang), sections))
    files = [("README.md", t("bundle.file_readme", lang))] + [(name, what) for name, what, _ in entries]
    readme = readme_text(parts, context, files).encode("utf-8")
    stamp = release.released()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in [("README.md", readme)] + [(name, data) for name, _, data in entries]:
            info = zipfile.ZipInfo(name, date_time=(stamp.year, stamp.month, stamp.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
            info.create_system = 3  # Unix, so unzip honours the mode
            archive.writestr(info, data)
    return buffer.getvalue()
