"""Asia Low-Carbon Atlas: routes and frame. Every page is listed here; logic lives in dashboard/."""

import streamlit as st

from dashboard import ui
from dashboard.i18n import t

# ?present=1 on any URL opens the presentation with the sidebar and navigation hidden.
presenting = st.query_params.get("present") == "1"
st.set_page_config(
    page_title="Asia Low-Carbon Atlas",
    page_icon="static/favicon.png",
    layout="wide",
    # "auto": open beside the page on a laptop, folded on a phone (where it would cover 75% of the screen).
    initial_sidebar_state="collapsed" if presenting else "auto",
)

lang = ui.current_language()
st.session_state["lang"] = lang
ui.require_data(lang)

PAGES = [
    st.Page(
        "pages/overview.py", title=t("nav.overview", lang), icon=":material/home:", url_path="overview", default=True
    ),
    st.Page("pages/map_explorer.py", title=t("nav.map", lang), icon=":material/map:", url_path="map"),
    st.Page(
        "pages/model_cities.py",
        title=t("nav.model_cities", lang),
        icon=":material/location_city:",
        url_path="model-cities",
    ),
    st.Page("pages/jcm.py", title=t("nav.jcm", lang), icon=":material/handshake:", url_path="jcm"),
    st.Page("pages/seminars.py", title=t("nav.seminars", lang), icon=":material/groups:", url_path="seminars"),
    st.Page(
        "pages/city_to_city.py", title=t("nav.city_to_city", lang), icon=":material/link:", url_path="city-to-city"
    ),
    st.Page("pages/present.py", title=t("nav.present", lang), icon=":material/slideshow:", url_path="present"),
    st.Page("pages/downloads.py", title=t("nav.downloads", lang), icon=":material/download:", url_path="downloads"),
    st.Page("pages/about.py", title=t("nav.about", lang), icon=":material/menu_book:", url_path="about"),
]

page = st.navigation(PAGES, position="hidden" if presenting else "sidebar")
if presenting and page.url_path != "present":
    st.switch_page("pages/present.py", query_params=st.query_params.to_dict())
st.sidebar.markdown(f"### {t('app.title', lang)}")
st.sidebar.caption(t("app.subtitle", lang))
ui.language_switch(lang)
page.run()
