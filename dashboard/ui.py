"""The Streamlit-aware layer: cached loaders, URL-bound state, language, shared sidebar.

Everything else in ``dashboard`` is importable without a running app. Pages
call these helpers and the pure builders, and render.

URL state follows owid's ``url_persist``: a widget's value lives in
``st.query_params`` under a declared key, defaults are left out of the URL,
and a value that is not among the options falls back to the default with a
visible notice instead of an exception.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import streamlit as st

from dashboard import release
from dashboard.catalog import LAYER_ORDER, Table, load_catalog
from dashboard.filters import FACETS, FACETS_BY_ID, Filter, facet_options, value_label
from dashboard.i18n import DEFAULT_LANG, LANGS, t
from dashboard.io import load_layers, load_table
from dashboard.io import resolved_places as io_resolved_places
from dashboard.text import clip, md_escape, t_md
from dashboard.validate import DataError

LANG_KEY = "lang"
NONE = "none"  # URL value of an explicitly empty list
_NOTICES = "_url_notices"
_UNSEEN = object()
NOTICE_VALUE_CHARS = 40  # a link value longer than this is shown cut


# -- data -------------------------------------------------------------------------------
@st.cache_resource(show_spinner=False)
def layers() -> dict:
    """Every layer as (Table, GeoDataFrame); loaded once per server process.

    ``cache_resource`` rather than ``cache_data``: the frames are never mutated,
    and copying them on every rerun would cost more than the pages themselves.
    """
    return load_layers()


@st.cache_resource(show_spinner=False)
def table(table_id: str):
    """A non-layer table (typed DataFrame), loaded once."""
    return load_table(table_id)


@st.cache_resource(show_spinner=False)
def resolved_places() -> dict[str, tuple[float, float]]:
    """:func:`dashboard.io.resolved_places`, read once."""
    return io_resolved_places()


@st.cache_resource(show_spinner=False)
def catalog() -> dict[str, Table]:
    return load_catalog()


@st.cache_resource(show_spinner=False)
def options() -> dict[str, list[str]]:
    return facet_options(layers())


DATA_ERROR_LINES = 12  # issues listed on the error page; validate lists them all


def require_data(lang: str) -> None:
    """Load every table and layer, or show one page that says what is broken, and stop.

    Runs before any page: a broken file must give viewers a plain message
    naming the file, row and field, not a traceback with server paths, and
    never a page drawn from half the data.
    """
    try:
        tables = catalog()
        layers()
        for table_id, table_ in tables.items():
            if not table_.is_layer:
                table(table_id)
    except DataError as err:
        st.title(t("app.data_error_title", lang))
        st.error(md_escape(t("app.data_error_intro", lang)), icon=":material/error:")
        st.markdown(f"**{md_escape(t('app.data_error_details', lang))}**")
        lines = [f"- {md_escape(clip(str(issue), 300))}" for issue in err.issues[:DATA_ERROR_LINES]]
        if len(err.issues) > DATA_ERROR_LINES:
            lines.append(md_escape(t("app.data_error_more", lang, n=len(err.issues) - DATA_ERROR_LINES)))
        st.markdown("\n".join(lines))
        st.caption(t("app.data_error_fix", lang))
        st.stop()


# -- URL state --------------------------------------------------------------------------
def notice(key: str, value: str, kept: Sequence[str] = ()) -> None:
    """Queue a notice that ``key=value`` in the URL was ignored (``kept``: what stayed)."""
    items = st.session_state.setdefault(_NOTICES, {})
    entry = items.setdefault(key, {"ignored": [], "kept": []})
    if value not in entry["ignored"]:
        entry["ignored"].append(value)
    entry["kept"] = list(kept)


def show_notices(lang: str) -> None:
    """One warning naming exactly which link values were dropped and what was kept.

    The values come from a URL anyone can write: each is clipped and escaped,
    so a link cannot put a fake "sign in" link, an image or a page-long string
    on the screen.
    """
    items = st.session_state.pop(_NOTICES, {})
    if not items:
        return
    lines = []
    for key, entry in items.items():
        # A filter is named as the sidebar names it, its kept values as the reader reads them.
        param = t(FACETS_BY_ID[key].label_key, lang) if key in FACETS_BY_ID else clip(key, 30)
        ignored = t("filter.list_sep", lang).join(
            t("filter.quoted", lang, value=clip(v, NOTICE_VALUE_CHARS)) for v in entry["ignored"][:5]
        )
        if len(entry["ignored"]) > 5:
            ignored += t("filter.notice_more", lang, n=len(entry["ignored"]) - 5)
        if entry["kept"]:
            kept = t("filter.list_sep", lang).join(
                clip(value_label(key, v, lang) if key in FACETS_BY_ID else v, NOTICE_VALUE_CHARS) for v in entry["kept"]
            )
            line = t("filter.notice_kept", lang, param=param, ignored=ignored, kept=kept)
        else:
            line = t("filter.notice_default", lang, param=param, ignored=ignored)
        lines.append("- " + md_escape(line))
    st.warning(md_escape(t("filter.notice_invalid", lang)) + "\n\n" + "\n".join(lines), icon="⚠️")


def widget_key(name: str, lang: str) -> str:
    """The key of a widget whose option labels are in ``lang``.

    Streamlit keeps a multiselect's or radio's choice as its option labels;
    after a language switch the old labels match no option, so the chips
    stayed in the old language and the next pick silently dropped them. One
    widget per language, each filled from the URL, keeps the choice whole.
    """
    return f"{name}_{lang}"


def takes_url_value(key: str, url_value) -> bool:
    """Whether the widget ``key`` must be set to the URL's value before it is drawn.

    URL-bound widgets follow the URL when it changes under them (a link, the
    back button); ``<key>_url`` remembers the URL value the widget last
    followed. A session without that memory that nonetheless receives the
    widget's value from the browser is a browser that reconnected after a
    server restart or a long disconnect: its widget holds the reader's latest
    choice (the click that triggered this run), so that choice wins, and the
    URL is written from it.
    """
    followed = st.session_state.get(f"{key}_url", _UNSEEN)
    if followed is _UNSEEN and _sent_by_browser(key):
        return False
    return followed != url_value


def _sent_by_browser(key: str) -> bool:
    """Whether this run's widget states from the browser hold a value for the widget ``key``."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None:
        return False
    # Streamlit keeps incoming values by widget id, '$$ID-<hash>-<key>', until the widget is drawn.
    incoming = ctx.session_state._state._new_widget_state
    return any(widget_id.endswith(f"-{key}") for widget_id in incoming.keys())


