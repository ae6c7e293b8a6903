"""About and sources: what the atlas is, where every layer comes from, how places were located and read."""

import streamlit as st

from dashboard.catalog import in_lang
from dashboard.content import about as content
from dashboard.content import about_places as places
from dashboard.content.tables import col_label
from dashboard.i18n import t
from dashboard.text import md_escape
from dashboard.ui import cached, downloads, layout, tables

lang = layout.lang()
layout.page_header("nav.about", lang)

catalog = cached.catalog()
brochure = in_lang(catalog["model_cities"].source, "title", lang) if "model_cities" in catalog else ""
st.header(t("page.about.what_heading", lang))
st.markdown(md_escape(t("page.about.what", lang, brochure=brochure)))
st.markdown(md_escape(t("page.about.what_data", lang)))
st.caption(t("page.about.english_only", lang))


def show(frame, columns, key, details=(), column_config=None):
    tables.readable_table(frame, columns, key, lang, details=details, column_config=column_config)


@st.cache_resource(show_spinner=False, max_entries=4)
def computed(lang: str) -> dict:
    """Every table of this page for a language; the data does not change while the server runs."""
    layers = cached.layers()
    counts = {table_id: len(cached.table(table_id)) for table_id in catalog}
    return {
        "provenance": content.provenance_table(catalog, counts, lang),
        "precision": places.precision_counts(layers, lang),
        "non_exact": places.non_exact_features(layers, lang),
        "places": places.places_table(cached.table("places"), lang, cached.resolved_places()),
        "reading": content.reading_notes_table(cached.table("reading_notes"), lang),
        "sections": content.sections_table(cached.table("brochure_sections"), lang),
        "facts": content.facts_table(cached.table("brochure_facts"), lang),
        "licences": content.licences_table(catalog, content.read_world_atlas_source(), content.read_manifest(), lang),
    }


shown = computed(lang)
tabs = st.tabs(
    [t(f"page.about.{k}", lang) for k in ("tab_sources", "tab_geocoding", "tab_reading", "tab_facts", "tab_licences")]
)

with tabs[0]:
    st.caption(t("page.about.sources_intro", lang))
    show(
        shown["provenance"],
        content.provenance_columns(lang),
        "about_provenance",
        details=("description", "source", "extra_sources", "licence"),  # descriptions are paragraphs
    )

with tabs[1]:
    st.markdown(md_escape(t("page.about.geocoding_intro", lang)))
    if "places" in catalog:
        st.caption(t("page.about.gazetteer_source", lang, source=content.source_text(catalog["places"], lang)))
    st.header(t("page.about.precision_heading", lang))
    show(shown["precision"], places.precision_columns(lang), "about_precision")
    st.caption(t("page.about.precision_caption", lang))
    st.header(t("page.about.non_exact_heading", lang))
    show(shown["non_exact"], places.non_exact_columns(lang), "about_non_exact")
    st.header(t("page.about.places_heading", lang))
    resolved = cached.memo(places.resolve_counts, cached.table("places"))
    st.caption(
        t("page.about.resolve_summary", lang, **{k: resolved.get(k, 0) for k in ("gazetteer", "override", "country")})
    )
    show(
        shown["places"],
        places.places_columns(lang),
        "about_places",
        details=("gazetteer_name", "geonameid", "coordinate_source", "note"),
    )

with tabs[2]:
    st.header(t("page.about.reading_heading", lang))
    st.caption(t("page.about.reading_intro", lang))
    show(
        shown["reading"],
        content.reading_notes_columns(lang),
        "about_reading",
        details=("explanation",),
        column_config={col_label("seed_line", lang): st.column_config.NumberColumn(format="%d")},
    )
    st.header(t("page.about.sections_heading", lang))
    st.caption(t("page.about.sections_intro", lang))
    show(shown["sections"], content.sections_columns(lang), "about_sections")

with tabs[3]:
    st.caption(t("page.about.facts_intro", lang))
    show(shown["facts"], content.facts_columns(lang), "about_facts", details=("unit", "source_ref"))

with tabs[4]:
    st.header(t("page.about.licences_heading", lang))
    show(shown["licences"], content.licences_columns(lang), "about_licences")
    st.header(t("page.about.citation_heading", lang))
    st.caption(t("page.about.citation_intro", lang))
    layout.cite_box(lang)
    downloads.stable_links(lang)
