"""Everything the atlas holds about one country: its figures, a headline per programme, the items and their sources.

The country page and the printable brief both read a :class:`Profile`, so the
two say the same thing in the same words. Pure: frames in, strings out.

A country's JCM partnership is taken from the latest record (a partner that
signed after the brochure still gets its page); every other programme is the
brochure's, as it is everywhere in the atlas.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.citations import in_words
from dashboard.content.model_cities import year2_undecided
from dashboard.details import feature_name
from dashboard.i18n import country_name, format_number, format_partial_date, pick, signing_date, signing_marks, t
from dashboard.maps.layers import rows_in_country
from dashboard.text import cell_text, join_names

JAPAN = "JPN"  # the supporting side of every programme, not a partner

# The order of the sections on the page and in the brief.
SECTIONS = ("model_cities", "jcm", "fs_studies", "jcm_model_projects", "city_partnerships", "esc_seminars",
            "locarnet_events", "knowledge_sharing")  # fmt: skip


@dataclass(frozen=True)
class Item:
    """One entry of a section's list: a feature, in one line, and the passages it comes from."""

    layer_id: str
    feature_id: str
    text: str
    detail: str = ""  # a paragraph under the line (a success story), or ''
    sources: tuple[str, ...] = ()  # in words, or the address of a public page


@dataclass(frozen=True)
class Section:
    id: str  # one of SECTIONS
    heading: str
    headline: str  # the section's figures in one sentence
    items: tuple[Item, ...] = ()


@dataclass(frozen=True)
class Profile:
    iso3: str
    name: str
    lang: str
    figures: tuple[tuple[str, str], ...]  # (label, value) for the headline boxes
    sections: tuple[Section, ...]
    later_partner: bool  # a JCM partner that signed after the brochure: links open the latest record
    notes: tuple[str, ...] = ()  # how to read the figures: the record used, what "≈" means, Japan's side

    @property
    def sources(self) -> tuple[str, ...]:
        """Every source the items cite, once each, in the order they first appear."""
        return tuple(dict.fromkeys(s for section in self.sections for item in section.items for s in item.sources))


def countries_held(frames: dict, places: pd.DataFrame) -> list[str]:
    """Every country any layer has a feature in (a partner, a site, an end of a line), as ISO3 codes."""
    candidates = set(places["country_iso3"].dropna())
    for frame in frames.values():
        if "country_iso3" in frame:
            candidates |= set(frame["country_iso3"].dropna())
    return sorted(c for c in candidates if c and any(len(rows_in_country(f, c, places)) for f in frames.values()))


def country_choices(frames: dict, places: pd.DataFrame, lang: str) -> list[str]:
    """:func:`countries_held` in the reader's alphabetical order of names."""
    return sorted(countries_held(frames, places), key=lambda iso3: country_name(iso3, lang))


def country_figures(frames: dict, places: pd.DataFrame, iso3: str) -> dict:
    """The country's figures, computed from the layers; language-free (what the tests and both renderings read).

    Keys: ``model_cities_y1``, ``model_cities_y2``, ``fs_studies`` (study
    numbers), ``fs_sites``, ``model_projects`` (with a fiscal year),
    ``model_project_years``, ``reduction_tco2_per_year`` (their sum),
    ``first_registered``, ``city_partners`` (partnerships a city of the
    country is in), ``seminars_hosted``, ``locarnet_events``, ``exchanges``,
    and ``jcm_signed_on`` (partial date, '' if not a partner or undated).
    """
    return _figures(_here(frames, places, iso3), _partner_row(frames, iso3), iso3)


def _here(frames: dict, places: pd.DataFrame, iso3: str) -> dict:
    return {layer_id: rows_in_country(frame, iso3, places) for layer_id, frame in frames.items()}