def query_value(key: str, default: str, allowed: Iterable[str]) -> str:
    """One query parameter, validated against ``allowed``; a bad value is reported and dropped."""
    raw = st.query_params.get(key)
    if raw is None:
        return default
    allowed = list(allowed)
    if raw in allowed:
        return raw
    notice(key, raw)
    del st.query_params[key]
    return default


def query_list(key: str, default: Sequence[str], allowed: Iterable[str]) -> list[str]:
    """A comma-separated query parameter, keeping only allowed values (in ``allowed`` order).

    ``none`` stands for an explicit empty choice (an empty value would be
    indistinguishable from "use the default").
    """
    raw = st.query_params.get(key)
    if raw is None:
        return list(default)
    if raw == NONE:
        return []
    allowed = list(allowed)
    values = [v for v in raw.split(",") if v]
    bad = [v for v in values if v not in allowed]
    good = [v for v in allowed if v in values]
    for v in bad:
        notice(key, v, good)
    if bad and not good:
        set_query(**{key: None})  # nothing usable: the default, as the notice says
        return list(default)
    if bad:
        set_query(**{key: good})
    return good


def set_query(**values) -> None:
    """Write values into the URL; None, '' or an empty list removes the key."""
    for key, value in values.items():
        if isinstance(value, (list, tuple)):
            value = ",".join(str(v) for v in value)
        if value is None or value == "":
            if key in st.query_params:
                del st.query_params[key]
        elif st.query_params.get(key) != str(value):
            st.query_params[key] = str(value)


# -- language ---------------------------------------------------------------------------
def browser_language() -> str:
    """'ja' when the browser prefers Japanese, else the default."""
    try:
        locale = (st.context.locale or "").lower()
    except Exception:  # noqa: BLE001 - no browser context (AppTest, bare mode)
        locale = ""
    return "ja" if locale.startswith("ja") else DEFAULT_LANG


def current_language() -> str:
    """The page language: ``?lang=`` first, then the browser's preference."""
    return query_value(LANG_KEY, browser_language(), LANGS)


