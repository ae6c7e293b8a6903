"""Streamlit widgets of the Downloads page: layer choice, files, preview map and tables.

The page's state lives in the URL next to the shared filter: ``dl_layers``
(chosen layers, comma-separated; default all, ``none`` for an empty choice)
and ``dl_format``. Every file comes from :func:`export_bytes`,
the cached call to ``export(select(...))`` that the map explorer and the CLI
(``python -m dashboard export``) make too, so a download equals the CLI's file
byte for byte. Bytes are made only when a button is clicked (deferred data).
"""

from __future__ import annotations

import re
from datetime import date
from functools import partial

import streamlit as st

from dashboard.catalog import Table, in_lang
from dashboard.content.downloads import files_for, map_keys, unapplied_facets
from dashboard.export import FORMATS, export, export_filename, select
from dashboard.export.context import ExportContext
from dashboard.export.tables import data_dictionary, flat_frame
from dashboard.filters import FACETS_BY_ID, Filter
from dashboard.i18n import t
from dashboard.text import clip, join_names, md_escape, t_md
from dashboard.ui import cached, layout, map_view, url_state
from dashboard.ui.tables import data_table

LAYERS_KEY = "dl_layers"
FORMAT_KEY = "dl_format"
NONE = "none"  # the URL value of an empty layer choice (absent means all)
DEFAULT_FORMAT = next(iter(FORMATS))  # GeoPackage: the first format dashboard.export declares
MAP_HEIGHT = 480


# -- URL-bound widgets ------------------------------------------------------------------------
def chosen_in_url() -> tuple[list[str], str]:
    """The chosen layers and format in the URL; bad values are dropped with a notice.

    Call before :func:`dashboard.ui.layout.page_header`, which shows the notices.

    Returns
    -------
    (list of str, str)
        Layer ids in catalogue order (default all; ``dl_layers=none`` is an
        empty choice) and a key of :data:`FORMATS` (default GeoPackage).
    """
    all_ids = cached.ordered_layer_ids()
    layer_ids = [] if st.query_params.get(LAYERS_KEY) == NONE else url_state.query_list(LAYERS_KEY, all_ids, all_ids)
    return layer_ids, url_state.query_value(FORMAT_KEY, DEFAULT_FORMAT, FORMATS)


def layer_picker(lang: str, url_ids: list[str]) -> list[str]:
    """Multiselect of layers (table titles in ``lang``) mirrored in the URL; returns the choice."""
    all_ids = cached.ordered_layer_ids()
    tables = {lid: cached.layers()[lid][0] for lid in all_ids}

    def in_order(ids) -> list[str]:  # the URL keeps catalogue order, whatever order the reader picked in
        return [lid for lid in all_ids if lid in ids]

    chosen = in_order(
        url_state.bound(
            st.multiselect,
            url_state.widget_key(LAYERS_KEY, lang),
            list(url_ids),
            t("page.downloads.layers", lang),
            all_ids,
            format_func=lambda lid: tables[lid].label(lang),
            placeholder=t("page.downloads.layers_placeholder", lang),
        )
    )
    url_state.set_query(**{LAYERS_KEY: None if chosen == all_ids else (chosen or NONE)})
    return chosen


def format_picker(lang: str, current: str) -> str:
    """Radio of export formats, bound to ``dl_format`` (default GeoPackage)."""
    fmt = url_state.bound(
        st.radio,
        url_state.widget_key(FORMAT_KEY, lang),
        current,
        t("download.format", lang),
        tuple(FORMATS),
        horizontal=True,
        format_func=lambda f: t(f"download.fmt_{f}", lang),
    )
    url_state.set_query(**{FORMAT_KEY: None if fmt == DEFAULT_FORMAT else fmt})
    return fmt


