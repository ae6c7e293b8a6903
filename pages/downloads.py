"""Downloads: the filtered layers a reader sees, as GIS files with their sources."""

import streamlit as st

from dashboard.i18n import t
from dashboard.ui import downloads, layout

lang = layout.lang()
filter_ = layout.filter_sidebar(lang, state=True)
url_layers, url_format = downloads.chosen_in_url()  # before the header, so bad values' notices show now
layout.page_header("nav.downloads", lang, filter_, state=True)
st.markdown(t("page.downloads.intro", lang))
layer_ids = downloads.layer_picker(lang, url_layers)

if not layer_ids:
    st.info(t("page.downloads.none_chosen", lang))
else:
    col_files, col_map = st.columns([2, 3], gap="medium")
    with col_files:
        downloads.download_panel(layer_ids, filter_, lang, url_format)
    with col_map:
        downloads.preview_map(layer_ids, filter_, lang)
    downloads.preview_tables(layer_ids, filter_, lang)
downloads.stable_links(lang)