def language_switch(lang: str) -> str:
    """Sidebar radio that switches language and keeps it in the URL."""
    labels = {"en": "English", "ja": "日本語"}
    choice = st.sidebar.radio(
        t("app.language", lang),
        LANGS,
        index=LANGS.index(lang),
        format_func=labels.get,
        horizontal=True,
        key="language_switch",
    )
    if choice != lang:
        set_query(lang=choice if choice != browser_language() else None)
        st.rerun()
    return choice


# -- filters ----------------------------------------------------------------------------
def current_filter() -> Filter:
    """The filter in the URL, invalid values dropped with a notice."""
    params = {f.id: st.query_params.get(f.id) for f in FACETS if st.query_params.get(f.id) is not None}
    filter_, bad = Filter.from_query(params, options())
    for key, value in bad:
        notice(key, value, filter_.get(key))
    if bad:
        set_query(**{f.id: ",".join(filter_.get(f.id)) or None for f in FACETS})
    return filter_


def filter_sidebar(lang: str, facets: Sequence[str] = tuple(f.id for f in FACETS)) -> Filter:
    """Multiselects for the facets, bound to the URL; returns the active filter.

    Declared once here and used by every page, so the map, the charts, the
    URL and the downloads always see the same filter.
    """
    filter_ = current_filter()
    opts = options()
    st.sidebar.subheader(t("ui.filters", lang))
    mapping = {}
    for facet in FACETS:
        if facet.id not in facets:
            mapping[facet.id] = filter_.get(facet.id)
            continue
        state_key = widget_key(f"facet_{facet.id}", lang)
        url_value = list(filter_.get(facet.id))
        if takes_url_value(state_key, url_value):
            # The URL changed (link opened, back button): the widget follows it.
            st.session_state[state_key] = url_value
            st.session_state[f"{state_key}_url"] = url_value
        chosen = st.sidebar.multiselect(
            t(facet.label_key, lang),
            opts[facet.id],
            key=state_key,
            format_func=lambda v, k=facet.id: value_label(k, v, lang),
            placeholder=t("ui.all", lang),
        )
        mapping[facet.id] = chosen
        st.session_state[f"{state_key}_url"] = list(chosen)
    new = Filter.from_mapping(mapping)
    set_query(**{f.id: ",".join(new.get(f.id)) or None for f in FACETS})
    if not new.is_empty() and st.sidebar.button(t("ui.clear_filters", lang), key="clear_filters"):
        for facet in FACETS:
            st.session_state[widget_key(f"facet_{facet.id}", lang)] = []
            st.session_state[widget_key(f"facet_{facet.id}", lang) + "_url"] = []
        set_query(**{f.id: None for f in FACETS})
        st.rerun()
    return new


def ordered_layer_ids() -> list[str]:
    return [lid for lid in LAYER_ORDER if lid in layers()]


@st.cache_resource(show_spinner=False, max_entries=512)
def filtered(layer_id: str, filter_: Filter):
    """A layer's rows that pass the filter (the exact rows map, charts and downloads use).

    Cached per (layer, filter): every page asks for the same few combinations,
    and callers never mutate the result.
    """
    table_, frame = layers()[layer_id]
    return filter_.apply(table_, frame)


def page_header(title_key: str, lang: str, filter_: Filter | None = None) -> None:
    """Page title, URL notices, and the filter sentence the page reflects."""
    st.title(t(title_key, lang))
    show_notices(lang)
    if filter_ is not None:
        st.caption(md_escape(filter_.sentence(lang)))


# -- shared page pieces -------------------------------------------------------------------
def lang() -> str:
    """The language chosen for this run (set by app.py before the page runs)."""
    return st.session_state.get("lang") or current_language()


def render_fields(fields, heading: str | None = None) -> None:
    """A feature's fields as a definition list; data text is never rendered as HTML."""
    if heading:
        st.markdown(f"#### {md_escape(heading)}")
    for f in fields:
        if f.long:
            st.markdown(f"**{md_escape(f.label)}**")
            st.text(f.value) if len(f.value) < 60 else st.write(md_escape(f.value))
        else:
            st.markdown(f"**{md_escape(f.label)}**: {md_escape(f.value)}")


