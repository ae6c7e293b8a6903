"""Asia Low-Carbon Atlas: routes and frame. The pages are listed in dashboard/ui/pages.py; logic lives in dashboard/."""

import streamlit as st

from dashboard.i18n import t
from dashboard.ui import layout, pages, url_state

# ?present=1 on any URL opens the presentation with the sidebar and navigation hidden.
presenting = st.query_params.get("present") == "1"
st.set_page_config(
    page_title="Asia Low-Carbon Atlas",
    page_icon="static/favicon.png",
    layout="wide",
    # "auto": open beside the page on a laptop, folded on a phone (where it would cover 75% of the screen).
    initial_sidebar_state="collapsed" if presenting else "auto",
)

lang = url_state.current_language()
st.session_state["lang"] = lang
layout.require_data(lang)


page = st.navigation(pages.navigation_pages(lang), position="hidden" if presenting else "sidebar")
if presenting and page.url_path != "present":
    st.switch_page("pages/present.py", query_params=st.query_params.to_dict())
st.sidebar.markdown(f"### {t('app.title', lang)}")
st.sidebar.caption(t("app.subtitle", lang))
layout.language_switch(lang)
layout.run_page(page, lang)
