"""Asia Low-Carbon Atlas: routes and frame. Every page is listed here; logic lives in dashboard/."""

import streamlit as st

from dashboard import ui
from dashboard.i18n import t

st.set_page_config(page_title="Asia Low-Carbon Atlas", page_icon="🌏", layout="wide", initial_sidebar_state="expanded")

lang = ui.current_language()
st.session_state["lang"] = lang

PAGES = [
    st.Page("pages/overview.py", title=t("nav.overview", lang), icon="🏠", url_path="overview", default=True),
    st.Page("pages/map_explorer.py", title=t("nav.map", lang), icon="🗺️", url_path="map"),
    st.Page("pages/model_cities.py", title=t("nav.model_cities", lang), icon="🏙️", url_path="model-cities"),
    st.Page("pages/jcm.py", title=t("nav.jcm", lang), icon="🤝", url_path="jcm"),
    st.Page("pages/seminars.py", title=t("nav.seminars", lang), icon="🎤", url_path="seminars"),
    st.Page("pages/city_to_city.py", title=t("nav.city_to_city", lang), icon="🔗", url_path="city-to-city"),
    st.Page("pages/present.py", title=t("nav.present", lang), icon="🎞️", url_path="present"),
    st.Page("pages/downloads.py", title=t("nav.downloads", lang), icon="⬇️", url_path="downloads"),
    st.Page("pages/about.py", title=t("nav.about", lang), icon="📚", url_path="about"),
]

page = st.navigation(PAGES)
st.sidebar.markdown(f"### {t('app.title', lang)}")
st.sidebar.caption(t("app.subtitle", lang))
ui.language_switch(lang)
page.run()