@st.cache_resource(show_spinner=False, max_entries=256)
def figure(builder_name: str, filter_: Filter, lang: str, table_ids: tuple[str, ...], options: dict | None = None):
    """A chart from ``dashboard.charts``, built once per (chart, filter, language, options).

    Building a plotly figure validates every property (tens of milliseconds a
    chart); pages rerun on every click, so figures are cached like the data.
    Layers are passed filtered; other tables whole.
    """
    from dashboard import charts

    frames = [filtered(tid, filter_) if tid in layers() else table(tid) for tid in table_ids]
    return getattr(charts, builder_name)(*frames, lang, **(options or {}))


_MEMO: dict = {}
_MEMO_LIMIT = 4096


def memo(fn, *args):
    """``fn(*args)``, computed once per identical arguments.

    Page helpers turn the cached, filtered frames into display tables on every
    rerun; memoising them keeps a rerun cheap. Frames are compared by identity
    (they come from the caches above and are never mutated); a weak reference
    makes sure a recycled ``id`` is never mistaken for the old frame. Other
    arguments are compared by value.
    """
    import weakref

    import pandas as pd

    parts, refs = [], []
    for arg in args:
        if isinstance(arg, pd.DataFrame):
            parts.append(("frame", id(arg)))
            refs.append(weakref.ref(arg))
        else:
            parts.append(repr(arg))
    key = (fn.__module__, fn.__qualname__, tuple(parts))
    hit = _MEMO.get(key)
    if hit is not None and all(ref() is not None for ref in hit[0]):
        return hit[1]
    value = fn(*args)
    if len(_MEMO) >= _MEMO_LIMIT:
        _MEMO.clear()
    _MEMO[key] = (refs, value)
    return value


def page_url() -> str:
    """The address of the page as the reader sees it (the link a download's README gives back)."""
    from urllib.parse import urlencode

    try:
        url = st.context.url or ""
    except Exception:  # noqa: BLE001 - no browser context (AppTest, bare mode)
        return ""
    # The context's URL is the address the page was opened at; the query now in use is the view.
    # The selected feature is left out: it does not change the file, and as part of the
    # cache key it would remake the file on every click on the map.
    params = {k: v for k, v in st.query_params.to_dict().items() if k != "sel"}
    query = urlencode(params, safe=",")
    return url.split("?")[0] + (f"?{query}" if query and url else "")


def cite_box(lang: str) -> None:
    """How to cite the atlas, as copyable plain text and BibTeX (Downloads and About)."""
    st.markdown(f"**{md_escape(t('page.downloads.citation', lang))}**")
    st.code(release.citation(), language=None, wrap_lines=True)
    st.code(release.bibtex(), language="bibtex", wrap_lines=True)


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


def data_table(frame, key: str, column_config: dict | None = None, **kwargs):
    """A labelled table, as tall as its rows (up to 25), so short tables have no inner scroll bar."""
    from dashboard.content.tables import table_height

    return st.dataframe(
        frame, hide_index=True, key=key, height=table_height(len(frame)), column_config=column_config, **kwargs
    )


def readable_table(frame, columns: dict, key: str, lang: str, long=(), column_config: dict | None = None) -> None:
    """A labelled table whose long-text columns can be read in full by selecting a row.

    Table cells cut text at the column's width, and in these tables the long
    text (cooperation content, notes, garbled lines) is what a reader came for.

    Parameters
    ----------
    frame : pandas.DataFrame
        Rows with internal column names.
    columns : dict
        Internal name -> label in ``lang`` (order = display order).
    key : str
        Widget key.
    long : iterable of str
        Internal names of long-text columns; with any, a row can be selected.
    """
    from dashboard.content import tables as pt

    display = memo(pt.for_display, frame, columns)
    config = {columns[c]: st.column_config.TextColumn(width="large") for c in long} | (column_config or {})
    selectable = {"on_select": "rerun", "selection_mode": "single-row"} if long else {}
    event = data_table(display, key=key, column_config=config, **selectable)
    if not long:
        return
    rows = event.selection.rows if event is not None else []
    if not rows:
        st.caption(t("page.about.select_hint", lang))
        return
    with st.container(border=True):
        for label, text in pt.row_fields(display.iloc[rows[0]], list(columns.values())):
            st.markdown(f"**{md_escape(label)}**  \n{md_escape(text)}")
