"""The one list of the atlas's pages: ``app.py`` routes from it, the overview links from it, the tests open it.

Streamlit needs a page's file and URL path when it builds the navigation, and a
link needs the same file; one record per page keeps the router, the links and
the tests from drifting apart.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from dashboard.i18n import t


@dataclass(frozen=True)
class PageSpec:
    """One page: ``pages/<stem>.py``, served at ``/<url_path>``, titled by the locale key ``title_key``."""

    stem: str
    url_path: str
    icon: str  # Material icons ship with Streamlit; emoji need a colour-emoji font the venue PC may lack.
    title_key: str
    linked: bool = True  # listed among the overview's "explore" links

    @property
    def path(self) -> str:
        return f"pages/{self.stem}.py"


PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview", "overview", ":material/home:", "nav.overview", linked=False),
    PageSpec("map_explorer", "map", ":material/map:", "nav.map"),
    PageSpec("model_cities", "model-cities", ":material/location_city:", "nav.model_cities"),
    PageSpec("jcm", "jcm", ":material/handshake:", "nav.jcm"),
    PageSpec("seminars", "seminars", ":material/groups:", "nav.seminars"),
    PageSpec("city_to_city", "city-to-city", ":material/link:", "nav.city_to_city"),
    PageSpec("country", "country", ":material/flag:", "nav.country"),
    PageSpec("present", "present", ":material/slideshow:", "nav.present", linked=False),
    PageSpec("downloads", "downloads", ":material/download:", "nav.downloads"),
    PageSpec("about", "about", ":material/menu_book:", "nav.about", linked=False),
)
DEFAULT_PAGE = PAGES[0]


def navigation(lang: str) -> st.Page:
    """Route this run to its page; the links to the pages are drawn by :func:`sidebar_links`.

    Streamlit's own page list would open every page unfiltered, so its list is
    hidden and the atlas draws links that carry the reader's choices.
    """
    _open_unknown_paths_at_default()
    return st.navigation(
        [
            st.Page(p.path, title=t(p.title_key, lang), icon=p.icon, url_path=p.url_path, default=p is DEFAULT_PAGE)
            for p in PAGES
        ],
        position="hidden",
    )


def _open_unknown_paths_at_default() -> None:
    """Send a path that names no page (``/overview``, a mistyped link) to the overview, with no error box.

    Streamlit serves its default page at ``/`` only; for any other unknown
    path it shows an English "Page not found" dialog over the page, which a
    Japanese reader, or one who typed the overview's name, cannot act on.
    The intended page is cleared before routing, so it resolves to the default.
    """
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    manager = getattr(ctx, "pages_manager", None)
    if manager is None or manager.intended_page_script_hash:
        return  # no browser session (bare mode), or a page chosen by a link: Streamlit knows it
    name = manager.intended_page_name or ""
    if name and name not in {p.url_path for p in PAGES if p is not DEFAULT_PAGE}:
        manager.set_script_intent("", "")


def sidebar_links(where, lang: str, query_params: dict) -> None:
    """The page list (in ``where``, a sidebar container), each link carrying ``query_params`` on."""
    for p in PAGES:
        where.page_link(p.path, label=t(p.title_key, lang), icon=p.icon, query_params=query_params)


def page_links(query_params: dict, lang: str, columns: int = 3) -> None:
    """Links to the linked pages in a grid, carrying ``query_params`` (the filter and language) on."""
    linked = [p for p in PAGES if p.linked]
    cells = st.columns(columns)
    for i, p in enumerate(linked):
        cells[i % columns].page_link(p.path, label=t(p.title_key, lang), icon=p.icon, query_params=query_params)
