"""User-facing text in Japanese and English.

Interface strings live in ``dashboard/locales/<lang>/*.yml`` (one catalogue per
language, split by area and merged on load; both languages have the same keys:
a test checks). Data text comes from the tables' ``_en`` /
``_ja`` columns via :func:`pick`. Country names come from pycountry's ISO 3166
catalogue with short forms where the long official name would crowd a map.
"""

from __future__ import annotations

import gettext
from datetime import date
from functools import cache, lru_cache
from pathlib import Path

import pycountry
import yaml

LANGS = ("en", "ja")
DEFAULT_LANG = "en"
LOCALES_DIR = Path(__file__).parent / "locales"

# Short names used in running text and legends: the brochure's own forms, and for partners it does not
# name, the Government of Japan's (MOFA) usage. ISO's Japanese list still has グルジア (ジョージア since
# 2015) and misspells Tanzania as タニザニア.
_EN_SHORT = {"LAO": "Lao PDR", "VNM": "Viet Nam", "KOR": "Republic of Korea", "BRN": "Brunei", "KGZ": "Kyrgyz Republic"}
_JA_SHORT = {
    "LAO": "ラオス",
    "MNG": "モンゴル",
    "BRN": "ブルネイ",
    "KOR": "韓国",
    "MDA": "モルドバ",
    "GEO": "ジョージア",
    "KGZ": "キルギス",
    "TZA": "タンザニア",
}
# How Japanese labels written in kanji are read: a Japanese list is in 五十音 order, by sound.
_JA_READINGS = {
    ("country", "JPN"): "にほん",
    ("country", "KOR"): "かんこく",
    ("country", "CHN"): "ちゅうごく",
    ("theme", "waste"): "はいきぶつ",
    ("theme", "water"): "すいえいせい",
    ("theme", "greening"): "としりょくか",
    ("theme", "city_planning"): "ていたんそとしけいかく",
    ("theme", "energy_efficiency"): "しょうえねるぎー",
    ("theme", "renewable_energy"): "さいせいかのうえねるぎー",
    ("theme", "transport"): "こうつう",
    ("theme", "fluorocarbons"): "ふろんるい",
    ("theme", "finance"): "しきんすきーむ",
}


def reading(kind: str, code: str, lang: str) -> str | None:
    """How the label of ``code`` (a country or a theme) is read in ``lang``, where it differs from its spelling."""
    return _JA_READINGS.get((kind, code)) if lang == "ja" else None


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The flat key → text mapping of one language."""
    if lang not in LANGS:
        raise KeyError(f"unknown language {lang!r}; use one of {LANGS}")
    merged: dict[str, str] = {}
    for path in sorted((LOCALES_DIR / lang).glob("*.yml")):
        flat = _flatten(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
        clash = set(flat) & set(merged)
        if clash:
            raise ValueError(f"{path}: keys already defined in another file: {sorted(clash)}")
        merged.update(flat)
    return merged


def _flatten(data: dict, prefix: str = "") -> dict[str, str]:
    out = {}
    for key, value in data.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, f"{full}."))
        else:
            out[full] = str(value)
    return out


def t(key: str, lang: str, **values) -> str:
    """Translate ``key`` into ``lang``, formatting ``{name}`` fields.

    A missing key raises: a screen must never show a raw key.

    Example
    -------
    >>> t("nav.map", "ja")
    '地図'
    """
    text = catalogue(lang)[key]
    return text.format(**values) if values else text


@lru_cache(maxsize=1)
def _ja_translation():
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ja"])


# Code lists whose labels the screens already use; any other code is labelled under code.<column>.<value>.
_CODE_KEYS = {
    "theme": "theme.{}",
    "geocode_precision": "precision.{}",
    "status": "status.{}",
    "event_kind": "charts.event_kind.{}",
}


def code_label(column: str, value, lang: str) -> str:
    """The reader's word for a code in a column with a fixed list of values ('waste' -> 'Waste')."""
    template = _CODE_KEYS.get(column, f"code.{column}.{{}}")
    return t(template.format(value), lang)


@cache
def country_name(iso3: str, lang: str) -> str:
    """Short country name for display; the code itself when unknown."""
    if not iso3:
        return ""
    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        return iso3
    if lang == "ja":
        return _JA_SHORT.get(iso3) or _ja_translation().gettext(country.name)
    return _EN_SHORT.get(iso3) or getattr(country, "common_name", None) or country.name


def pick(row, field: str, lang: str) -> str:
    """``row[field_ja]`` or ``row[field_en]``, falling back to the other language.

    Names with no translation are shown in the language they have.
    """
    first, second = (f"{field}_ja", f"{field}_en") if lang == "ja" else (f"{field}_en", f"{field}_ja")
    for key in (first, second):
        value = row.get(key, "") if hasattr(row, "get") else getattr(row, key, "")
        if isinstance(value, str) and value:
            return value
    return ""


def format_number(value, lang: str, decimals: int = 0) -> str:
    """Thousands-separated number; '–' for missing."""
    if value is None or value != value:  # NaN / NA
        return "–"
    try:
        return f"{float(value):,.{decimals}f}"
    except (TypeError, ValueError):
        return "–"


APPROX = "≈"  # marks a partly verified date wherever it is shown


def signing_date(signed_on, status: str, lang: str) -> str:
    """A JCM partner's signing date as read: '29 Jun 2013', '≈ Mar 2013' if partly verified, or 'date not found'.

    >>> signing_date("2013-03-19", "partly verified", "en")
    '≈ 19 Mar 2013'
    >>> signing_date("", "unverified", "ja")
    '日付不明'
    """
    text = str(signed_on) if isinstance(signed_on, str) else ""
    if not text or status == "unverified":
        return t("signing.not_found", lang)
    shown = format_partial_date(text, lang)
    return f"{APPROX} {shown}" if status == "partly verified" else shown


def signing_marks(statuses, lang: str) -> str:
    """What the marks of the dates shown mean: '≈ …' if any is partly verified, 'date not found …' if any is unverified."""
    present = set(statuses)
    keys = [k for status, k in (("partly verified", "approx"), ("unverified", "not_found")) if status in present]
    return " ".join(t(f"signing.legend_{k}", lang) for k in keys)


def format_partial_date(text: str, lang: str) -> str:
    """'2014-11-24' → '24 Nov 2014' / '2014年11月24日'; '2014-11' → 'Nov 2014' / '2014年11月'."""
    if not text:
        return ""
    parts = [int(p) for p in str(text).split("-")]
    if lang == "ja":
        units = ("年", "月", "日")
        return "".join(f"{p}{u}" for p, u in zip(parts, units))
    if len(parts) == 1:
        return str(parts[0])
    month = date(2000, parts[1], 1).strftime("%b")
    return f"{parts[2]} {month} {parts[0]}" if len(parts) == 3 else f"{month} {parts[0]}"
