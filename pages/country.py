"""Country profiles: everything the atlas holds about one country, its map, links onward and a printable brief."""

import streamlit as st

from dashboard.i18n import t
from dashboard.ui import country, layout, url_state

lang = layout.lang()
# The country is chosen on the page, not in the sidebar; the other facets ride along to the next page.
filter_ = url_state.current_filter()
layout.page_header("nav.country", lang)
st.markdown(t("country.intro", lang))

iso3 = country.choose(filter_, lang)
if iso3 is not None:  # not st.stop(): the sidebar's page links are drawn after the page
    country.show(iso3, lang)