# -- files ------------------------------------------------------------------------------------
def download_panel(layer_ids: list[str], filter_: Filter, lang: str, url_format: str) -> None:
    """Format choice, its download button(s) and the suggested citation."""
    st.header(t("page.downloads.files", lang))
    fmt = format_picker(lang, url_format)
    st.caption(t(f"page.downloads.about_{fmt}", lang))
    files = files_for(layer_ids, fmt)
    if len(files) > 1:
        st.markdown(t("page.downloads.one_file_per_layer", lang, n=len(files)))
    today = date.today()
    for ids in files:
        name = export_filename(list(ids), filter_, fmt, today)
        help_ = join_names((cached.layers()[lid][0].label(lang) for lid in ids), lang)
        # partial, not a lambda: each button must keep its own layers (late binding in a loop).
        download_button(
            partial(export_bytes, ids, filter_, fmt, lang, today, url_state.page_url()),
            name=name,
            mime=FORMATS[fmt].mime,
            key=f"dl_{fmt}_{'+'.join(ids) if len(files) > 1 else 'all'}",
            lang=lang,
            empty=matches_nothing(ids, filter_),
            icon="⬇️",
            help=help_,
            width="stretch",
            wrap=True,
        )
    layout.cite_box(lang)


# -- stable links -----------------------------------------------------------------------------
def stable_links(lang: str) -> None:
    """Every unfiltered layer at a fixed address, in every format, and the whole atlas as a data package.

    Links are relative to the page, so they keep working under a base URL path.
    """
    from dashboard.publish import LAYER_FORMATS, URL_PREFIX, layer_file

    base = f"app/static/{URL_PREFIX}"
    with st.expander(t("page.downloads.stable_heading", lang), icon=":material/link:"):
        st.caption(t("page.downloads.stable_intro", lang))
        st.markdown(
            f"- [{md_escape(t('page.downloads.stable_package', lang))}]({base}/datapackage.json) · "
            f"[{md_escape(t('page.downloads.stable_all', lang))}]({base}/atlas.gpkg) · "
            f"[{md_escape(t('page.downloads.stable_places', lang))}]({base}/places.geojson)"
        )
        for lid in cached.ordered_layer_ids():
            links = " · ".join(
                f"[{md_escape(t(f'download.fmt_{fmt}', lang))}]({base}/{layer_file(lid, fmt)})" for fmt in LAYER_FORMATS
            )
            st.markdown(f"- **{md_escape(cached.layers()[lid][0].label(lang))}**: {links}")


# -- preview ----------------------------------------------------------------------------------
def preview_map(layer_ids: list[str], filter_: Filter, lang: str) -> None:
    """A small map of the chosen, filtered layers (no reruns on pan or zoom)."""
    st.header(t("page.downloads.map", lang))
    map_view.show_map(
        map_view.page_map(filter_, map_keys(layer_ids), lang, choosable=False),
        key="downloads_map",
        height=MAP_HEIGHT,
    )


def _column_config(table: Table, lang: str) -> dict:
    """Headers are the columns' titles in the reader's language; the file's own column name is the tooltip."""
    config = {}
    for col in table.columns:
        title = col.label(lang) + (f" ({col.unit})" if col.unit else "")
        config[col.name] = st.column_config.Column(title, help=t("page.downloads.column_in_file", lang, name=col.name))
    return config


def preview_tables(layer_ids: list[str], filter_: Filter, lang: str) -> None:
    """One tab per chosen layer: counts, sources, the filtered rows and the data dictionary."""
    st.header(t("page.downloads.preview", lang))
    tables = {lid: cached.layers()[lid][0] for lid in layer_ids}
    frames = {lid: cached.filtered(lid, filter_) for lid in layer_ids}
    # Lazy tabs: only the open tab's table is built and sent (eight previews at once
    # made this the slowest page to rerun).
    tabs = st.tabs(
        [f"{tables[lid].label(lang)} ({len(frames[lid])})" for lid in layer_ids],
        key="dl_preview_tab",
        on_change="rerun",
    )
    for tab, lid in zip(tabs, layer_ids, strict=True):
        table, frame = tables[lid], frames[lid]
        if tab.open is False:
            continue
        with tab:
            total = len(cached.layers()[lid][1])
            counts = [t("page.downloads.rows", lang, n=len(frame), total=total)]
            unplaced = int(frame.geometry.isna().sum())
            if unplaced:
                counts.append(t("page.downloads.unplaced", lang, n=unplaced))
            st.markdown(md_escape(" · ".join(counts)))
            skipped = unapplied_facets(filter_, table)
            if skipped:
                labels = t("filter.or", lang).join(
                    t(FACETS_BY_ID[k].label_key, lang) if k in FACETS_BY_ID else k for k in skipped
                )
                st.info(t_md("page.downloads.not_narrowed", lang, facets=labels), icon="ℹ️")
            if frame.empty:
                st.info(t("page.downloads.empty", lang))
            else:
                data_table(
                    _preview_frame(lid, filter_), f"dl_preview_{lid}", lang, column_config=_column_config(table, lang)
                )
            _sources(table, lang)
            # A toggle rather than an expander: an expander's table is sent on every rerun
            # even while closed, and eight of them doubled the page's cost.
            if st.toggle(t("page.downloads.dictionary", lang), key=f"dl_dictionary_{lid}"):
                data_table(_dictionary(table, lang), f"dl_dictionary_table_{lid}", lang)


