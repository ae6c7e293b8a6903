"""JCM: partner countries (map and timeline), joint committees, financing, F/S studies, model projects."""

import streamlit as st

from dashboard.content import jcm as content
from dashboard.details import feature_fields, feature_name
from dashboard.filters import Filter
from dashboard.i18n import t
from dashboard.text import md_escape
from dashboard.ui import cached, charts, layout, map_view, tables

lang = layout.lang()
filter_ = layout.filter_sidebar(lang, state=True)
layout.page_header("nav.jcm", lang, filter_, state=True)
st.markdown(t("page.jcm.intro", lang))

state_partners = cached.filtered("jcm_partners", Filter(as_of=filter_.as_of))
partners = cached.filtered("jcm_partners", filter_)
fs = cached.filtered("fs_studies", filter_)
projects = cached.filtered("jcm_model_projects", filter_)
# Colours come from the state's partners, facets aside, so a country keeps its shade whatever the filter.
colours = cached.memo(content.partner_colours, state_partners)

st.header(t("page.jcm.partners", lang))
col_map, col_chart = st.columns([1, 1], gap="medium")
with col_map:
    bounds = cached.memo(content.partner_bounds, partners)
    map_view.map_with_details(
        "jcm_map",
        filter_,
        ("jcm_partners",),
        lang,
        430,
        bounds=tuple(map(tuple, bounds)) if bounds else None,
        partner_colours=tuple(sorted(colours.items())),
    )
    st.caption(md_escape(cached.memo(content.partner_legend, state_partners, lang)))
with col_chart:
    charts.chart("jcm_partners_timeline", filter_, lang, "jcm_partners_timeline", {"colours": colours})

st.subheader(t("page.jcm.committees", lang))
for line in cached.memo(content.joint_committees, partners, lang) or [t("page.jcm.none", lang)]:
    st.markdown("- " + md_escape(line))

st.header(t("page.jcm.financing", lang))
cards = cached.memo(content.scheme_cards, cached.table("jcm_financing_schemes"), lang)
for column, card in zip(st.columns(len(cards)), cards, strict=True):
    with column.container(border=True):
        st.markdown(f"**{md_escape(card['name'])}**")
        for label, value in card["fields"]:
            st.markdown(f"**{md_escape(label)}**: {md_escape(value)}")
        st.caption(md_escape(card["summary"]))

st.header(t("page.jcm.fs", lang))
charts.chart("fs_studies_per_country", filter_, lang, "fs_chart")
st.subheader(t("page.jcm.fs_table", lang))
table = cached.memo(content.fs_study_table, fs, lang)
tables.data_table(table, "fs_table", lang, details=(t("col.fiscal_year", lang),))

st.header(t("page.jcm.projects", lang))
charts.chart("model_project_reductions", filter_, lang, "projects_chart")
st.subheader(t("page.jcm.projects_table", lang))
table = cached.memo(content.project_table, projects, lang)
tables.data_table(
    table,
    "projects_table",
    lang,
    details=(t("col.fiscal_year", lang),),
    column_config={t("col.reduction", lang): st.column_config.NumberColumn(format="localized")},
)

st.header(t("page.jcm.first", lang))
first = cached.memo(content.first_registered, projects)
if first is None:
    st.info(t("page.jcm.first_filtered", lang))
else:
    with st.container(border=True):
        layout.render_fields(
            feature_fields("jcm_model_projects", first, lang), heading=feature_name("jcm_model_projects", first, lang)
        )
