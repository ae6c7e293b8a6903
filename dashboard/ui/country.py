"""The country page's parts: the chooser bound to the URL's country, the profile, its map, links and brief."""

from __future__ import annotations

import functools

import streamlit as st

from dashboard import brief
from dashboard.brief import fonts
from dashboard.brief.map_drawing import frame_for
from dashboard.content import country as content
from dashboard.filters import STATES, Filter
from dashboard.i18n import country_name, t
from dashboard.maps.layers import ALL_MAP_LAYER_KEYS, MAP_LAYERS_BY_KEY, features_in_country
from dashboard.text import join_names, md_escape, t_md
from dashboard.ui import cached, map_view, url_state

CHOOSER_KEY = "country_choice"
# The figures are a summary, not the page: on a phone they take one screen, not three.
FIGURES_CSS = """<style>
.st-key-country_figures [data-testid="stMetricValue"] { font-size: 1.9rem; }
@media (max-width: 640px) {
  .st-key-country_figures { row-gap: .4rem !important; }
  .st-key-country_figures [data-testid="stMetricValue"] { font-size: 1.35rem; }
}
</style>"""
MAP_HEIGHT = 420
MAP_ASPECT = 2.2  # the map's width to its height on a laptop: the frame is widened to it
LATEST = STATES[-1].id


def choices(lang: str) -> list[str]:
    # Memoised by language alone: a dict of frames as an argument would be keyed by its (long) repr.
    return cached.memo(_choices, lang)


def _choices(lang: str) -> list[str]:
    return content.country_choices(cached.frames(), cached.table("places"), lang)


def choose(filter_: Filter, lang: str) -> str | None:
    """The country shown: a drop-down that shows, and writes, the URL's ``country``.

    A filter naming several countries (from another page) is kept as it is
    until the reader picks one here: the page shows the first of them.
    Clearing the drop-down clears the country.
    """
    offered = choices(lang)
    chosen = [c for c in offered if c in filter_.get("country")]
    in_url = chosen[0] if chosen else None
    value = url_state.bound(
        st.selectbox,
        url_state.widget_key(CHOOSER_KEY, lang),
        in_url,
        t("country.choose", lang),
        offered,
        format_func=lambda iso3: country_name(iso3, lang),
        index=None,
        placeholder=t("country.choose_placeholder", lang),
    )
    if value != in_url:  # bound() shows the URL's value unless the reader has just changed it
        url_state.set_query(country=value)
        chosen = [value] if value else []
    if len(chosen) > 1:
        others = join_names([country_name(c, lang) for c in chosen[1:]], lang)
        st.caption(md_escape(t("country.several_chosen", lang, n=len(chosen), others=others)))
    if value is None:
        st.info(t("country.choose_prompt", lang, n=len(offered)))
    return value


def show(iso3: str, lang: str) -> None:
    """The chosen country's page: figures, brief, map, links onward, then every programme's list."""
    shown = profile(iso3, lang)
    st.header(shown.name, anchor=False)
    headline(shown)
    brief_download(shown, lang)
    st.subheader(t("country.map_heading", lang), anchor=False)
    country_map(shown, lang)
    st.subheader(t("country.links_heading", lang), anchor=False)
    links(shown, lang)
    st.header(t("country.lists_heading", lang), anchor=False)
    sections(shown)


def profile(iso3: str, lang: str) -> content.Profile:
    return cached.memo(_profile, iso3, lang)


def _profile(iso3: str, lang: str) -> content.Profile:
    tables = (cached.table("places"), cached.stories(), cached.table("brochure_facts"))
    return content.profile(cached.frames(), *tables, iso3, lang)


def links_query(shown: content.Profile) -> dict[str, str]:
    """The reader's language and filter, narrowed to the country; the latest record for a later partner."""
    query = {**url_state.carried_query(), "country": shown.iso3}
    if shown.later_partner:
        query["as_of"] = LATEST
    return query


def headline(shown: content.Profile) -> None:
    # A row that wraps, each figure as wide as it reads: in order, and two or three to a line on a phone
    # (columns would stack them one per screen line).
    st.markdown(FIGURES_CSS, unsafe_allow_html=True)  # a fixed style, no data in it
    with st.container(horizontal=True, gap="medium", key="country_figures"):
        for label, value in shown.figures:
            st.metric(label, value, width="content")
    for note in shown.notes:
        st.caption(md_escape(note))


