"""Both languages have the same interface keys, and formatting helpers behave."""

import pytest

from dashboard.i18n import LANGS, catalogue, country_name, format_number, format_partial_date, t


def test_languages_have_the_same_keys():
    en, ja = set(catalogue("en")), set(catalogue("ja"))
    assert en - ja == set(), "keys missing in ja"
    assert ja - en == set(), "keys missing in en"


def test_placeholders_match_between_languages():
    import string

    for key, text in catalogue("en").items():
        fields = {f for _, f, _, _ in string.Formatter().parse(text) if f}
        ja_fields = {f for _, f, _, _ in string.Formatter().parse(catalogue("ja")[key]) if f}
        assert fields == ja_fields, key


# Proper names and format words that stay in Latin script in Japanese text.
LATIN_IN_JA = {
    "JCM",
    "GeoJSON",
    "GeoPackage",
    "CSV",
    "KML",
    "ZIP",
    "PNG",
    "SVG",
    "HTML",
    "LoCARNet",
    "ESC",
    "F/S",
    "OpenStreetMap",
}


def test_japanese_catalogue_is_japanese():
    import re

    japanese = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
    offenders = {}
    for key, value in catalogue("ja").items():
        text = re.sub(r"\{\w+\}", "", value).strip()  # placeholders are filled with localised values
        if japanese.search(text) or text in LATIN_IN_JA:
            continue
        if re.search(r"[A-Za-z]{3,}", text):
            offenders[key] = value
    assert offenders == {}


def test_missing_key_raises():
    with pytest.raises(KeyError):
        t("no.such.key", "en")


@pytest.mark.parametrize(
    "iso3,en,ja",
    [
        ("LAO", "Lao PDR", "ラオス"),
        ("VNM", "Viet Nam", "ベトナム"),
        ("MNG", "Mongolia", "モンゴル"),
        ("IDN", "Indonesia", "インドネシア"),
    ],
)
def test_country_names(iso3, en, ja):
    assert country_name(iso3, "en") == en and country_name(iso3, "ja") == ja


def test_dates_and_numbers():
    assert format_partial_date("2014-11-24", "en") == "24 Nov 2014"
    assert format_partial_date("2014-11", "ja") == "2014年11月"
    assert format_number(122000, "en") == "122,000"
    assert format_number(None, "ja") == "–"
    assert set(LANGS) == {"en", "ja"}