def _figures(here: dict, partner, iso3: str) -> dict:
    cities = here.get("model_cities", pd.DataFrame(columns=["program_year"]))
    fs = here.get("fs_studies", pd.DataFrame(columns=["study_no"]))
    projects = here.get("jcm_model_projects", pd.DataFrame(columns=["fiscal_year", "first_registered"]))
    model = projects[projects["fiscal_year"].notna()]
    return {
        "model_cities_y1": int((cities["program_year"] == 1).sum()),
        "model_cities_y2": int((cities["program_year"] == 2).sum()),
        "fs_studies": int(fs["study_no"].nunique()),
        "fs_sites": len(fs),
        "model_projects": len(model),
        "model_project_years": tuple(sorted({str(int(y)) for y in model["fiscal_year"]})),
        "reduction_tco2_per_year": int(
            pd.to_numeric(model.get("expected_reduction_tco2_per_year"), errors="coerce").sum()
        )
        if len(model)
        else 0,
        "first_registered": sum(_true(v) for v in projects["first_registered"]),
        "city_partners": len(here.get("city_partnerships", ())),
        "seminars_hosted": _hosted(here.get("esc_seminars"), iso3),
        "locarnet_events": _hosted(here.get("locarnet_events"), iso3),
        "exchanges": len(here.get("knowledge_sharing", ())),
        "jcm_signed_on": cell_text(partner["signed_on"]) if partner is not None else "",
    }


def _true(value) -> bool:
    """A nullable boolean cell read as a plain bool: NA (no record) is not True."""
    return bool(pd.notna(value) and value)


def _hosted(frame: pd.DataFrame | None, iso3: str) -> int:
    return 0 if frame is None else int((frame["country_iso3"] == iso3).sum())


def _partner_row(frames: dict, iso3: str):
    partners = frames.get("jcm_partners")
    if partners is None:
        return None
    rows = partners[partners["country_iso3"] == iso3]
    return rows.iloc[0] if len(rows) else None


def _sources(row, lang: str) -> tuple[str, ...]:
    refs = []
    if cell_text(row.get("source_ref")):
        refs.append(in_words(cell_text(row["source_ref"]), lang))
    if cell_text(row.get("signed_on_source")):
        refs.append(cell_text(row["signed_on_source"]))
    return tuple(refs)


def profile(frames: dict, places: pd.DataFrame, stories: dict, facts: pd.DataFrame, iso3: str, lang: str) -> Profile:
    """The country's :class:`Profile` in ``lang``.

    Parameters
    ----------
    frames : dict
        layer_id -> the whole layer (every state: the partnership is the latest record's).
    places : DataFrame
        The gazetteer, for lines whose ends are places.
    stories : dict
        city_id -> ``success_stories`` row.
    facts : DataFrame
        ``brochure_facts``: a year-2 model city the brochure gives as undecided.
    """
    here = _here(frames, places, iso3)
    partner = _partner_row(frames, iso3)
    figures = _figures(here, partner, iso3)
    builders = {
        "model_cities": lambda: _model_cities(here["model_cities"], stories, year2_undecided(facts).get(iso3), lang),
        "jcm": lambda: _partnership(partner, lang),
        "fs_studies": lambda: _fs_studies(here["fs_studies"], figures, lang),
        "jcm_model_projects": lambda: _projects(here["jcm_model_projects"], figures, lang),
        "city_partnerships": lambda: _lines("city_partnerships", here["city_partnerships"], iso3, lang),
        "esc_seminars": lambda: _hosted_events("esc_seminars", here["esc_seminars"], iso3, lang),
        "locarnet_events": lambda: _hosted_events("locarnet_events", here["locarnet_events"], iso3, lang),
        "knowledge_sharing": lambda: _lines("knowledge_sharing", here["knowledge_sharing"], iso3, lang),
    }
    sections = []
    for section_id in SECTIONS:
        layer = "jcm_partners" if section_id == "jcm" else section_id
        if (
            layer not in frames
            or (section_id != "jcm" and here[layer].empty)
            or (section_id == "jcm" and partner is None)
        ):
            continue
        sections.append(builders[section_id]())
    return Profile(
        iso3=iso3,
        name=country_name(iso3, lang),
        lang=lang,
        figures=_figure_boxes(figures, partner, lang),
        sections=tuple(sections),
        later_partner=partner is not None and not _true(partner["in_brochure"]),
        notes=_notes(partner, iso3, lang),
    )


def _notes(partner, iso3: str, lang: str) -> tuple[str, ...]:
    notes = []
    if iso3 == JAPAN:
        notes.append(t("country.japan_note", lang))
    if partner is not None:
        notes.append(t("country.record_note", lang))
        marks = signing_marks([cell_text(partner["signed_on_status"])], lang)
        if marks:
            notes.append(marks)
    return tuple(notes)


