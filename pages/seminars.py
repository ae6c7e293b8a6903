"""Seminars and networks: the ESC High Level Seminars and LoCARNet events."""

import streamlit as st

from dashboard import page_content as pc
from dashboard import ui, ui_map
from dashboard.i18n import t
from dashboard.text import md_escape

lang = ui.lang()
filter_ = ui.filter_sidebar(lang)
ui.page_header("nav.seminars", lang, filter_)
st.markdown(t("pages.seminars.intro", lang))

seminars = ui.filtered("esc_seminars", filter_)
events = ui.filtered("locarnet_events", filter_)
# Outcomes have no facet columns of their own: they follow the seminars that pass the filter.
outcomes = ui.table("seminar_outcomes")

st.header(t("pages.seminars.hls", lang))
st.plotly_chart(ui.figure("seminars_over_time", filter_, lang, ("esc_seminars",)), key="seminars_chart")
st.subheader(t("pages.seminars.table", lang))
table = ui.memo(pc.seminar_table, seminars, lang)
st.dataframe(table, hide_index=True, key="seminars_table", height=pc.table_height(len(table)))

col_text, col_map = st.columns([1, 1], gap="large")
with col_text:
    st.subheader(t("pages.seminars.outcomes", lang))
    for heading, items in ui.memo(pc.seminar_outcomes, outcomes, seminars, lang) or [
        (t("pages.seminars.none", lang), [])
    ]:
        st.markdown(f"**{md_escape(heading)}**")
        for item in items:
            st.markdown("- " + md_escape(item))
with col_map:
    st.subheader(t("pages.seminars.venues", lang))
    fmap = ui_map.page_map(filter_, ("esc_seminars", "locarnet_events"), lang, 440)
    ui_map.show_map(
        fmap,
        key="seminars_map",
        height=440,
    )
    st.caption(t("pages.seminars.venues_caption", lang))

st.header(t("pages.seminars.locarnet", lang))
st.plotly_chart(ui.figure("locarnet_timeline", filter_, lang, ("locarnet_events",)), key="locarnet_chart")
st.subheader(t("pages.seminars.locarnet_table", lang))
table = ui.memo(pc.locarnet_table, events, lang)
st.dataframe(table, hide_index=True, key="locarnet_table", height=pc.table_height(len(table)))
