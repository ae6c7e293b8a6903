"""Streamlit widgets of the presentation mode: slide, step controls, keys, take-away downloads.

The step lives in the URL (``?step=N``, 1-based; step 1 is the default and
is left out), the language in ``?lang=``. Buttons have stable keys
(``present_prev``, ``present_next``, ``present_lang``) so the keyboard script
can click them and tests can find them.
"""

from __future__ import annotations

import streamlit as st

from dashboard.charts.figure import for_projector
from dashboard.i18n import LANGS, t
from dashboard.maps.render import render
from dashboard.present import step_maps, steps, takeaway
from dashboard.text import html_text, join_names, t_md
from dashboard.ui import cached, charts, map_view, url_state

STEP_KEY = "step"
MAP_HEIGHT = 560
SLIDE_CHART = charts.CONFIG | {"displayModeBar": False}  # a presenter points at a chart, never zooms it
LANG_NAMES = {"en": "English", "ja": "日本語"}  # each language in its own script, as in layout.language_switch

# Hides Streamlit's chrome (sidebar, its collapsed-sidebar control, header,
# toolbar) and sets slide-sized type. Class names are our own; data-testid
# selectors are Streamlit's.
CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="collapsedControl"], [data-testid="stHeader"], header, [data-testid="stToolbar"],
[data-testid="stDecoration"], [data-testid="stStatusWidget"] { display: none !important; }
[data-testid="stMainBlockContainer"], .block-container { padding: .8rem 2rem .8rem 2rem !important; max-width: 100% !important; }
/* Type scales with the screen width, so a slide keeps its proportions from a laptop to a 1080p projector;
   at 1920 px wide no control or label is below 18 px, to be read from the back of a room. */