def country_map(shown: content.Profile, lang: str) -> None:
    """The features the profile lists, framed on the country, clicks opening their details.

    By feature, not by the country facet: the facet reads a partnership's
    partner city (so Japan's own municipalities would be filtered away),
    while the profile counts a line with either end in the country.
    """
    found = cached.memo(_features, shown.iso3)
    ids = [fid for _, rows in found for fid in rows["feature_id"]]
    layer_ids = {m.layer_id for m, _ in found}
    partner = cached.frames()["jcm_partners"]
    if (partner["country_iso3"] == shown.iso3).any():
        ids.append(partner.loc[partner["country_iso3"] == shown.iso3, "feature_id"].iloc[0])
        layer_ids.add("jcm_partners")
    filter_ = Filter.from_mapping({"feature_id": ids}, LATEST)
    visible = tuple(k for k in ALL_MAP_LAYER_KEYS if MAP_LAYERS_BY_KEY[k].layer_id in layer_ids)
    bounds = cached.memo(_bounds, shown.iso3)
    map_view.map_with_details("country_map", filter_, visible, lang, MAP_HEIGHT, bounds=bounds)


def _features(iso3: str):
    return features_in_country(cached.frames(), iso3, cached.table("places"))


def _bounds(iso3: str) -> tuple:
    """((south, west), (north, east)): the brief's frame around the country and its sites."""
    world = cached.world()
    outline = world.loc[world["iso3"] == iso3, "geometry"]
    points = [
        (g.x, g.y) for _, rows in _features(iso3) for g in rows.geometry if g is not None and g.geom_type == "Point"
    ]
    frame = frame_for(outline.iloc[0] if len(outline) else None, points, MAP_ASPECT)
    return ((frame.south, frame.west), (frame.north, frame.east))


def links(shown: content.Profile, lang: str) -> None:
    query = links_query(shown)
    section_ids = {s.id for s in shown.sections}
    targets = [("pages/map_explorer.py", "country.link_map", ":material/map:")]
    if section_ids & {"jcm", "fs_studies", "jcm_model_projects"}:
        targets.append(("pages/jcm.py", "country.link_jcm", ":material/handshake:"))
    if "model_cities" in section_ids:
        targets.append(("pages/model_cities.py", "country.link_model_cities", ":material/location_city:"))
    for path, key, icon in targets:
        st.page_link(path, label=t_md(key, lang, country=shown.name), icon=icon, query_params=query)


def sections(shown: content.Profile) -> None:
    """Each programme: its headline, then its items, each a disclosure with its story and sources."""
    lang = shown.lang
    for section in shown.sections:
        st.subheader(section.heading, anchor=False)
        if section.headline:
            st.markdown(md_escape(section.headline))
        for item in section.items:
            with st.expander(md_escape(item.text)):
                if item.detail:
                    st.markdown(md_escape(item.detail))
                st.markdown(f"**{md_escape(t('detail.source', lang))}**")
                st.markdown("\n".join(f"- {md_escape(s)}" for s in item.sources))


def brief_download(shown: content.Profile, lang: str) -> None:
    """The printable brief, made when the button is pressed (a page view costs nothing for it)."""
    try:
        fonts.face("")
        fonts.face("B")
    except brief.FontMissing as err:
        st.caption(md_escape(t("country.brief_unavailable", lang, reason=str(err))))
        return
    st.download_button(
        t("country.brief_download", lang),
        data=functools.partial(brief_bytes, shown.iso3, lang),
        file_name=brief.brief_filename(shown.iso3, lang),
        mime="application/pdf",
        icon=":material/picture_as_pdf:",
        on_click="ignore",
        key=f"brief_{shown.iso3}_{lang}",
        help=t("country.brief_help", lang),
    )


@functools.lru_cache(maxsize=128)
def brief_bytes(iso3: str, lang: str) -> bytes:
    """The brief's bytes, made once per country and language in this process (bytes: safe to share)."""
    return brief.make_brief(
        cached.frames(),
        cached.table("places"),
        cached.stories(),
        cached.table("brochure_facts"),
        cached.world(),
        iso3,
        lang,
    )
