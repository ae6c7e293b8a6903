"""Seminars and networks: the ESC High Level Seminars and LoCARNet events."""

import streamlit as st

from dashboard import ui, ui_map
from dashboard.content import seminars as content
from dashboard.i18n import t
from dashboard.text import md_escape

lang = ui.lang()
filter_ = ui.filter_sidebar(lang)
ui.page_header("nav.seminars", lang, filter_)
st.markdown(t("page.seminars.intro", lang))

seminars = ui.filtered("esc_seminars", filter_)
events = ui.filtered("locarnet_events", filter_)
# Outcomes have no facet columns of their own: they follow the seminars that pass the filter.
outcomes = ui.table("seminar_outcomes")

st.header(t("page.seminars.hls", lang))
st.plotly_chart(ui.figure("seminars_over_time", filter_, lang, ("esc_seminars",)), key="seminars_chart")
st.subheader(t("page.seminars.table", lang))
table = ui.memo(content.seminar_table, seminars, lang)
ui.data_table(table, key="seminars_table")

col_text, col_map = st.columns([1, 1], gap="large")
with col_text:
    st.subheader(t("page.seminars.outcomes", lang))
    for heading, items in ui.memo(content.seminar_outcomes, outcomes, seminars, lang) or [
        (t("page.seminars.none", lang), [])
    ]:
        st.markdown(f"**{md_escape(heading)}**")
        for item in items:
            st.markdown("- " + md_escape(item))
with col_map:
    st.subheader(t("page.seminars.venues", lang))
    fmap = ui_map.page_map(filter_, ("esc_seminars", "locarnet_events"), lang, 440)
    ui_map.show_map(
        fmap,
        key="seminars_map",
        height=440,
    )
    st.caption(t("page.seminars.venues_caption", lang))

st.header(t("page.seminars.locarnet", lang))
st.plotly_chart(ui.figure("locarnet_timeline", filter_, lang, ("locarnet_events",)), key="locarnet_chart")
st.subheader(t("page.seminars.locarnet_table", lang))
table = ui.memo(content.locarnet_table, events, lang)
ui.data_table(table, key="locarnet_table")
