"""Model cities: year 1 and year 2 by country, the year-1 success stories, and the know-how the cities shared."""

import streamlit as st

from dashboard import details
from dashboard.content import model_cities as content
from dashboard.i18n import pick, t
from dashboard.text import md_escape, t_md
from dashboard.ui import cached, charts, layout, map_view, tables

MAP_HEIGHT = 640  # tall enough for Leaflet to fit Japan to Indonesia one zoom level closer

lang = layout.lang()
filter_ = layout.filter_sidebar(lang, facets=("country", "program_year", "theme"))
layout.page_header("nav.model_cities", lang, filter_)
st.write(t("page.model_cities.intro", lang))

cities = cached.filtered("model_cities", filter_)
facts = cached.table("brochure_facts")
years = tuple(int(y) for y in filter_.get("program_year")) or (1, 2)
# An undecided city has no theme, so a theme filter hides it; a country filter keeps only its countries.
undecided_in = [] if filter_.get("theme") else (filter_.get("country") or None)
summary = cached.memo(content.model_city_years, cities, facts, lang, years, undecided_in)
years = content.shown_years(summary, years)


# -- year 1 and year 2 by country ------------------------------------------------------------
st.header(t("page.model_cities.years_heading", lang))
if summary.empty:
    st.info(t("page.model_cities.empty", lang))
else:
    metrics = cached.memo(content.model_city_metrics, cities, years)
    for col, (key, value) in zip(st.columns(len(metrics) + 1)[: len(metrics)], metrics, strict=True):
        col.metric(t(f"page.model_cities.{key}", lang), value)
    totals = cached.memo(content.stated_totals, facts)
    if totals:
        st.caption(t_md("page.model_cities.brochure_totals", lang, **totals))
        layout.sources((totals["src1"], totals["src2"]), lang)
    year_cols = content.model_city_year_columns(years, lang)
    tables.readable_table(summary, year_cols, "mc_years_table", lang)
    undecided = cached.memo(content.year2_undecided, facts)
    for iso3 in summary.loc[summary["year2_undecided"], "country_iso3"]:
        fact = undecided[iso3]
        st.caption(t_md("page.model_cities.undecided_caption", lang, statement=pick(fact, "statement", lang)))
        layout.sources((fact["source_ref"],), lang)
    if not cities.empty:
        undecided_iso3 = list(summary.loc[summary["year2_undecided"], "country_iso3"])
        charts.chart(
            "model_cities_by_country", filter_, lang, "mc_chart", {"years": list(years), "undecided": undecided_iso3}
        )

# -- success stories ---------------------------------------------------------------------------
st.header(t("page.model_cities.stories_heading", lang))
all_stories = cached.table("success_stories")
stories = cached.memo(content.success_stories, all_stories, cities, lang)
if stories.empty:
    st.info(t("page.model_cities.stories_empty", lang))
else:
    st.caption(t("page.model_cities.stories_intro", lang, n=len(stories)))
    # Row by row, so the cards of a row line up and the reading order is left to right.
    records = list(stories.itertuples())
    for start in range(0, len(records), 2):
        for column, story in zip(st.columns(2, gap="medium"), records[start : start + 2], strict=False):
            with column.container(border=True):
                st.markdown(f"### {md_escape(story.city)}")
                st.markdown(f"**{md_escape(story.country)}** · {md_escape(story.theme)}")
                st.markdown(md_escape(story.story))
                if story.photo_caption:
                    st.caption(t_md("page.model_cities.photo", lang, caption=story.photo_caption))
                layout.sources((story.source_ref,), lang)

# -- knowledge sharing -------------------------------------------------------------------------
st.header(t("page.model_cities.exchanges_heading", lang))
st.caption(t("page.model_cities.exchanges_intro", lang))


# The country facet matches either end of an exchange (see the sidecar's facet_columns).
shared = cached.filtered("knowledge_sharing", filter_)
if not filter_.is_empty():
    st.caption(t("page.model_cities.exchanges_filter_note", lang))
map_view.map_with_details("mc_map", filter_, content.map_keys(cities), lang, MAP_HEIGHT)
unplaced = cached.memo(details.unplaced_names, cities, "model_cities", lang)
layout.not_on_map(unplaced, lang)
st.subheader(t("page.model_cities.exchanges_table", lang))
if shared.empty:
    st.info(t("page.model_cities.exchanges_empty", lang))
else:
    tables.readable_table(
        cached.memo(content.exchange_table, shared, lang),
        content.exchange_columns(lang),
        "mc_exchanges_table",
        lang,
        details=("source_ref", "note"),
    )