@st.cache_resource(show_spinner=False, max_entries=256)
def _preview_frame(layer_id: str, filter_: Filter):
    """The preview rows (no geometry, lon/lat for points), once per layer and filter."""
    return flat_frame(cached.layers()[layer_id][0], cached.filtered(layer_id, filter_), wkt=False)


@st.cache_resource(show_spinner=False, max_entries=64, hash_funcs={Table: lambda table: table.id})
def _dictionary(table: Table, lang: str):
    frame = data_dictionary(table, lang)
    return frame.rename(columns={c: t(f"page.downloads.dict_{c}", lang) for c in frame.columns})


def _sources(table: Table, lang: str) -> None:
    """Source, extra sources and licence of a layer, as escaped captions with live links."""
    lines = [(t("page.downloads.source", lang, source=table.citation(lang)), table.source.get("url", ""))]
    for extra in table.extra_sources:
        text = t(
            "page.downloads.extra_source",
            lang,
            name=in_lang(extra, "name", lang),
            description=in_lang(extra, "description", lang),
        )
        lines.append((text, extra.get("url", "")))
    lines.append((t("page.downloads.licence", lang, licence=table.licence(lang)), table.license.get("url", "")))
    for text, url in lines:
        st.caption(" ".join(filter(None, (md_escape(text), _safe_url(url)))))


def _safe_url(url: str) -> str:
    """A plain http(s) URL left unescaped so Markdown links it (escaping would put backslashes in the link)."""
    return url if re.fullmatch(r"https?://[A-Za-z0-9._~:/?#@!$&'()*+,;=%-]+", url or "") else md_escape(url or "")


@st.cache_data(show_spinner=False, max_entries=32)
def export_bytes(
    layer_ids: tuple[str, ...], filter_: Filter, fmt: str, lang: str, day: date, view_url: str = ""
) -> bytes:
    """The bytes of a download: the same call the CLI makes (``--lang``, today's date)."""
    context = ExportContext(filter_, lang=lang, downloaded=day, view_url=view_url)
    return export(select(cached.layers(), list(layer_ids), filter_), fmt, context)


def matches_nothing(layer_ids, filter_: Filter) -> bool:
    """Whether the filter leaves no row in any of the layers (then no file is offered)."""
    return all(cached.filtered(lid, filter_).empty for lid in layer_ids)


def download_button(make, *, name: str, mime: str, key: str, lang: str, empty: bool = False, **kwargs) -> None:
    """A download of ``make()``'s bytes, or, if they cannot be made, a message where the button would be.

    A file made only on click (Streamlit's deferred ``data``) fails silently
    when the server cannot write it (a full disk, say): the button does
    nothing. Exports are small and cached, so they are made here, and a
    failure is said in the reader's language. A filter that matches nothing
    gets the notice where the button would be, and no file.
    """
    if empty:
        st.info(t("download.nothing", lang), icon=":material/filter_alt_off:")
        return
    try:
        data = make()
    except (OSError, ValueError, RuntimeError) as err:
        st.error(t_md("download.failed", lang, name=name, reason=clip(err, 160)), icon=":material/error:")
        return
    st.download_button(
        t("download.button", lang, name=name),
        data=data,
        file_name=name,
        mime=mime,
        key=key,
        on_click="ignore",
        **kwargs,
    )
