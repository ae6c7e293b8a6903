"""How the map draws things and says what they mean: symbols, their style sheet and the legend.

Point symbols are CSS shapes, a shape per programme as well as a colour (for
colour-blind readers), so nothing is fetched to draw them. The same HTML draws
a symbol on the map and in the legend, which sits under the map in the app
(it covers no data) and inside the map in a presentation or an exported file.

Every string from the data or the locales is HTML-escaped here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from dashboard.catalog import PROGRAMMES
from dashboard.i18n import t
from dashboard.maps.layers import MAP_LAYERS
from dashboard.style import NO_DATE_COLOUR, ramp_stops
from dashboard.text import html_text

SEA = "#dce9f2"
SELECTED = "#d00"

# The symbols and the legend: on the map and, for the legend beside it, on the page.
# Every symbol is edged white and dark (HALO): on any ground, from the pale sea to the darkest
# partner shading, one of the two stands out at 3:1 or more (WCAG 1.4.11), whatever its own colour.
HALO_LIGHT, HALO_DARK = "#ffffff", "#1f2933"
SYMBOL_CSS = """
.atlas-sym { box-sizing: border-box; border: 1.5px solid %(light)s; box-shadow: 0 0 0 1px %(dark)s; }
.atlas-sym.circle { border-radius: 50%%; }
.atlas-sym.ring { border-radius: 50%%; background: transparent !important; border-width: 3px;
  box-shadow: 0 0 0 1px %(dark)s, inset 0 0 0 1px %(light)s; }
.atlas-sym.diamond { transform: rotate(45deg) scale(.85); }
.atlas-sym.triangle { width: 0 !important; height: 0 !important; background: transparent !important; border: none;
  box-shadow: none; border-left: 8px solid transparent; border-right: 8px solid transparent; border-bottom: 14px solid var(--c);
  filter: drop-shadow(0 0 .6px %(light)s) drop-shadow(0 0 .6px %(light)s) drop-shadow(0 0 .8px %(dark)s); }