h1.present-title { font-size: clamp(1.5rem, 2.3vw, 2.9rem) !important; font-weight: 700 !important; line-height: 1.15 !important;
  color: #1f2933; margin: 0 !important; padding: 0 !important; }
/* A title that wraps (1280 px) or has descenders keeps its height: Streamlit pulls a Markdown block up by its
   bottom margin, and the top row scrolls what overflows, so the second line and the "p" of "partner" were cut. */
.st-key-present_top { overflow: visible !important; }
.st-key-present_top [data-testid="stMarkdownContainer"]:has(> div > h1.present-title),
.st-key-present_top [data-testid="stMarkdownContainer"]:has(h1.present-title) { margin-bottom: 0 !important; }
.present-caption { font-size: clamp(1rem, 1.3vw, 1.65rem); line-height: 1.42; color: #1f2933; }
.present-figure { text-align: right; }
.present-figure .value { font-size: clamp(2.3rem, 4.3vw, 5.2rem); font-weight: 800; line-height: 1; color: #1b6f6a;
  font-variant-numeric: tabular-nums; white-space: nowrap; }
.present-figure.date .value { font-size: clamp(1.7rem, 3vw, 3.7rem); }
.present-figure .label { font-size: clamp(1rem, 1.15vw, 1.45rem); line-height: 1.3; color: #1f2933; margin-top: .3rem; }
.present-step { font-size: clamp(1rem, 1.1vw, 1.35rem); color: #5b6770; font-weight: 600; white-space: nowrap; }
.present-chart-note { font-size: clamp(.75rem, .85vw, 1.05rem); line-height: 1.35; color: #5b6770; }
.present-chart-note summary { cursor: pointer; color: #1f2933; }
.present-note, .present-foot-label, .st-key-present_foot [data-testid="stCaptionContainer"] {
  font-size: clamp(.85rem, 1vw, 1.25rem) !important; line-height: 1.35; color: #5b6770; }
.present-foot-label { font-weight: 600; white-space: nowrap; }
/* Streamlit pulls a markdown block up by its paragraph's margin; these blocks have none, and their
   last line would be cut at the screen's bottom edge. */
.st-key-present_foot [data-testid="stMarkdownContainer"] { margin-bottom: 0 !important; }
.st-key-present_foot { overflow: visible !important; }
/* Streamlit's buttons and page link are 14 px: too small on a projector. */
.st-key-present_top button, .st-key-present_top button p, .st-key-present_top [data-testid="stPageLink"] a,
.st-key-present_top [data-testid="stPageLink"] p, .st-key-present_foot button, .st-key-present_foot button p {
  font-size: clamp(.95rem, 1.1vw, 1.35rem) !important; }
.st-key-present_top [data-testid="stIconMaterial"], .st-key-present_foot [data-testid="stIconMaterial"] {
  font-size: clamp(1.1rem, 1.25vw, 1.5rem) !important; }
.st-key-present_map iframe { min-height: 200px; }
/* The chart beside the map takes the map's height (set by the page script below). */
.st-key-present_chart, .st-key-present_chart_narrow { min-height: 200px; overflow: hidden; }
/* 18 px chart labels for a 1920-wide screen, the page's own type below 1600 px (see chart()). */
@media (max-width: 1599px) { .st-key-present_chart, div:has(> .st-key-present_chart) { display: none !important; } }
@media (min-width: 1600px) {
  .st-key-present_chart_narrow, div:has(> .st-key-present_chart_narrow) { display: none !important; } }
</style>
"""

# Arrow keys (and a clicker's Page Up / Page Down) click the Previous / Next
# buttons, found by their keys' CSS class at each key press, so the listener
# never holds a stale button across reruns. st.html runs the script in the
# app's own document (st.components.v1.html, an iframe reaching into
# window.parent, is deprecated in this Streamlit); the script may run again on
# every rerun, and the window flag keeps it to one listener.
KEYS_JS = """
<script>
(function () {
  if (window.__atlasPresentKeys) { return; }
  window.__atlasPresentKeys = true;
  // Below this map height (a 1280 x 720 screen) the chart's notes fold, or its rows would be squeezed.
  const FOLD_NOTES_BELOW = 560;
  const keys = {ArrowRight: "present_next", PageDown: "present_next", ArrowLeft: "present_prev", PageUp: "present_prev"};
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || event.defaultPrevented) { return; }
    const target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) { return; }
    const key = keys[event.key];
    const button = key && document.querySelector(".st-key-" + key + " button");
    if (!button || button.disabled) { return; }
    event.preventDefault();
    button.click();
  });
  // The map (and the chart beside it) take the rest of the screen between the
  // caption and the foot line (notes, take-away downloads), whatever the screen:
  // the frame grows or shrinks by what the page's bottom edge overshoots the
  // window. Streamlit replaces the iframe on every step, so the size is
  // re-applied whenever the page changes.
  const fit = function () {
    const frame = document.querySelector(".st-key-present_map iframe");
    const foot = document.querySelector(".st-key-present_foot");
    const block = document.querySelector('[data-testid="stMainBlockContainer"]');
    if (!frame || !foot || !block) { return; }
    const padding = parseFloat(getComputedStyle(block).paddingBottom) || 0;
    const main = document.querySelector('[data-testid="stMain"]');
    const scrolled = (main ? main.scrollTop : 0) + window.scrollY;
    const overshoot = foot.getBoundingClientRect().bottom + scrolled + padding - window.innerHeight;
    const now = frame.getBoundingClientRect().height;
    const height = Math.max(200, Math.floor(now - overshoot)) + "px";
    if (frame.style.height !== height) { frame.style.setProperty("height", height, "important"); }
    // Of the two charts (one for a wide screen, one for a smaller), the style sheet shows one.
    const chart = [...document.querySelectorAll(".st-key-present_chart, .st-key-present_chart_narrow")]
      .find((box) => getComputedStyle(box).display !== "none");
    const note = document.querySelector(".present-chart-note");
    // Notes open only where the map is tall enough to leave the chart its rows beside them.
    const roomy = parseFloat(height) >= FOLD_NOTES_BELOW;
    if (note && note.open !== roomy && !note.dataset.reader) { note.open = roomy; }
    if (note && !note.dataset.watched) {
      note.dataset.watched = "1";
      // A reader's own click on the summary wins over the fitting.
      note.querySelector("summary").addEventListener("click", function () { note.dataset.reader = "1"; soon(); });
    }
    const chartHeight = note ? Math.max(160, parseFloat(height) - note.getBoundingClientRect().height - 16) + "px" : height;
    if (chart && chart.style.height !== chartHeight) {
      // Streamlit fixes the height of a fixed-height container's wrapper too, and caps both with a max-height.
      for (const box of [chart, chart.parentElement]) {
        for (const prop of ["height", "max-height", "min-height"]) { box.style.setProperty(prop, chartHeight, "important"); }
      }
    }
  };
  let queued = false;
  const soon = function () {
    if (queued) { return; }
    queued = true;
    requestAnimationFrame(function () { queued = false; fit(); });
  };
  window.addEventListener("resize", soon);
  new MutationObserver(soon).observe(document.body, {childList: true, subtree: true, attributes: true, attributeFilter: ["style"]});
  soon();
})();
</script>
"""


# -- data (cached per server) -----------------------------------------------------------------
def load(table_id: str):
    """Table loader for the steps' headline functions (cached by :func:`dashboard.ui.cached.table`)."""
    return cached.table(table_id)


def frames() -> dict:
    return {lid: frame for lid, (_, frame) in cached.layers().items()}


@st.cache_resource(show_spinner=False, max_entries=32)
def step_map(step_id: str, lang: str):
    """The folium map of a step, built once per step and language."""
    step = steps.STEPS[steps.STEP_IDS.index(step_id)]
    # Rendered once into strings (dashboard.maps.render): only immutable values are shared.
    return render(step_maps.step_map(step, frames(), lang, world=cached.world(), load=load))


@st.cache_data(show_spinner=False, max_entries=64)
def chart_file(step_id: str, lang: str, fmt: str) -> bytes:
    """Chart image bytes, made on the first download and kept."""
    step = steps.STEPS[steps.STEP_IDS.index(step_id)]
    return takeaway.chart_bytes(step, lang, fmt, load_fn=load) or b""


@st.cache_data(show_spinner=False, max_entries=32)
def map_file(step_id: str, lang: str) -> bytes:
    step = steps.STEPS[steps.STEP_IDS.index(step_id)]
    return takeaway.map_html(step, lang, frames=frames(), load_fn=load)


@st.cache_resource(show_spinner=False, max_entries=32)
def chart(step_id: str, lang: str):
    """The step's chart for a wide and for a smaller screen, and its notes (the downloads keep the page's type).

    Plotly's type is in pixels, fixed when the figure is made: 18 px labels suit a
    1920-wide projector but crowd a 1280 × 720 one, where the page's own sizes
    read as large. The slide carries both figures and the style sheet shows one.
    """
    step = steps.STEPS[steps.STEP_IDS.index(step_id)]
    fig = takeaway.chart_figure(step, lang, load_fn=load)
    if fig is None:
        return None, None, []
    wide, notes = for_projector(fig)
    narrow, _ = for_projector(fig, scale=1, minimum=0)
    return wide, narrow, notes


# -- URL state --------------------------------------------------------------------------------
def current_step() -> int:
    """The step number in the URL (1-based); an invalid one falls back to 1 with a notice."""
    allowed = [str(n) for n in range(1, len(steps.STEPS) + 1)]
    value = int(url_state.query_value(STEP_KEY, "1", allowed))
    if st.query_params.get(STEP_KEY) == "1":
        del st.query_params[STEP_KEY]  # the default stays out of the URL
    return value


def _go(number: int) -> None:
    url_state.set_query(**{STEP_KEY: None if number == 1 else number})


def _switch_language(lang: str) -> None:
    st.query_params["lang"] = lang  # the sidebar's language radio follows the URL (url_state.bound)


# -- widgets ----------------------------------------------------------------------------------
def hide_chrome() -> None:
    """Hide the sidebar, header and toolbar; set slide-sized type."""
    st.markdown(CSS, unsafe_allow_html=True)


def keyboard() -> None:
    """Install the ←/→ (and Page Up/Down) listener in the page, once."""
    st.html(KEYS_JS, unsafe_allow_javascript=True, width="content")


def controls(number: int, lang: str) -> None:
    """Previous / n of N / Next, the language toggle and the way out, on one line."""
    total = len(steps.STEPS)
    st.button(
        t("present.previous", lang),
        key="present_prev",
        icon=":material/arrow_back:",
        disabled=number <= 1,
        on_click=_go,
        args=(number - 1,),
    )
    st.markdown(
        f'<span class="present-step">{html_text(t("present.step_of", lang, n=number, total=total))}</span>',
        unsafe_allow_html=True,
        width="content",
    )
    st.button(
        t("present.next", lang),
        key="present_next",
        icon=":material/arrow_forward:",
        icon_position="right",
        disabled=number >= total,
        on_click=_go,
        args=(number + 1,),
        type="primary",
    )
    other = next(code for code in LANGS if code != lang)
    st.button(
        LANG_NAMES[other], key="present_lang", icon=":material/translate:", on_click=_switch_language, args=(other,)
    )
    st.page_link(
        "pages/overview.py", label=t("present.exit", lang), icon=":material/close:", query_params={"lang": lang}
    )


def slide(number: int, lang: str) -> None:
    """One screen: title and controls; caption and headline figure; map and chart; notes and downloads.

    Everything fits the window without scrolling (the page script sizes the
    map and the chart to what the other rows leave).
    """
    step = steps.step_at(number)
    texts = steps.texts(step, load, lang)
    # Not wrapped: a long title breaks into lines beside the controls rather than pushing them onto a row of their own.
    with st.container(horizontal=True, vertical_alignment="center", gap="small", key="present_top", wrap=False):
        st.markdown(
            f'<h1 class="present-title">{html_text(texts["title"])}</h1>', unsafe_allow_html=True, width="stretch"
        )
        controls(number, lang)
    left, right = st.columns([5, 2], gap="large", vertical_alignment="top")
    with left:
        st.markdown(f'<div class="present-caption">{html_text(texts["caption"])}</div>', unsafe_allow_html=True)
    with right:
        kind = "date" if texts["figure_kind"] == "date" else "number"
        st.markdown(
            f'<div class="present-figure {kind}"><div class="value">{html_text(texts["figure"])}</div>'
            f'<div class="label">{html_text(texts["figure_label"])}</div></div>',
            unsafe_allow_html=True,
        )
    fig, narrow_fig, chart_notes = chart(step.id, lang)
    # A chart goes beside the map, not under it: below, it would be off a 16:9 screen.
    map_area, chart_area = st.columns([3, 2], gap="medium") if fig is not None else (st.container(), None)
    with map_area, st.container(key="present_map"):
        map_view.show_map(
            step_map(step.id, lang),
            key=f"present_map_{step.id}_{lang}",
            height=MAP_HEIGHT,
        )
    if chart_area is not None:
        # A fixed height lets the chart stretch to its box; the page script then sets the box to the map's height.
        for box, figure in (("present_chart", fig), ("present_chart_narrow", narrow_fig)):
            with chart_area, st.container(key=box, height=MAP_HEIGHT, border=False):
                st.plotly_chart(
                    figure,
                    key=f"{box}_{step.id}_{lang}",
                    height="stretch",
                    config=SLIDE_CHART,
                    alt=charts.alt_text(figure, lang),
                )
        with chart_area:
            # The page script gives the chart what the map's height leaves above these lines.
            # A <details>: where the screen is short (1280 x 720) the page script folds it, so the chart keeps
            # the height its rows need; the notes and source stay a click away.
            st.markdown(
                '<details class="present-chart-note" open><summary>'
                + html_text(t("present.chart_notes", lang))
                + "</summary>"
                + "<br>".join(html_text(line) for line in chart_notes)
                + "</details>",
                unsafe_allow_html=True,
            )
    with st.container(horizontal=True, vertical_alignment="center", gap="medium", key="present_foot", wrap=False):
        notes(step, lang)
        takeaway_section(step, lang, has_chart=fig is not None)


def notes(step: steps.Step, lang: str) -> None:
    """What the map cannot show, and how many symbols are approximate."""
    parts = []
    missing = step_maps.not_shown(step, frames(), lang)
    if missing:
        parts.append(t("present.not_shown", lang, names=join_names(missing, lang)))
    approx, total = step_maps.approximate_share(step, frames())
    if approx:
        parts.append(t("present.approximate", lang, approx=approx, total=total))
    parts.append(t("present.keys_hint", lang))
    st.markdown(
        f'<div class="present-note">{html_text(" · ".join(parts))}</div>', unsafe_allow_html=True, width="stretch"
    )


def takeaway_section(step: steps.Step, lang: str, has_chart: bool) -> None:
    """Deferred downloads of the step: map HTML, chart PNG/SVG (made on the first click)."""
    problem = takeaway.image_export_problem() if has_chart else None
    with st.container(horizontal=True, vertical_alignment="center", gap="small", width="content"):
        st.markdown(
            f'<span class="present-foot-label">{html_text(t("present.takeaway", lang))}</span>',
            unsafe_allow_html=True,
            width="content",
        )
        st.download_button(
            t("present.download_map", lang),
            data=lambda: map_file(step.id, lang),
            file_name=takeaway.filename(step, lang, "html"),
            mime=takeaway.MIME["html"],
            key="present_dl_map",
            on_click="ignore",
            icon=":material/download:",
        )
        if has_chart and problem is None:
            for fmt in ("png", "svg"):
                st.download_button(
                    t(f"present.download_{fmt}", lang),
                    data=lambda f=fmt: chart_file(step.id, lang, f),
                    file_name=takeaway.filename(step, lang, fmt),
                    mime=takeaway.MIME[fmt],
                    key=f"present_dl_{fmt}",
                    on_click="ignore",
                    icon=":material/download:",
                )
        if problem:
            st.caption(t_md("present.no_images", lang, reason=problem), width="content")
        if not has_chart:
            st.caption(t("present.no_chart", lang), width="content")
