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
if iso3 is None:
    st.stop()
shown = country.profile(iso3, lang)
st.header(shown.name, anchor=False)
country.headline(shown)
country.brief_download(shown, lang)

st.subheader(t("country.map_heading", lang), anchor=False)
country.country_map(shown, lang)
st.subheader(t("country.links_heading", lang), anchor=False)
country.links(shown, lang)

st.header(t("country.lists_heading", lang), anchor=False)
country.sections(shown)
