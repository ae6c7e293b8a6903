"""Asia Low-Carbon Atlas: routes and frame. The pages are listed in dashboard/ui/pages.py; logic lives in dashboard/."""

import streamlit as st

from dashboard.i18n import t
from dashboard.ui import document, layout, pages, url_state

# ?present=1 on any URL opens the presentation with the sidebar and navigation hidden.
presenting = st.query_params.get("present") == "1"
lang = url_state.current_language()
st.set_page_config(
    page_title=t("app.title", lang),
    page_icon="static/favicon.png",
    layout="wide",
    # "auto": open beside the page on a laptop, folded on a phone (where it would cover 75% of the screen).
    initial_sidebar_state="collapsed" if presenting else "auto",
)
st.session_state["lang"] = lang
layout.require_data(lang)

page = pages.navigation(lang)
if presenting and page.url_path != "present":
    st.switch_page("pages/present.py", query_params=st.query_params.to_dict())
# The browser tab names the page and the atlas, in the reader's language.
st.set_page_config(page_title=f"{page.title} · {t('app.title', lang)}")
document.document_language(lang)
# Filled after the page has run: by then the page's widgets have written this run's filter to the URL.
nav = st.sidebar.container(key="atlas_nav")
st.sidebar.markdown(f"### {t('app.title', lang)}")
st.sidebar.caption(t("app.subtitle", lang))
layout.language_switch(lang)
try:
    layout.run_page(page, lang)
finally:  # also after a page error: every page keeps its links (a page must not st.stop(): it drops them)
    if not presenting:
        pages.sidebar_links(nav, lang, url_state.carried_query())
