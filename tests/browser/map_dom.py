"""How the browser tests read the folium map in its iframe.

Find the map's frame, wait for its basemap and symbols, count what it draws
(symbols by colour, lines by stroke, partner polygons), read its legend and
aim at one marker.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from expected import Expected

# The component's own URL, not its title: the map names its frame for what it shows.
FOLIUM_IFRAME = 'iframe[src*="/streamlit_folium.st_folium/"]'
# The legend is drawn on the page beside the map, so it never covers the data.
PAGE_LEGEND = ".atlas-legend.strip"

# Per programme colour (the symbol's --c), how many DivIcon symbols are drawn,
# and the colour a reader actually sees (fill, ring border or triangle border).
_SYMBOLS_JS = """
() => {
  const out = {};
  document.querySelectorAll('.leaflet-marker-pane .leaflet-marker-icon .atlas-sym').forEach((el) => {
    const colour = el.style.getPropertyValue('--c').trim().toUpperCase();
    const cs = getComputedStyle(el);
    const shape = ['ring', 'triangle', 'diamond', 'square', 'circle'].find((s) => el.classList.contains(s)) || '?';
    // An approximate place is hollow: its colour is in the dashed outline.
    const hollow = shape === 'ring' || el.classList.contains('approx');
    const seen = shape === 'triangle' ? cs.borderBottomColor : hollow ? cs.borderTopColor : cs.backgroundColor;
    const entry = out[colour] || (out[colour] = {count: 0, shapes: {}, seen: {}});
    entry.count += 1;
    entry.shapes[shape] = (entry.shapes[shape] || 0) + 1;
    entry.seen[seen] = (entry.seen[seen] || 0) + 1;
  });
  return out;
}
"""

_LINES_JS = """
() => {
  const out = {};
  document.querySelectorAll('.leaflet-overlay-pane path').forEach((el) => {
    const stroke = (el.getAttribute('stroke') || '').toUpperCase();
    out[stroke] = (out[stroke] || 0) + 1;
  });
  return out;
}
"""

_PATHS_IN_PANE_JS = "(pane) => document.querySelectorAll('.leaflet-' + pane + '-pane path').length"

# Finds a marker by its tooltip text through Leaflet's API, zooms there (as a
# reader would, symbols overlap at the opening zoom), tags the marker's element
# and returns a point inside it that is not covered by a neighbour.
_TARGET_MARKER_JS = """
([tooltip, zoom]) => {
  const map = Object.values(window).find((v) => { try { return v instanceof L.Map; } catch (e) { return false; } });
  if (!map) return {error: 'no Leaflet map in the iframe'};
  let hit = null;
  const seen = [];
  map.eachLayer((l) => {
    if (l instanceof L.Marker && l.getTooltip()) {
      const div = document.createElement('div');
      div.innerHTML = l.getTooltip().getContent();
      const text = div.textContent.trim();
      seen.push(text);
      if (text === tooltip) hit = l;
    }
  });
  if (!hit) return {error: 'no marker with tooltip ' + JSON.stringify(tooltip), seen: seen.slice(0, 200)};
  map.setView(hit.getLatLng(), zoom, {animate: false});
  document.querySelectorAll('[data-atlas-target]').forEach((e) => e.removeAttribute('data-atlas-target'));
  hit._icon.setAttribute('data-atlas-target', '1');
  const r = hit._icon.getBoundingClientRect();
  for (let y = 1; y < r.height; y += 1) {
    for (let x = 1; x < r.width; x += 1) {
      const e = document.elementFromPoint(r.left + x, r.top + y);
      if (e && hit._icon.contains(e)) return {x: x, y: y};
    }
  }
  return {error: 'marker is covered everywhere'};
}
"""


def map_frame(page, index: int = 0, timeout: float = 60_000):
    """The Frame of the n-th folium map on the page, once Leaflet has drawn its container."""
    handle = page.locator(FOLIUM_IFRAME).nth(index)
    handle.wait_for(state="attached", timeout=timeout)
    frame = handle.element_handle(timeout=timeout).content_frame()
    assert frame is not None, "the folium component iframe has no document"
    frame.wait_for_selector(".leaflet-container", state="attached", timeout=timeout)
    return frame


def wait_for_basemap(frame, minimum: int = 100, timeout: float = 60_000) -> int:
    """Wait until the country polygons (fetched from the static folder) are drawn; return their count."""
    frame.wait_for_function(
        f"() => document.querySelectorAll('.leaflet-basemap-pane path').length > {minimum}",
        timeout=timeout,
        polling=100,
    )
    return frame.evaluate(_PATHS_IN_PANE_JS, "basemap")


def wait_for_symbols(page, minimum: int = 1, timeout: float = 30_000) -> None:
    """Wait until the page's first map draws point symbols (they arrive by URL, after the map)."""
    map_frame(page, timeout=timeout).wait_for_function(
        f"() => document.querySelectorAll('.leaflet-marker-pane .atlas-sym').length >= {minimum}",
        timeout=timeout,
        polling=200,
    )


