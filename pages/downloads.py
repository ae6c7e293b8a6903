"""Downloads: the filtered layers a reader sees, as GIS files with their sources."""

import streamlit as st

from dashboard import ui, ui_downloads
from dashboard.i18n import t

lang = ui.lang()
filter_ = ui.filter_sidebar(lang)
url_layers, url_format = ui_downloads.url_state()  # before the header, so bad values' notices show now
ui.page_header("nav.downloads", lang, filter_)
st.markdown(t("page.downloads.intro", lang))
layer_ids = ui_downloads.layer_picker(lang, url_layers)

if not layer_ids:
    st.info(t("page.downloads.none_chosen", lang))
else:
    col_files, col_map = st.columns([2, 3], gap="medium")
    with col_files:
        ui_downloads.download_panel(layer_ids, filter_, lang, url_format)
    with col_map:
        ui_downloads.preview_map(layer_ids, filter_, lang)
    ui_downloads.preview_tables(layer_ids, filter_, lang)
ui_downloads.stable_links(lang)
