"""Country briefs: one A4 page (two at most) per country and language, as PDF, made offline.

:func:`make_brief` is the one way a brief is made: the country page's
download and ``python -m dashboard brief`` call it with the same data, so they
give the same bytes.
"""

from __future__ import annotations

from dashboard import release
from dashboard.brief.fonts import FontMissing
from dashboard.brief.map_drawing import map_drawing
from dashboard.content.country import profile
from dashboard.i18n import t
from dashboard.maps.layers import features_in_country

__all__ = ["FontMissing", "brief_filename", "make_brief"]


def brief_filename(iso3: str, lang: str) -> str:
    """'country-brief_IDN_ja.pdf'."""
    return f"country-brief_{iso3}_{lang}.pdf"


def make_brief(frames: dict, places, stories: dict, facts, world, iso3: str, lang: str) -> bytes:
    """The brief of ``iso3`` in ``lang`` from the whole layers (every state), as PDF bytes.

    Raises
    ------
    FontMissing
        The machine has no Japanese-capable typeface to embed.
    """
    from dashboard.brief.document import MAP_H, MAP_W, country_brief  # fpdf2 only when a brief is made

    shown = profile(frames, places, stories, facts, iso3, lang)
    features = [(m.programme, rows[rows.geometry.notna()]) for m, rows in features_in_country(frames, iso3, places)]
    drawing = map_drawing(world, iso3, features, MAP_W, MAP_H)
    made = t("country.brief_made", lang, version=release.version(), released=release.released().isoformat(), iso3=iso3)
    return country_brief(shown, drawing, release.citation(lang), made, release.released())
