"""Map explorer: every layer on one map, filtered, with details beside it."""

import streamlit as st

from dashboard import ui, ui_map

lang = ui.lang()
filter_ = ui.filter_sidebar(lang)
view = ui_map.map_view_controls(lang, filter_)
ui.page_header("nav.map", lang, filter_)

col_map, col_info = st.columns([3, 2], gap="medium")
with col_map:
    out = ui_map.show_map(
        ui_map.cached_map(view, lang, filter_),
        key="explorer_map",
        height=620,
        returned_objects=["last_object_clicked", "last_object_clicked_tooltip"],
    )
    ui_map.handle_map_click(out, view)
    ui_map.unplaced_caption(view, lang, filter_)
with col_info:
    ui_map.search_box(view, lang, filter_)
    ui_map.details_panel(view, lang)
    ui_map.download_control(view, filter_, lang)
