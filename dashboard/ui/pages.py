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
    PageSpec("present", "present", ":material/slideshow:", "nav.present", linked=False),
    PageSpec("downloads", "downloads", ":material/download:", "nav.downloads"),
    PageSpec("about", "about", ":material/menu_book:", "nav.about", linked=False),
)
DEFAULT_PAGE = PAGES[0]


def navigation_pages(lang: str) -> list[st.Page]:
    """The pages as ``st.Page`` objects for ``st.navigation``, titled in ``lang``."""
    return [
        st.Page(p.path, title=t(p.title_key, lang), icon=p.icon, url_path=p.url_path, default=p is DEFAULT_PAGE)
        for p in PAGES
    ]


def page_links(query_params: dict, lang: str, columns: int = 3) -> None:
    """Links to the linked pages in a grid, carrying ``query_params`` (the filter and language) on."""
    linked = [p for p in PAGES if p.linked]
    cells = st.columns(columns)
    for i, p in enumerate(linked):
        cells[i % columns].page_link(p.path, label=t(p.title_key, lang), icon=p.icon, query_params=query_params)