def _figure_boxes(figures: dict, partner, lang: str) -> tuple[tuple[str, str], ...]:
    """The headline boxes: only the programmes the country is in."""
    n = format_number
    boxes = []
    if figures["model_cities_y1"] or figures["model_cities_y2"]:
        value = t("country.fig_years", lang, y1=figures["model_cities_y1"], y2=figures["model_cities_y2"])
        boxes.append((t("country.fig_model_cities", lang), value))
    if partner is not None:
        signed = signing_date(cell_text(partner["signed_on"]), cell_text(partner["signed_on_status"]), lang)
        boxes.append((t("country.fig_jcm_signed", lang), signed))
    if figures["fs_studies"]:
        value = t("country.fig_fs", lang, studies=figures["fs_studies"], sites=figures["fs_sites"])
        boxes.append((t("country.fig_fs_label", lang), value))
    if figures["model_projects"]:
        boxes.append((t("country.fig_projects", lang), str(figures["model_projects"])))
        boxes.append((t("country.fig_reduction", lang), f"{n(figures['reduction_tco2_per_year'], lang)} tCO2"))
    for key in ("city_partners", "seminars_hosted", "locarnet_events", "exchanges"):
        if figures[key]:
            boxes.append((t(f"country.fig_{key}", lang), str(figures[key])))
    return tuple(boxes)


def _model_cities(cities: pd.DataFrame, stories: dict, undecided, lang: str) -> Section:
    items, parts = [], []
    for year in (1, 2):
        rows = cities[cities["program_year"] == year]
        names = join_names([feature_name("model_cities", r, lang) for _, r in rows.iterrows()], lang)
        if len(rows):
            parts.append(t("country.model_cities_year", lang, year=year, n=len(rows), names=names))
        for _, row in rows.iterrows():
            story = stories.get(row["city_id"]) if year == 1 else None
            text = f"{feature_name('model_cities', row, lang)} · {t('value.program_year', lang, year=year)}"
            detail = ""
            refs = _sources(row, lang)
            if story is not None:
                text += f" · {t('country.story', lang, theme=pick(story, 'theme', lang))}"
                detail = pick(story, "story", lang)
                refs += _sources(story, lang)
            items.append(Item("model_cities", row["feature_id"], text, detail, tuple(dict.fromkeys(refs))))
    if undecided is not None:
        parts.append(pick(undecided, "statement", lang).rstrip("。."))
        items.append(Item("brochure_facts", undecided["fact_id"], pick(undecided, "statement", lang), "",
                          _sources(undecided, lang)))  # fmt: skip
    headline = t("country.sentence_sep", lang).join(parts)
    return Section("model_cities", t("country.heading_model_cities", lang), headline, tuple(items))


def _partnership(partner, lang: str) -> Section:
    order = cell_text(partner["signing_order"])
    signed = signing_date(cell_text(partner["signed_on"]), cell_text(partner["signed_on_status"]), lang)
    place = cell_text(partner["signed_on_place"])
    dated = cell_text(partner["signed_on"]) and cell_text(partner["signed_on_status"]) != "unverified"
    parts = [t("country.jcm_signed" if dated else "country.jcm_undated", lang, no=order, date=signed)]
    if place and lang == "en":  # the record names places in English only
        parts.append(t("country.jcm_place", lang, place=place))
    if _true(partner["in_brochure"]):
        held = _true(partner["joint_committee_held"])
        parts.append(t("country.jcm_committee_held" if held else "country.jcm_committee_not_held", lang))
    else:
        parts.append(t("country.jcm_after_brochure", lang))
    status = t(f"code.signed_on_status.{cell_text(partner['signed_on_status'])}", lang)
    note = cell_text(partner.get("note_ja")) if lang == "ja" and cell_text(partner.get("note_ja")) else ""
    note = note or cell_text(partner.get("note"))
    item = Item("jcm_partners", partner["feature_id"], t("country.jcm_status", lang, status=status), note,
                _sources(partner, lang))  # fmt: skip
    return Section("jcm", t("country.heading_jcm", lang), t("country.sentence_sep", lang).join(parts), (item,))


