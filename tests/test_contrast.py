"""Contrast (WCAG 2.1 AA): text at 4.5:1 and map symbols at 3:1 against what they sit on.

The browser suite runs axe-core for text; axe does not judge graphics, so the
symbols' edges are checked here against every ground the map has: the sea, the
land and each partner country's shading.
"""

from __future__ import annotations

import re

import pytest

from dashboard.catalog import PROGRAMMES
from dashboard.io import load_table
from dashboard.maps.builder import LAND, PARTNER_OPACITY, SEA
from dashboard.maps.symbols import HALO_DARK, HALO_LIGHT, LINE_HALO_CSS, LINE_HALO_SVG, SYMBOL_CSS
from dashboard.style import contrast_ratio, over, signing_colours
from dashboard.ui.document import DOCUMENT_CSS, FOCUS_RING, MUTED_TEXT


def grounds() -> dict[str, str]:
    partners = signing_colours(load_table("jcm_partners"))
    shading = {f"partner {iso}": over(c, PARTNER_OPACITY, LAND) for iso, c in partners.items()}
    default = over(PROGRAMMES["jcm_partners"].colour, PARTNER_OPACITY, LAND)
    return {"sea": SEA, "land": LAND, "partner (programme colour)": default, **shading}


@pytest.mark.parametrize("programme", sorted(PROGRAMMES))
def test_every_symbol_stands_out_at_3_to_1_on_every_ground(programme):
    colour = PROGRAMMES[programme].colour
    for name, ground in grounds().items():
        # Its own colour may blend in (yellow on a pale country); its two-tone edge never does.
        best = max(contrast_ratio(edge, ground) for edge in (colour, HALO_LIGHT, HALO_DARK))
        assert best >= 3, f"{programme} ({colour}) on {name} ({ground}): {best:.2f}:1"


def test_the_halo_is_drawn_on_every_kind_of_symbol_and_line():
    # Circles, squares, diamonds, approximate places and badges: a light border in a dark ring.
    assert re.search(
        r"\.atlas-sym \{[^}]*border: 1\.5px solid " + HALO_LIGHT + r";[^}]*box-shadow: 0 0 0 1px " + HALO_DARK,
        SYMBOL_CSS,
    )
    assert re.search(
        r"\.atlas-sym\.ring \{[^}]*box-shadow: 0 0 0 1px " + HALO_DARK + ", inset 0 0 0 1px " + HALO_LIGHT, SYMBOL_CSS
    )
    assert re.search(r"\.atlas-sym\.approx \{[^}]*box-shadow: 0 0 0 1px " + HALO_DARK, SYMBOL_CSS)
    assert re.search(r"\.atlas-country \{[^}]*box-shadow: 0 0 0 1px " + HALO_DARK, SYMBOL_CSS)
    # Triangles are drawn with borders, so no box can edge them: a shadow of their shape does.
    triangle = re.search(r"\.atlas-sym\.triangle \{([^}]*)\}", SYMBOL_CSS).group(1)
    assert HALO_LIGHT in triangle and HALO_DARK in triangle and "drop-shadow" in triangle
    # Lines: the SVG filter the line style names lays both colours under each line.
    assert "url(#atlas-line-halo)" in LINE_HALO_CSS and 'id="atlas-line-halo"' in LINE_HALO_SVG
    assert f'flood-color="{HALO_LIGHT}"' in LINE_HALO_SVG and f'flood-color="{HALO_DARK}"' in LINE_HALO_SVG


def test_secondary_text_and_the_focus_ring_meet_aa():
    for ground in ("#ffffff", "#f1f4f6"):  # the page, and the sidebar and panels (.streamlit/config.toml)
        assert contrast_ratio(MUTED_TEXT, ground) >= 4.5
        assert contrast_ratio(FOCUS_RING, ground) >= 3
    assert f"color: {MUTED_TEXT}; opacity: 1" in DOCUMENT_CSS  # Streamlit's caption also fades by opacity
    assert f"outline: 3px solid {FOCUS_RING}" in DOCUMENT_CSS
