"""Seminars and networks: the ESC High Level Seminars and LoCARNet events."""

import streamlit as st

from dashboard.content import seminars as content
from dashboard.i18n import t
from dashboard.text import md_escape
from dashboard.ui import cached, charts, layout, map_view, tables

lang = layout.lang()
filter_ = layout.filter_sidebar(lang)
layout.page_header("nav.seminars", lang, filter_)
st.markdown(t("page.seminars.intro", lang))

seminars = cached.filtered("esc_seminars", filter_)
events = cached.filtered("locarnet_events", filter_)
# Outcomes have no facet columns of their own: they follow the seminars that pass the filter.
outcomes = cached.table("seminar_outcomes")

st.header(t("page.seminars.hls", lang))
charts.chart("seminars_over_time", filter_, lang, "seminars_chart")
st.subheader(t("page.seminars.table", lang))
table = cached.memo(content.seminar_table, seminars, lang)
tables.data_table(table, "seminars_table", lang)

col_text, col_map = st.columns([1, 1], gap="large")
with col_text:
    st.subheader(t("page.seminars.outcomes", lang))
    for heading, items in cached.memo(content.seminar_outcomes, outcomes, seminars, lang) or [
        (t("page.seminars.none", lang), [])
    ]:
        st.markdown(f"**{md_escape(heading)}**")
        for item in items:
            st.markdown("- " + md_escape(item))
with col_map:
    st.subheader(t("page.seminars.venues", lang))
    map_view.map_with_details("seminars_map", filter_, ("esc_seminars", "locarnet_events"), lang, 440)
    st.caption(t("page.seminars.venues_caption", lang))

st.header(t("page.seminars.locarnet", lang))
charts.chart("locarnet_timeline", filter_, lang, "locarnet_chart")
st.subheader(t("page.seminars.locarnet_table", lang))
table = cached.memo(content.locarnet_table, events, lang)
tables.data_table(table, "locarnet_table", lang, details=(t("col.outcome", lang),))