def _fs_studies(fs: pd.DataFrame, figures: dict, lang: str) -> Section:
    items = []
    for no, rows in fs.groupby("study_no", sort=True):
        first = rows.iloc[0]
        sites = join_names([pick(r, "site", lang) for _, r in rows.iterrows()], lang)
        text = t("country.fs_item", lang, no=no, title=pick(first, "title", lang), sites=sites)
        refs = tuple(dict.fromkeys(s for _, r in rows.iterrows() for s in _sources(r, lang)))
        items.append(Item("fs_studies", first["feature_id"], text, sources=refs))
    headline = t("country.fs_headline", lang, studies=figures["fs_studies"], sites=figures["fs_sites"])
    return Section("fs_studies", t("programme.fs", lang), headline, tuple(items))


def _projects(projects: pd.DataFrame, figures: dict, lang: str) -> Section:
    items = []
    for _, row in projects.iterrows():
        text = feature_name("jcm_model_projects", row, lang)
        if cell_text(row.get("representative_en")) or cell_text(row.get("representative_ja")):
            text += f" · {pick(row, 'representative', lang)}"
        if pd.notna(row.get("expected_reduction_tco2_per_year")):
            reduction = format_number(row["expected_reduction_tco2_per_year"], lang)
            text += f" · {reduction} tCO2/{t('unit.year', lang)}"
        if _true(row.get("first_registered")):
            text = t(
                "country.first_registered",
                lang,
                title=text,
                site=pick(row, "site", lang),
                date=format_partial_date(cell_text(row.get("registered_on")), lang),
            )
        items.append(Item("jcm_model_projects", row["feature_id"], text, sources=_sources(row, lang)))
    headline_parts = []
    if figures["model_projects"]:
        headline_parts.append(
            t(
                "country.projects_headline",
                lang,
                n=figures["model_projects"],
                years=join_names(figures["model_project_years"], lang),
                total=format_number(figures["reduction_tco2_per_year"], lang),
            )
        )
    if figures["first_registered"]:
        headline_parts.append(t("country.first_registered_headline", lang))
    headline = t("country.sentence_sep", lang).join(headline_parts)
    return Section("jcm_model_projects", t("programme.jcm_projects", lang), headline, tuple(items))


def _lines(layer_id: str, rows: pd.DataFrame, iso3: str, lang: str) -> Section:
    """City-to-city partnerships or knowledge-sharing exchanges with an end in the country."""
    items = []
    for _, row in rows.iterrows():
        topic = pick(row, "cooperation" if layer_id == "city_partnerships" else "topic", lang)
        text = feature_name(layer_id, row, lang) + (f" · {topic}" if topic else "")
        items.append(Item(layer_id, row["feature_id"], text, sources=_sources(row, lang)))
    key = "c2c" if layer_id == "city_partnerships" else "exchanges"
    japan = "_japan" if iso3 == JAPAN and layer_id == "city_partnerships" else ""
    headline = t(f"country.{key}_headline{japan}", lang, n=len(rows))
    heading = t("programme.c2c" if layer_id == "city_partnerships" else "programme.esc", lang)
    return Section(layer_id, heading, headline, tuple(items))


def _hosted_events(layer_id: str, rows: pd.DataFrame, iso3: str, lang: str) -> Section:
    """ESC seminars or LoCARNet events held in the country."""
    items = []
    rows = rows[rows["country_iso3"] == iso3]
    for _, row in rows.iterrows():
        when = cell_text(row.get("held") if layer_id == "esc_seminars" else row.get("date_start"))
        text = feature_name(layer_id, row, lang)
        if layer_id == "locarnet_events" and pick(row, "city", lang):
            text += f" · {pick(row, 'city', lang)}"
        if when:
            text += f" · {format_partial_date(when, lang)}"
        if layer_id == "esc_seminars" and pd.notna(row.get("participants")):
            text += f" · {t('detail.participants_n', lang, n=format_number(row['participants'], lang))}"
        items.append(Item(layer_id, row["feature_id"], text, sources=_sources(row, lang)))
    key = "seminars" if layer_id == "esc_seminars" else "locarnet"
    heading = t(f"programme.{key}", lang)
    return Section(layer_id, heading, t(f"country.{key}_headline", lang, n=len(rows)), tuple(items))
