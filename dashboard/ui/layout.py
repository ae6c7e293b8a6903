"""The frame of every page: the data check, language switch, filter sidebar, header, field lists, citation."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import streamlit as st

from dashboard import release
from dashboard.citations import in_words
from dashboard.content import record_state
from dashboard.filters import AS_OF_KEY, FACETS, STATES, Filter, value_label, value_order
from dashboard.i18n import LANGS, t
from dashboard.text import clip, md_escape
from dashboard.ui import cached
from dashboard.ui.cached import catalog, table
from dashboard.ui.url_state import (
    bound,
    current_filter,
    current_language,
    filter_query,
    set_query,
    show_notices,
    widget_key,
)
from dashboard.validate import DataError

DATA_ERROR_LINES = 12  # issues listed on the error page; validate lists them all


def require_data(lang: str) -> None:
    """Load every table and layer, or show one page that says what is broken, and stop.

    Runs before any page: a broken file must give viewers a plain message
    naming the file, row and field, not a traceback with server paths, and
    never a page drawn from half the data.
    """
    try:
        tables = catalog()
        cached.layers()
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


def run_page(page, lang: str) -> None:
    """Run the page; in production an error is one message in the reader's language, logged in full.

    With ``client.showErrorDetails = "none"`` (the shipped config) Streamlit
    would show an English box with links to search engines; a venue without
    internet, or a Japanese reader, gets nothing from it. Elsewhere (tests,
    development) the error is raised as it is, so it fails loudly.
    """
    try:
        page.run()
    except Exception:
        if st.get_option("client.showErrorDetails") != "none":
            raise
        logging.getLogger("dashboard").exception("page %s failed", getattr(page, "url_path", page))
        st.error(t("app.page_error", lang), icon=":material/error:")


def language_switch(lang: str) -> str:
    """Sidebar radio that switches language and keeps it in the URL."""
    labels = {"en": "English", "ja": "日本語"}
    # Bound to the URL like every other widget: the back button, a link or the presentation's own
    # language buttons change ?lang=, and the radio follows.
    choice = bound(
        st.sidebar.radio,
        "language_switch",
        lang,
        t("app.language", lang),
        LANGS,
        format_func=labels.get,
        horizontal=True,
    )
    if choice != lang:
        # Kept in the URL even when it is the browser's language: a link the reader copies opens
        # in the language they chose, whatever the recipient's browser prefers.
        set_query(lang=choice)
        st.rerun()
    return choice


def filter_sidebar(lang: str, facets: Sequence[str] = tuple(f.id for f in FACETS), state: bool = False) -> Filter:
    """Multiselects for the facets, bound to the URL; returns the active filter.

    Declared once here and used by every page, so the map, the charts, the
    URL and the downloads always see the same filter. ``state``: the page
    shows JCM partners, so it offers the state too (brochure or latest); a page
    that does not keeps the state in the URL for the next page.
    """
    if st.session_state.pop(_CLEARED, False):
        # A pick still open in a drop-down is sent with the click on Clear filters, and its
        # on_change marks it as the reader's latest choice; the click came last, so it wins.
        for facet in FACETS:
            st.session_state.pop(f"{widget_key(f'facet_{facet.id}', lang)}_changed", None)
    filter_ = current_filter()
    st.sidebar.subheader(t("ui.filters", lang))
    # The state first: it decides which values the facets below offer.
    as_of = filter_.as_of
    if state:
        partners = cached.frames()["jcm_partners"]
        as_of = bound(
            st.sidebar.radio,
            widget_key(AS_OF_KEY, lang),
            as_of,
            t("as_of.label", lang),
            [s.id for s in STATES],
            format_func=lambda v: record_state.option_label(v, partners, lang),
            help=t("as_of.help", lang),
        )
    opts = cached.offered_options(as_of)
    mapping = {}
    for facet in FACETS:
        if facet.id not in facets:
            mapping[facet.id] = filter_.get(facet.id)
            continue
        state_key = widget_key(f"facet_{facet.id}", lang)
        mapping[facet.id] = bound(
            st.sidebar.multiselect,
            state_key,
            list(filter_.get(facet.id)),
            t(facet.label_key, lang),
            # A value chosen in the other state stays offered, so switching state loses no choice.
            sorted(set(opts[facet.id]) | set(filter_.get(facet.id)), key=lambda v, k=facet.id: value_order(k, v, lang)),
            format_func=lambda v, k=facet.id: value_label(k, v, lang),
            placeholder=t("ui.all", lang),
        )
    new = Filter.from_mapping(mapping, as_of)
    set_query(**filter_query(new))
    if not new.is_empty():
        # A callback, so the URL is cleared before the next run draws the widgets (they follow it);
        # setting a drawn widget's state in this run is an error in Streamlit.
        st.sidebar.button(t("ui.clear_filters", lang), key="clear_filters", on_click=_clear_filter)
    return new


_CLEARED = "_filters_cleared"


def _clear_filter() -> None:
    set_query(**{f.id: None for f in FACETS})  # the state is not a filter: it stays as chosen
    st.session_state[_CLEARED] = True


def _choose_state(as_of: str) -> None:
    """The state line's button: the URL changes before the next run, and the sidebar follows it."""
    set_query(**{AS_OF_KEY: None if as_of == STATES[0].id else as_of})


