"""Map explorer: every layer on one map, filtered, with details beside it."""

import streamlit as st

from dashboard.ui import explorer, layout, map_view

lang = layout.lang()
filter_ = layout.filter_sidebar(lang, state=True)
view = explorer.map_view_controls(lang, filter_)
layout.page_header("nav.map", lang, filter_, state=True)

col_map, col_info = st.columns([3, 2], gap="medium")
with col_map:
    out = map_view.show_map(
        explorer.cached_map(view, lang, filter_),
        key="explorer_map",
        height=explorer.MAP_HEIGHT,
        returned_objects=map_view.CLICKS,
    )
    explorer.handle_map_click(out, view, filter_)
    explorer.unplaced_caption(view, lang, filter_)
with col_info:
    explorer.search_box(view, lang, filter_)
    explorer.details_panel(view, lang)
    explorer.download_control(view, filter_, lang)
