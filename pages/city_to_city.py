"""City-to-city: Japanese municipalities and their partner cities, on a map and in a table."""

import streamlit as st

from dashboard.content import city_to_city as content
from dashboard.filters import Filter
from dashboard.i18n import t
from dashboard.maps.builder import build_map, country_labels
from dashboard.maps.layers import MapView
from dashboard.maps.render import render
from dashboard.text import t_md
from dashboard.ui import cached, layout, map_view

lang = layout.lang()
# Only the country facet narrows partnerships; the other facets would change nothing here.
filter_ = layout.filter_sidebar(lang, facets=("country",))
layout.page_header("nav.city_to_city", lang, filter_)
st.write(t("page.city_to_city.intro", lang))

pairs = cached.filtered("city_partnerships", filter_)
total = len(cached.layers()["city_partnerships"][1])


@st.cache_resource(show_spinner=False, max_entries=32)
def partnerships_map(filter_: Filter, lang: str):
    """The partnership lines, built once per filter and language."""
    frame = cached.filtered("city_partnerships", filter_)
    view = MapView(frames={"city_partnerships": frame}, visible=("city_partnerships",))
    places = cached.table("places")
    home = set(places.loc[places["place_id"].isin(frame["jp_place_id"]), "country_iso3"])
    iso3s = set(frame["partner_country_iso3"]) | home
    view.labels = country_labels(cached.world(), iso3s, lang)
    return render(build_map(view, lang, height=520))


if pairs.empty:
    st.info(t("page.city_to_city.empty", lang))
else:
    map_view.show_map(
        partnerships_map(filter_, lang),
        key="c2c_map",
        height=520,
    )
    st.caption(t("page.city_to_city.map_caption", lang))
    st.subheader(t("page.city_to_city.table_heading", lang))
    st.caption(t_md("page.city_to_city.count", lang, n=len(pairs), total=total))
    table = content.partnership_table(pairs, cached.layers()["fs_studies"][1], lang)
    layout.readable_table(
        table, content.partnership_columns(lang), "c2c_table", lang, long=("cooperation", "fs_title", "note")
    )
    st.caption(t("page.city_to_city.fs_note", lang))
