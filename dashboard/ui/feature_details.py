"""What a chosen map feature says about itself: its fields, and for a partner country all the atlas holds there.

The explorer shows these beside its map; the other pages' maps below theirs.
"""

from __future__ import annotations

import streamlit as st

from dashboard.catalog import PROGRAMMES
from dashboard.details import Field, feature_fields, feature_name
from dashboard.i18n import country_name, t
from dashboard.maps.layers import feature_row, features_in_country, row_countries
from dashboard.text import join_names, md_escape, t_md
from dashboard.ui import cached, layout, url_state


def cards(shown: list[tuple[str, str]], lang: str, key: str = "explorer") -> None:
    """One card per (layer_id, feature_id): the first is the one chosen, the others share its place.

    A long text already shown in a card above (the note the brochure's table shares
    across its rows) is not repeated: the card says it is as above.
    """
    seen: set[str] = set()
    for i, (layer_id, fid) in enumerate(shown):
        row = feature_row(cached.frames(), (layer_id, fid)).to_dict()
        story = (
            cached.stories().get(row.get("city_id"))
            if layer_id == "model_cities" and row.get("program_year") == 1
            else None
        )
        if i == 1:
            st.markdown(f"**{t('ui.at_this_place', lang)}**")
        fields = []
        for f in feature_fields(layer_id, row, lang, story):
            if f.long and f.value in seen:
                f = Field(f.label, t("detail.as_above", lang))
            seen.add(f.value)
            fields.append(f)
        with st.container(border=True):
            layout.render_fields(fields, heading=feature_name(layer_id, row, lang))
            if layer_id == "jcm_partners":
                country_features(row["country_iso3"], lang, key)
            profile_links(row_countries(row, cached.table("places")), lang)


def country_features(iso3: str, lang: str, key: str) -> None:
    """Everything the atlas holds in a partner country, by programme, and a button that filters on it."""
    found = features_in_country(cached.frames(), iso3, cached.table("places"))
    country = country_name(iso3, lang)
    if found:
        st.markdown(f"**{t_md('map.in_country', lang, country=country)}**")
        for m, rows in found:
            names = join_names([feature_name(m.layer_id, row, lang) for _, row in rows.iterrows()], lang)
            label = t(PROGRAMMES[m.programme].label_key, lang)
            st.markdown(f"- {md_escape(label)} ({len(rows)}): {md_escape(names)}")
    if st.query_params.get("country") != iso3:
        st.button(
            t_md("map.filter_on_country", lang, country=country),  # a button's label is Markdown
            key=f"{key}_filter_on_{iso3}",
            on_click=_filter_on_country,
            args=(iso3,),
            icon=":material/filter_alt:",
        )


def profile_links(countries, lang: str) -> None:
    """A link to the country page of each country the feature stands in, the reader's choices carried."""
    carried = url_state.carried_query()
    for iso3 in countries:
        query = {**carried, "country": iso3}
        st.page_link(
            "pages/country.py",
            label=t_md("country.profile_link", lang, country=country_name(iso3, lang)),
            icon=":material/flag:",
            query_params=query,
        )


def _filter_on_country(iso3: str) -> None:
    # The sidebar's country filter follows the URL on the rerun this click starts.
    url_state.set_query(country=iso3)
