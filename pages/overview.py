"""Overview (default page): the programmes, headline figures, a map of everything, links onward."""

import streamlit as st

from dashboard.content.overview import headline_metrics
from dashboard.i18n import t
from dashboard.maps.layers import ALL_MAP_LAYER_KEYS
from dashboard.text import md_escape
from dashboard.ui import cached, layout, map_view, pages, url_state

lang = layout.lang()
filter_ = layout.filter_sidebar(lang, state=True)
# The first screen names the atlas and the question it answers.
layout.page_header("app.title", lang, filter_, state=True)
st.header(t("page.overview.question", lang), anchor=False)
st.markdown(t("page.overview.intro", lang))

frames = {lid: cached.filtered(lid, filter_) for lid in cached.layers()}

st.header(t("page.overview.figures", lang))
metrics = headline_metrics(frames, lang)
for row in (metrics[:4], metrics[4:]):
    for column, m in zip(st.columns(4), row, strict=False):  # the last row has three
        column.metric(m.label, m.value, help=m.help)
        if m.note:
            column.caption(md_escape(m.note))
st.caption(t("page.overview.figures_caption", lang))

st.header(t("page.overview.map", lang))
# Full width: at half a page the symbols of South-East Asia stack on each other.
map_view.show_map(
    map_view.page_map(filter_, ALL_MAP_LAYER_KEYS, lang, labels=False, choosable=False),
    key="overview_map",
    height=440,
)
st.caption(t("page.overview.map_caption", lang))

st.header(t("page.overview.programmes", lang))
keys = ("esc", "hls", "locarnet", "c2c", "jcm")
left, right = st.columns(2, gap="large")
for i, key in enumerate(keys):
    (left if i < 3 else right).markdown(t(f"page.overview.{key}", lang))

st.header(t("page.overview.explore", lang))
# Carry the filter and language on, so the next page shows the same selection.
pages.page_links(url_state.carried_query(), lang)