def symbols(frame) -> dict:
    return frame.evaluate(_SYMBOLS_JS)


def lines(frame) -> dict:
    return frame.evaluate(_LINES_JS)


def partner_polygons(frame) -> int:
    return frame.evaluate(_PATHS_IN_PANE_JS, "partners")


def drawn_counts(frame, expected: dict[str, Expected]) -> dict[str, int]:
    """Per map layer key, how many features the DOM shows (markers by colour, lines by stroke)."""
    sym, lin = symbols(frame), lines(frame)
    out = {}
    for key, e in expected.items():
        if e.symbol == "line":
            out[key] = lin.get(e.colour, 0)
        elif e.symbol == "area":
            out[key] = partner_polygons(frame)
        else:
            out[key] = sym.get(e.colour, {}).get("count", 0)
    return out


def wait_for_counts(frame, expected: dict[str, int], colours: dict[str, str], timeout: float = 30_000) -> None:
    """Wait until the markers of each colour number as expected (the map redraws after a rerun)."""
    frame.wait_for_function(
        """([expected]) => {
             const counts = {};
             document.querySelectorAll('.leaflet-marker-pane .atlas-sym').forEach((el) => {
               const c = el.style.getPropertyValue('--c').trim().toUpperCase();
               counts[c] = (counts[c] || 0) + 1;
             });
             return Object.entries(expected).every(([c, n]) => (counts[c] || 0) === n);
           }""",
        arg=[{colours[k]: n for k, n in expected.items()}],
        timeout=timeout,
        polling=100,
    )


def settled_map(
    page,
    counts: dict[str, int],
    colours: dict[str, str],
    index: int = 0,
    timeout: float = 60_000,
    legend: str | None = None,
):
    """The map's frame once its symbols number ``counts``, following the iframe through reruns.

    streamlit-folium replaces its iframe when the map changes (a layer
    toggled, a new language), so a frame taken before a rerun may detach.
    ``legend``, if given, is a text the legend must show too.
    """
    deadline = time.monotonic() + timeout / 1000
    while True:
        frame = map_frame(page, index)
        try:
            wait_for_basemap(frame, timeout=max(1_000, (deadline - time.monotonic()) * 1000))
            wait_for_counts(frame, counts, colours, timeout=max(1_000, (deadline - time.monotonic()) * 1000))
            if legend is not None:
                page.locator(PAGE_LEGEND).nth(index).filter(has_text=legend).wait_for(
                    timeout=max(1_000, (deadline - time.monotonic()) * 1000)
                )
            return frame
        except Exception as exc:  # noqa: BLE001
            if "detached" not in str(exc) or time.monotonic() > deadline:
                raise


def legend_text(page, index: int = 0) -> list[str]:
    """The legend beside the n-th map on the page: its name, then one line per row."""
    legend = page.locator(PAGE_LEGEND).nth(index)
    legend.wait_for(state="attached", timeout=30_000)
    rows = legend.locator(".row").all_text_contents()
    return [legend.get_attribute("aria-label")] + [" ".join(r.split()) for r in rows]


def target_marker(frame, tooltip: str, zoom: int = 9) -> dict:
    """Zoom to the marker whose tooltip reads ``tooltip``; return a clickable point inside it."""
    found = frame.evaluate(_TARGET_MARKER_JS, [tooltip, zoom])
    assert "error" not in found, f"{found['error']}; tooltips seen: {found.get('seen')}"
    return found


def rgb(hex_colour: str) -> str:
    """'#0072B2' -> 'rgb(0, 114, 178)', as getComputedStyle reports colours."""
    h = hex_colour.lstrip("#")
    return "rgb({}, {}, {})".format(*(int(h[i : i + 2], 16) for i in (0, 2, 4)))
