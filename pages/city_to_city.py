"""City-to-city: Japanese municipalities and their partner cities, on a map and in a table."""

import streamlit as st

from dashboard.content import city_to_city as content
from dashboard.i18n import t
from dashboard.text import t_md
from dashboard.ui import cached, layout, map_view, tables

MAP_HEIGHT = 520

lang = layout.lang()
# Only the country facet narrows partnerships; the other facets would change nothing here.
filter_ = layout.filter_sidebar(lang, facets=("country",))
layout.page_header("nav.city_to_city", lang, filter_)
st.write(t("page.city_to_city.intro", lang))

pairs = cached.filtered("city_partnerships", filter_)
total = len(cached.layers()["city_partnerships"][1])


if pairs.empty:
    st.info(t("page.city_to_city.empty", lang))
else:
    st.header(t("page.city_to_city.map_heading", lang))
    map_view.map_with_details("c2c_map", filter_, ("city_partnerships",), lang, MAP_HEIGHT)
    st.caption(t("page.city_to_city.map_caption", lang))
    st.header(t("page.city_to_city.table_heading", lang))
    st.caption(t_md("page.city_to_city.count", lang, n=len(pairs), total=total))
    table = content.partnership_table(pairs, cached.layers()["fs_studies"][1], lang)
    tables.readable_table(
        table, content.partnership_columns(lang), "c2c_table", lang, details=("fs_title", "source_ref", "note")
    )
    st.caption(t("page.city_to_city.fs_note", lang))