/* Approximate places (a town or an area, not the site): hollow, with a dashed outline. */
.atlas-sym.approx { background: #fff !important; border: 2.5px dashed var(--c); box-shadow: 0 0 0 1px %(dark)s; }
.atlas-sym.ring.approx { border-width: 3px; }
.atlas-sym.triangle.approx { border: none; border-left: 8px solid transparent; border-right: 8px solid transparent;
  border-bottom: 14px solid var(--c); opacity: .5; }
/* A country's features the source places by country only: one badge with their number. */
.atlas-country { box-sizing: border-box; display: inline-flex; align-items: center; gap: 4px; height: 22px; padding: 0 6px 0 4px;
  border: 2px dashed var(--c); border-radius: 11px; background: #fff; color: %(dark)s; font: 700 12px/1 sans-serif;
  white-space: nowrap; box-shadow: 0 0 0 1px %(dark)s; }
.atlas-country .atlas-sym { flex: none; }
.atlas-country.sample { height: 16px; padding: 0 4px; font-size: 10px; }
.atlas-country.sample::after { content: "n"; }  /* drawn, not read: the row's text says what it is */
/* A partner country too small to see at the map's zoom (Palau, Maldives): its shading as a square. */
.atlas-partner-dot { box-sizing: border-box; width: 12px; height: 12px; border: 2px solid #4a4400; box-shadow: 0 0 0 1px #fff; }
.atlas-legend { font-size: 12px; line-height: 1.5; }
.atlas-legend .row { display: flex; align-items: center; gap: 6px; }
.atlas-legend .sw { min-width: 12px; height: 12px; flex: none; display: inline-flex; align-items: center; justify-content: center; }
.atlas-legend .line { height: 0; border-top: 3px solid; width: 16px; }
""" % {"light": HALO_LIGHT, "dark": HALO_DARK}

# Lines get the same two-tone edge as the symbols: an SVG filter (defined once per map document,
# LINE_HALO_SVG) widens each line's shape by 1 px in the dark and 2 px in the light colour beneath it.
# User-space units: a level line's bounding box has no height, and a box-relative filter region
# would then draw nothing at all.
LINE_HALO_SVG = (
    '<svg width="0" height="0" style="position:absolute" aria-hidden="true" focusable="false">'
    '<filter id="atlas-line-halo" filterUnits="userSpaceOnUse" x="-20000" y="-20000" width="40000" height="40000">'
    '<feMorphology in="SourceAlpha" operator="dilate" radius="2" result="wide"/>'
    f'<feFlood flood-color="{HALO_LIGHT}"/><feComposite in2="wide" operator="in" result="light"/>'
    '<feMorphology in="SourceAlpha" operator="dilate" radius="1" result="narrow"/>'
    f'<feFlood flood-color="{HALO_DARK}"/><feComposite in2="narrow" operator="in" result="dark"/>'
    '<feMerge><feMergeNode in="light"/><feMergeNode in="dark"/><feMergeNode in="SourceGraphic"/></feMerge>'
    "</filter></svg>"
)
LINE_HALO_CSS = ".leaflet-overlay-pane path.leaflet-interactive[fill='none'] { filter: url(#atlas-line-halo); }\n"

# The legend under the map on a page: a wrapped row that never covers the data.
STRIP_CSS = """
.atlas-legend.strip { display: flex; flex-wrap: wrap; gap: 2px 16px; margin: 4px 0 2px; font-size: 14px; color: #1f2933; }
.atlas-legend.strip .sw { min-width: 14px; height: 14px; }
.atlas-legend-fold > summary { cursor: pointer; font-size: 14px; color: #1f2933; width: max-content; }
.atlas-legend-fold[open] > summary { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
"""


def symbol_html(programme: str, size: int = 14, approx: bool = False) -> str:
    """The CSS shape of a programme's point symbol (also used in the legend)."""
    p = PROGRAMMES[programme]
    shape = {"square": "square", "diamond": "diamond", "triangle": "triangle", "circle": "circle"}.get(
        p.symbol, "circle"
    )
    if programme == "esc_y2":
        shape = "ring"  # year-2 cities are rings so a city in both years shows a dot inside a ring
        size += 6
    border = {"ring": f"border-color:{p.colour};", "triangle": ""}.get(shape, f"border-color:{HALO_LIGHT};")
    if approx:
        border = ""
    classes = f"atlas-sym {shape}" + (" approx" if approx else "")
    return f'<div class="{classes}" style="width:{size}px;height:{size}px;background:{p.colour};{border}--c:{p.colour}"></div>'


def country_badge_html(programme: str, n: int) -> str:
    """The symbol standing for ``n`` features placed by country only."""
    colour = PROGRAMMES[programme].colour
    return f'<div class="atlas-country" style="--c:{colour}">{symbol_html(programme, 10)}{int(n)}</div>'


@dataclass(frozen=True)
class LegendMarks:
    """Which of the map's kinds of mark the legend explains beyond its layers."""

    approximate: bool = False
    country_level: bool = False
    small_partners: bool = False
    no_signing_date: bool = False  # a partner shaded grey: its signing date was not found


def legend_rows(
    visible: tuple[str, ...],
    lang: str,
    counts: Mapping[str, str],
    partner_colours: dict | None = None,
    marks: LegendMarks = LegendMarks(),
) -> list[str]:
    """One row of HTML per visible layer (symbol, name, its count text in brackets), then the marks it uses."""
    rows = []
    for m in MAP_LAYERS:
        if m.key not in visible:
            continue
        p = PROGRAMMES[m.programme]
        if p.symbol == "line":
            dash = "border-top-style:dashed;" if m.layer_id == "knowledge_sharing" else ""  # drawn dashed on the map
            sw = f'<span class="sw line" style="border-color:{p.colour};{dash}"></span>'
        elif p.symbol == "area" and partner_colours:
            # The scale itself, earliest to latest: the partners' own colours are in no order.
            ramp = ",".join(ramp_stops())
            sw = f'<span class="sw" style="background:linear-gradient(90deg,{ramp});width:24px;border:1px solid #777"></span>'
        elif p.symbol == "area":
            sw = f'<span class="sw" style="background:{p.colour};border:1px solid #777"></span>'
        else:
            sw = f'<span class="sw">{symbol_html(m.programme, 12 if m.programme != "esc_y2" else 6)}</span>'
        label = html_text(t(p.label_key, lang))
        if p.symbol == "area" and partner_colours:
            label += " — " + html_text(t("map.shaded_by_signing", lang))
        rows.append(f'<div class="row">{sw}<span>{label} ({html_text(str(counts.get(m.key, 0)))})</span></div>')
    samples = (
        (
            marks.approximate,
            '<div class="atlas-sym circle approx" style="width:12px;height:12px;--c:#555"></div>',
            "map.approximate",
        ),
        (
            marks.small_partners,
            f'<div class="atlas-partner-dot" style="background:{PROGRAMMES["jcm_partners"].colour}"></div>',
            "map.small_partner",
        ),
        (
            marks.country_level,
            '<div class="atlas-country sample" aria-hidden="true" style="--c:#555"></div>',
            "map.country_level",
        ),
        (
            marks.no_signing_date,
            f'<div class="atlas-partner-dot" style="background:{NO_DATE_COLOUR}"></div>',
            "map.no_signing_date",
        ),
    )
    for shown, sample, key in samples:
        if shown:
            rows.append(
                f'<div class="row"><span class="sw">{sample}</span><span>{html_text(t(key, lang))}</span></div>'
            )
    return rows


def legend_html(rows: list[str], lang: str) -> str:
    """The legend inside a map (presentation, exported file); the map folds it where it is short."""
    title = html_text(t("map.legend", lang))
    return f"<details open><summary><b>{title}</b></summary>{''.join(rows)}</details>"


def legend_strip_html(rows: list[str], lang: str) -> str:
    """The legend under the map on a page, with its own style sheet (the page has none of the map's)."""
    title = html_text(t("map.legend", lang))
    # A disclosure, open: on a phone the page folds it (ui/document.py), so the map and what
    # follows it share the screen; a tap opens it.
    return (
        f"<style>{SYMBOL_CSS}{STRIP_CSS}</style>"
        f'<details class="atlas-legend-fold" open><summary>{title}</summary>'
        f'<div class="atlas-legend strip" role="group" aria-label="{title}">{"".join(rows)}</div></details>'
    )
