"""Colour ramps shared by maps and charts, so a country has the same shade on both."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
from plotly.colors import sample_colorscale

from dashboard.validate import parse_partial_date

# Sequential, colour-blind-safe ramp (viridis: dark purple → green → yellow) for
# the JCM partners by signing date; its light end is close to the programme's
# yellow, and it keeps more hue in the middle than cividis, whose greys blur on a map.
SIGNING_SCALE = "Viridis"


NO_DATE_COLOUR = "#9aa3ab"  # a partner whose signing date was not found: grey, off the ramp


def signing_day(value) -> date | None:
    """The day a ``signed_on`` stands for on the ramp: a month counts from its first day; empty is None."""
    return parse_partial_date(value) if isinstance(value, str) and value else None


def signing_span(jcm_partners: pd.DataFrame) -> tuple[date, date] | None:
    """The ramp's ends: 1 January of the first signing year to 31 December of the last (2013–2025)."""
    days = [d for d in map(signing_day, jcm_partners["signed_on"]) if d is not None]
    if not days:
        return None
    return date(min(days).year, 1, 1), date(max(days).year, 12, 31)


def signing_colours(jcm_partners: pd.DataFrame) -> dict[str, str]:
    """ISO3 → hex colour on a sequential colour-blind-safe ramp by signing date.

    Earliest year darkest, latest lightest; spacing follows the dates, so a
    burst of signings in mid-2013 reads as similar shades. The ramp spans whole
    years (:func:`signing_span`), so its legend reads 2013 … 2025. A partner
    with no date found is :data:`NO_DATE_COLOUR`. Pass the whole table so a
    country keeps its colour whatever the filter or state.

    Example
    -------
    >>> cols = signing_colours(pd.DataFrame({"country_iso3": ["MNG", "MEX"], "signed_on": ["2013-01-08", "2014-07-25"]}))
    >>> cols["MNG"] != cols["MEX"]
    True
    """
    span = signing_span(jcm_partners) if not jcm_partners.empty else None
    if span is None:
        return {iso: NO_DATE_COLOUR for iso in jcm_partners.get("country_iso3", [])}
    lo, hi = (d.toordinal() for d in span)
    days = {iso: signing_day(v) for iso, v in zip(jcm_partners["country_iso3"], jcm_partners["signed_on"], strict=True)}
    fractions = {iso: (d.toordinal() - lo) / (hi - lo) for iso, d in days.items() if d is not None}
    sampled = sample_colorscale(SIGNING_SCALE, list(fractions.values()))
    colours = {iso: _rgb_to_hex(c) for iso, c in zip(fractions, sampled, strict=True)}
    return {iso: colours.get(iso, NO_DATE_COLOUR) for iso in days}


def ramp_stops(n: int = 5) -> list[str]:
    """``n`` colours of the signing ramp, earliest to latest, for a legend's gradient."""
    return [_rgb_to_hex(c) for c in sample_colorscale(SIGNING_SCALE, [i / (n - 1) for i in range(n)])]


def _rgb_to_hex(rgb: str) -> str:
    nums = [round(float(v)) for v in re.findall(r"[\d.]+", rgb)[:3]]
    return "#{:02x}{:02x}{:02x}".format(*nums)


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two opaque ``#rrggbb`` colours (1 to 21).

    >>> round(contrast_ratio("#000000", "#ffffff"), 1)
    21.0
    >>> round(contrast_ratio("#5b6770", "#ffffff"), 1)
    5.8
    """
    lighter, darker = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def over(colour: str, opacity: float, ground: str) -> str:
    """``colour`` drawn at ``opacity`` on ``ground``: the opaque colour a reader sees.

    >>> over("#000000", 0.5, "#ffffff")
    '#808080'
    """
    top, under = _channels(colour), _channels(ground)
    return "#{:02x}{:02x}{:02x}".format(*(round(opacity * c + (1 - opacity) * g) for c, g in zip(top, under)))


def _channels(colour: str) -> tuple[int, int, int]:
    h = colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def _luminance(colour: str) -> float:
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (v / 255 for v in _channels(colour))]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
