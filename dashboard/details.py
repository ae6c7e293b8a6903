"""What a feature says about itself: its name, a one-line tooltip and its detail fields.

Used by the map (tooltips, popups), the details panel beside the map, the
search box and the presentation captions, so a feature reads the same
everywhere. Pure: returns plain strings; callers escape for HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dashboard.citations import in_words
from dashboard.i18n import code_label, country_name, format_number, format_partial_date, pick, signing_date, t
from dashboard.text import cell_text


@dataclass(frozen=True)
class Field:
    label: str
    value: str
    long: bool = False  # paragraphs (stories) rather than one-line values
    folded: bool = False  # shown on request (the source), not read with the rest


def _field(row, key: str) -> str:
    return cell_text(row.get(key, ""))


def feature_name(layer_id: str, row, lang: str) -> str:
    """Short name of a feature, e.g. 'Surabaya' or 'Kitakyushu → Surabaya'."""
    if layer_id == "model_cities":
        return pick(row, "name", lang)
    if layer_id == "esc_seminars":
        return t("detail.seminar_name", lang, no=_field(row, "seminar_no"), city=pick(row, "city", lang))
    if layer_id == "locarnet_events":
        return pick(row, "title", lang)
    if layer_id == "city_partnerships":
        return f"{pick(row, 'jp_municipality', lang)} → {pick(row, 'partner', lang)}"
    if layer_id == "knowledge_sharing":
        arrow = " ↔ " if _field(row, "direction") == "mutual" else " → "
        return f"{pick(row, 'from_name', lang)}{arrow}{pick(row, 'to_name', lang)}"
    if layer_id == "jcm_partners":
        return country_name(_field(row, "country_iso3"), lang)
    if layer_id == "fs_studies":
        return t("detail.fs_name", lang, no=_field(row, "study_no"), site=pick(row, "site", lang))
    if layer_id == "jcm_model_projects":
        return pick(row, "title", lang)
    return _field(row, "feature_id")


def feature_tooltip(layer_id: str, row, lang: str) -> str:
    """One line for hovering: name plus the most telling figure."""
    name = feature_name(layer_id, row, lang)
    if layer_id == "model_cities":
        return f"{name} · {t('value.program_year', lang, year=_field(row, 'program_year'))}"
    if layer_id == "esc_seminars" and _field(row, "participants"):
        return f"{name} · {t('detail.participants_n', lang, n=format_number(row['participants'], lang))}"
    if layer_id == "jcm_model_projects" and _field(row, "expected_reduction_tco2_per_year"):
        return f"{name} · {format_number(row['expected_reduction_tco2_per_year'], lang)} tCO2/{t('unit.year', lang)}"
    if layer_id == "jcm_partners":
        if not _field(row, "signed_on"):
            return f"{name} · {t('detail.signed_no_date', lang)}"
        return f"{name} · {t('detail.signed_on', lang)} {_signing(row, lang)}"
    return name


def _signing(row, lang: str) -> str:
    return signing_date(_field(row, "signed_on"), _field(row, "signed_on_status"), lang)


def precision_text(row, lang: str) -> str:
    precision = _field(row, "geocode_precision")
    if not precision:
        return ""
    return t(f"precision.{precision}", lang)


def feature_fields(layer_id: str, row, lang: str, story=None) -> list[Field]:
    """The fields shown when a feature is opened, in reading order.

    Parameters
    ----------
    layer_id : str
    row : mapping
        One row of the layer.
    lang : str
    story : mapping, optional
        The matching ``success_stories`` row for a year-1 model city.
    """
    f: list[Field] = []

    def add(key: str, value: str, long: bool = False):
        if value:
            f.append(Field(t(key, lang), value, long))

    iso3 = _field(row, "partner_country_iso3") or _field(row, "country_iso3")
    if layer_id == "model_cities":
        add("detail.country", country_name(iso3, lang))
        add("detail.programme_year", t("value.program_year", lang, year=_field(row, "program_year")))
        add("detail.listed_as", _field(row, "listed_as_ja") if lang == "ja" else "")
        if story is not None:
            add("detail.theme", pick(story, "theme", lang))
            add("detail.story", pick(story, "story", lang), long=True)
            add("detail.photo_caption", pick(story, "photo_caption", lang))
    elif layer_id == "esc_seminars":
        add("detail.held", format_partial_date(_field(row, "held"), lang))
        add("detail.status", t(f"status.{_field(row, 'status')}", lang))
        add("detail.country", country_name(iso3, lang))
        for col in ("participants", "countries", "local_governments", "organizations"):
            if _field(row, col):
                add(f"detail.{col}", format_number(row[col], lang))
    elif layer_id == "locarnet_events":
        start, end = _field(row, "date_start"), _field(row, "date_end")
        when = format_partial_date(start, lang) + ("" if end == start else f" – {format_partial_date(end, lang)}")
        add("detail.date", when)
        add("detail.status", t(f"status.{_field(row, 'status')}", lang))
        add("detail.place", pick(row, "city", lang) or country_name(iso3, lang))
        if _field(row, "participants"):
            more = t("detail.more_than", lang) if row.get("participants_is_minimum") is True else ""
            add("detail.participants", f"{more}{format_number(row['participants'], lang)}")
        add("detail.breakdown", _field(row, "participants_breakdown") if lang == "en" else "")
        add("detail.outcome", pick(row, "outcome", lang), long=True)
    elif layer_id == "city_partnerships":
        add("detail.country", country_name(iso3, lang))
        add("detail.cooperation", pick(row, "cooperation", lang), long=True)
        if _field(row, "related_fs_study_no"):
            add("detail.related_fs", t("detail.fs_number", lang, no=_field(row, "related_fs_study_no")))
    elif layer_id == "knowledge_sharing":
        add("detail.topic", pick(row, "topic", lang), long=True)
        add("detail.date", format_partial_date(_field(row, "date"), lang))
    elif layer_id == "jcm_partners":
        add("detail.partner_no", _field(row, "signing_order"))
        if _field(row, "signed_on"):
            add("detail.signed_on", _signing(row, lang))
        add("detail.signed_on_status", code_label("signed_on_status", _field(row, "signed_on_status"), lang))
        add("detail.signed_at", _field(row, "signed_on_place"))
        if row.get("in_brochure") is True:
            jc = row.get("joint_committee_held")
            add("detail.joint_committee", t("value.answer_yes" if jc is True else "value.answer_no", lang))
        else:
            add("detail.in_brochure", t("detail.after_brochure", lang))
    elif layer_id == "fs_studies":
        add("detail.study_title", pick(row, "title", lang), long=True)
        add("detail.country", country_name(iso3, lang))
        add("detail.site", pick(row, "site", lang))
        add("detail.theme", t(f"theme.{_field(row, 'theme')}", lang) if _field(row, "theme") else "")
    elif layer_id == "jcm_model_projects":
        add("detail.representative", pick(row, "representative", lang))
        add("detail.country", country_name(iso3, lang))
        if _field(row, "expected_reduction_tco2_per_year"):
            add(
                "detail.reduction_per_year",
                f"{format_number(row['expected_reduction_tco2_per_year'], lang)} tCO2/{t('unit.year', lang)}",
            )
        if _field(row, "expected_reduction_tco2_total"):
            until = re.search(r"\d{4}", _field(row, "reduction_period"))
            period = t("detail.until_year", lang, year=until.group()) if until else _field(row, "reduction_period")
            add(
                "detail.reduction_total", f"{format_number(row['expected_reduction_tco2_total'], lang)} tCO2 ({period})"
            )
        add("detail.registered_on", format_partial_date(_field(row, "registered_on"), lang))
        add("detail.participants_companies", _field(row, "participants_en"))
    add("detail.location", precision_text(row, lang))
    # Curators' notes exist in English only; the Japanese label says so.
    add("detail.location_note", _field(row, "geocode_note"), long=True)
    note_ja = _field(row, "note_ja") if lang == "ja" else ""
    if note_ja:
        add("detail.note_ja", note_ja, long=True)
    else:
        add("detail.note", _field(row, "note"), long=True)
    if _field(row, "source_ref"):
        f.append(Field(t("detail.source", lang), in_words(_field(row, "source_ref"), lang), folded=True))
    if _field(row, "signed_on_source"):
        # The page and its own words, as quoted: a reader can check the date without the atlas.
        quoted = f"{_field(row, 'signed_on_source')}\n\n{_field(row, 'signed_on_evidence')}"
        f.append(Field(t("detail.date_source", lang), quoted, folded=True))
    return f


def unplaced_names(frame, layer_id: str, lang: str) -> list[str]:
    """Names of the rows of a layer that have no geometry (not drawn on the map), without repeats."""
    rows = frame[frame.geometry.isna()]
    return list(dict.fromkeys(feature_name(layer_id, row, lang) for _, row in rows.iterrows()))
