"""About and sources: what the atlas is, where every layer comes from, how places were located and read."""

import streamlit as st

from dashboard import page_tables as pt
from dashboard import ui, ui_downloads
from dashboard.i18n import t
from dashboard.text import md_escape

lang = ui.lang()
ui.page_header("nav.about", lang)

catalog = ui.catalog()
brochure = catalog["model_cities"].source.get("title", "") if "model_cities" in catalog else ""
st.subheader(t("pg_about.what_heading", lang))
st.markdown(md_escape(t("pg_about.what", lang, brochure=brochure)))
st.markdown(md_escape(t("pg_about.what_data", lang)))
st.caption(t("pg_about.english_only", lang))


def show(frame, columns, key, long=(), column_config=None):
    ui.readable_table(frame, columns, key, lang, long=long, column_config=column_config)


@st.cache_resource(show_spinner=False, max_entries=4)
def computed(lang: str) -> dict:
    """Every table of this page for a language; the data does not change while the server runs."""
    layers = ui.layers()
    counts = {table_id: len(ui.table(table_id)) for table_id in catalog}
    return {
        "provenance": pt.provenance_table(catalog, counts, lang),
        "precision": pt.precision_counts(layers, lang),
        "non_exact": pt.non_exact_features(layers, lang),
        "places": pt.places_table(ui.table("places"), lang, ui.resolved_places()),
        "reading": pt.reading_notes_table(ui.table("reading_notes"), lang),
        "sections": pt.sections_table(ui.table("brochure_sections"), lang),
        "facts": pt.facts_table(ui.table("brochure_facts"), lang),
        "licences": pt.licences_table(catalog, pt.read_world_atlas_source(), pt.read_manifest(), lang),
    }


tables = computed(lang)
tabs = st.tabs(
    [t(f"pg_about.{k}", lang) for k in ("tab_sources", "tab_geocoding", "tab_reading", "tab_facts", "tab_licences")]
)

with tabs[0]:
    st.caption(t("pg_about.sources_intro", lang))
    show(
        tables["provenance"],
        pt.provenance_columns(lang),
        "about_provenance",
        long=("description", "source", "extra_sources", "licence"),
    )

with tabs[1]:
    st.markdown(md_escape(t("pg_about.geocoding_intro", lang)))
    if "places" in catalog:
        st.caption(t("pg_about.gazetteer_source", lang, source=pt.source_text(catalog["places"].source)))
    st.subheader(t("pg_about.precision_heading", lang))
    show(tables["precision"], pt.precision_columns(lang), "about_precision")
    st.caption(t("pg_about.precision_caption", lang))
    st.subheader(t("pg_about.non_exact_heading", lang))
    show(tables["non_exact"], pt.non_exact_columns(lang), "about_non_exact", long=("feature", "geocode_note"))
    st.subheader(t("pg_about.places_heading", lang))
    places = ui.table("places")
    resolved = ui.memo(pt.resolve_counts, places)
    st.caption(
        t("pg_about.resolve_summary", lang, **{k: resolved.get(k, 0) for k in ("gazetteer", "override", "country")})
    )
    show(tables["places"], pt.places_columns(lang), "about_places", long=("coordinate_source", "note"))

with tabs[2]:
    st.subheader(t("pg_about.reading_heading", lang))
    st.caption(t("pg_about.reading_intro", lang))
    show(
        tables["reading"],
        pt.reading_notes_columns(lang),
        "about_reading",
        long=("raw_text", "read_as", "explanation"),
        column_config={pt.col_label("seed_line", lang): st.column_config.NumberColumn(format="%d", width="small")},
    )
    st.subheader(t("pg_about.sections_heading", lang))
    st.caption(t("pg_about.sections_intro", lang))
    show(tables["sections"], pt.sections_columns(lang), "about_sections")

with tabs[3]:
    st.caption(t("pg_about.facts_intro", lang))
    show(tables["facts"], pt.facts_columns(lang), "about_facts", long=("statement",))

with tabs[4]:
    st.subheader(t("pg_about.licences_heading", lang))
    show(tables["licences"], pt.licences_columns(lang), "about_licences", long=("licence", "where"))
    st.subheader(t("pg_about.citation_heading", lang))
    st.caption(t("pg_about.citation_intro", lang))
    ui.cite_box(lang)
    ui_downloads.stable_links(lang)