def _drop_value(key: str, value: str) -> None:
    """Take one value out of the filter in the URL (a chip's ✕); the sidebar follows on the next run."""
    remaining = [v for v in (st.query_params.get(key) or "").split(",") if v and v != value]
    set_query(**{key: remaining})
    st.session_state[_CLEARED] = True  # the click came last: a pick still open in a drop-down does not undo it


def page_header(title_key: str, lang: str, filter_: Filter | None = None, state: bool = False) -> None:
    """Page title, URL notices, the filter the page reflects as chips that remove themselves, and its state.

    ``state``: the page shows JCM partners, so it says which state (brochure or
    latest) it shows, with the other one a click away.
    """
    st.title(t(title_key, lang))
    show_notices(lang)
    if filter_ is not None:
        filter_chips(filter_, lang)
        if state:
            state_line(filter_, lang)


def state_line(filter_: Filter, lang: str) -> None:
    """'JCM partners as of December 2014, as the brochure lists them: 12 countries.' and a button to the other state."""
    shown, switch, other = cached.memo(record_state.shown_line, filter_, cached.frames()["jcm_partners"], lang)
    with st.container(horizontal=True, gap="small", vertical_alignment="center", key="state_line"):
        st.markdown(md_escape(shown), width="content")
        st.button(
            md_escape(switch),
            key="state_switch",
            icon=":material/history:" if other == STATES[0].id else ":material/public:",
            on_click=_choose_state,
            args=(other,),
        )


def filter_chips(filter_: Filter, lang: str) -> None:
    """One button per chosen value, "Indonesia ✕", under the title: what the page shows, and how to undo it."""
    if filter_.is_empty():
        return
    with st.container(horizontal=True, gap="small", vertical_alignment="center", key="filter_chips"):
        st.caption(t("ui.filter_shown", lang), width="content")
        for key, values in filter_.values:
            for value in values:
                label = value_label(key, value, lang)
                st.button(
                    f"{md_escape(label)} ✕",
                    key=f"chip_{key}_{value}",
                    help=md_escape(t("ui.filter_remove", lang, value=label)),
                    on_click=_drop_value,
                    args=(key, value),
                )


def lang() -> str:
    """The language chosen for this run (set by app.py before the page runs)."""
    return st.session_state.get("lang") or current_language()


def not_on_map(names, lang: str) -> None:
    """The features a map cannot draw (no known place), one per line: their names can be sentences."""
    if names:
        st.caption("\n".join([md_escape(t("ui.not_on_map", lang))] + [f"- {md_escape(n)}" for n in names]))


def sources(refs, lang: str) -> None:
    """An "ⓘ Source" disclosure: each brochure passage cited, in words (page, section, lines)."""
    with st.expander(t("detail.source", lang)):
        for ref in dict.fromkeys(r for r in refs if r):
            st.markdown(md_escape(in_words(ref, lang)))


def render_fields(fields, heading: str | None = None) -> None:
    """A feature's fields as a definition list; data text is never rendered as HTML."""
    if heading:
        st.markdown(f"### {md_escape(heading)}")
    for f in fields:
        if f.folded:
            with st.expander(f.label):
                st.markdown(md_escape(f.value))
        elif f.long:
            st.markdown(f"**{md_escape(f.label)}**")
            st.text(f.value) if len(f.value) < 60 else st.write(md_escape(f.value))
        else:
            st.markdown(f"**{md_escape(f.label)}**: {md_escape(f.value)}")


def cite_box(lang: str) -> None:
    """How to cite the atlas, as copyable plain text and BibTeX (Downloads and About)."""
    st.markdown(f"**{md_escape(t('page.downloads.citation', lang))}**")
    st.code(release.citation(lang), language=None, wrap_lines=True)
    st.code(release.bibtex(), language="bibtex", wrap_lines=True)
