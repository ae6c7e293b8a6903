"""Files a presenter takes away: a step's chart as PNG/SVG and its map as one HTML file.

Pure (no Streamlit). Charts are drawn by :mod:`dashboard.charts` (the same
figures the pages show) and exported with kaleido 1.x, which drives a local
Chromium. Two settings keep that offline:

* ``mathjax=False``: kaleido's default page loads MathJax from a CDN; our
  charts use no LaTeX, so it is switched off instead of fetched.
* plotly.js comes from the plotly package itself (kaleido's default when
  plotly is installed), as a ``file://`` script.

kaleido finds the browser through choreographer: ``BROWSER_PATH`` if set,
then a browser choreographer downloaded (none here), then ``chromium``,
``google-chrome``... on ``PATH`` (Debian's ``/usr/bin/chromium``).

The map is :func:`dashboard.present.step_maps.step_map` passed through
:func:`dashboard.maps.standalone.inline_html`: every script, style sheet and the
basemap GeoJSON are inside the file, so it opens from ``file://`` with no
server and no internet.
"""

from __future__ import annotations

import copy
import html
from collections.abc import Mapping
from functools import cache, lru_cache

import geopandas as gpd
import pandas as pd
from branca.element import Element

from dashboard.catalog import STATIC_DIR
from dashboard.i18n import t
from dashboard.present import step_maps, steps

#: Options for :class:`kaleido.Kaleido`: no MathJax (it would come from a CDN).
KALEIDO_OPTIONS: dict = {"mathjax": False}
#: Exported chart width in CSS pixels; PNGs are drawn at ``PNG_SCALE`` times that.
EXPORT_WIDTH = 1200
PNG_SCALE = 2
EXPORT_FONT = 14
EXPORT_TITLE_FONT = 22
EXPORT_TITLE_LINE_PX = 29
EXPORT_TITLE_WIDTH = 96  # Latin-character widths of 22 px type in a 1200 px image
EXPORT_NOTE_FONT = 13
EXPORT_PAD = 28
FORMATS = ("png", "svg")
MIME = {"png": "image/png", "svg": "image/svg+xml", "html": "text/html"}


class ExportError(RuntimeError):
    """A chart image could not be made (no browser, kaleido missing or failing)."""


# -- data --------------------------------------------------------------------------------------
@cache
def _table(table_id: str) -> pd.DataFrame:
    from dashboard.io import load_table

    return load_table(table_id)


def load(table_id: str) -> pd.DataFrame:
    """A typed table, read once per process (callers must not mutate it)."""
    return _table(table_id)


@lru_cache(maxsize=1)
def _frames() -> dict[str, gpd.GeoDataFrame]:
    from dashboard.io import load_layers

    return {lid: frame for lid, (_, frame) in load_layers().items()}


@lru_cache(maxsize=1)
def world() -> gpd.GeoDataFrame:
    """The basemap countries (for map labels)."""
    from dashboard.io import load_world

    return load_world()


# -- charts ------------------------------------------------------------------------------------
def chart_frames(step: steps.Step, tables: tuple[str, ...], load_fn=load) -> dict[str, pd.DataFrame]:
    """The chart's tables, with the step's ``chart_where`` rows kept."""
    frames = {}
    for tid in tables:
        frame = load_fn(tid)
        for table_id, column, value in step.chart_where:
            if table_id == tid:
                frame = frame[frame[column] == value]
        frames[tid] = frame
    return frames


def chart_figure(step: steps.Step, lang: str, load_fn=load):
    """The step's chart as a plotly figure, or None when the step has none.

    Parameters
    ----------
    step : dashboard.present.steps.Step
    lang : str
    load_fn : callable, optional
        Table loader (``table_id -> DataFrame``).

    Returns
    -------
    plotly.graph_objects.Figure or None
        None when the step names no chart or :mod:`dashboard.charts` has no
        builder of that id.
    """
    if not step.chart:
        return None
    from dashboard.charts import CHARTS  # lazy: plotly is only needed for charts

    spec = CHARTS.get(step.chart)
    if spec is None:
        return None
    fig = spec.build(chart_frames(step, spec.tables, load_fn), lang)
    if step.chart_title_key:
        from dashboard.charts.figure import retitle

        # Wrapped and given room like the builder's own title, so it fits a phone and clears the legend.
        retitle(fig, t(step.chart_title_key, lang), lang)
    return fig


def source_text(fig) -> str:
    """Text of the chart's notes/source annotation ('' if it has none)."""
    for ann in fig.layout.annotations or ():
        if ann.name == "notes":
            return ann.text or ""
    return ""


def for_export(fig, title: str, source: str, width: int = EXPORT_WIDTH):
    """A copy of ``fig`` ready to stand alone as an image: title and source line in the layout.

    The chart builders already set both; this only fills what is missing, so
    an image can never leave without saying what it shows and where it comes
    from.
    """
    from dashboard.charts.figure import add_notes  # lazy: plotly is only needed for charts

    fig = copy.deepcopy(fig)
    if not (fig.layout.title and fig.layout.title.text):
        fig.update_layout(title=dict(text=title, x=0, xanchor="left"))
    elif (fig.layout.meta or {}).get("title_lines"):
        from dashboard.charts.figure import retitle  # lazy: plotly is only needed for charts

        # An image is as wide as a slide, so its title need not be wrapped for a phone; its
        # larger type takes taller lines, and the room above the legend and plot grows with them.
        lang = fig.layout.meta.get("lang", "en")
        text = fig.layout.title.text.replace("<br>", "" if lang == "ja" else " ")
        retitle(fig, text, lang, EXPORT_TITLE_LINE_PX, EXPORT_TITLE_WIDTH)
    if not source_text(fig):
        bottom = (fig.layout.margin.b or 40) + 40
        add_notes(fig, source, yshift=-bottom + 30)
        fig.update_layout(margin=dict(b=bottom))
    # Slide-sized type: an image is pasted into slides and documents at about
    # its own width, where the screen sizes of the builders (11-12 px) are too small.
    margin = fig.layout.margin
    top = max(margin.t or 0, 80)
    bottom = (margin.b or 0) + 24
    fig.update_layout(
        width=width,
        # The margins grow for the larger type; the figure grows with them, so the plot keeps its height.
        height=(fig.layout.height or 500) + (top - (margin.t or 0)) + (bottom - (margin.b or 0)),
        paper_bgcolor="#ffffff",
        font=dict(size=max(fig.layout.font.size or 12, EXPORT_FONT)),
        title=dict(font=dict(size=EXPORT_TITLE_FONT), pad=dict(l=EXPORT_PAD)),
        margin=dict(
            l=max(margin.l or 0, EXPORT_PAD),
            r=max(margin.r or 0, EXPORT_PAD),
            t=top,
            b=bottom,
        ),
    )
    for ann in fig.layout.annotations or ():
        if ann.name == "notes":
            ann.font.size = EXPORT_NOTE_FONT
    return fig


def browser_path() -> str | None:
    """The Chromium kaleido will drive, found as kaleido finds it; None when there is none."""
    try:
        from choreographer.browsers.chromium import Chromium
    except ImportError:
        return None
    return Chromium.find_browser(skip_local=False)


def image_export_problem() -> str | None:
    """Why chart images cannot be made here, or None when they can (kaleido and a browser are present)."""
    try:
        import kaleido  # noqa: F401
    except ImportError:
        return "the 'kaleido' package is not installed"
    if browser_path() is None:
        return "no Chromium or Chrome browser was found (set BROWSER_PATH)"
    return None


def figure_bytes(fig, fmt: str, scale: float | None = None) -> bytes:
    """Render a figure with kaleido ('png' or 'svg').

    Raises
    ------
    ExportError
        When kaleido or a Chromium browser is not available, naming which.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r} is not one of {FORMATS}")
    try:
        import kaleido
    except ImportError as err:  # pragma: no cover - requirements.txt pins it
        raise ExportError("the 'kaleido' package is not installed") from err
    scale = scale if scale is not None else (PNG_SCALE if fmt == "png" else 1)
    opts = {
        "format": fmt,
        "width": fig.layout.width or EXPORT_WIDTH,
        "height": fig.layout.height or 500,
        "scale": scale,
    }
    try:
        return kaleido.calc_fig_sync(fig.to_dict(), opts=opts, kopts=dict(KALEIDO_OPTIONS))
    except Exception as err:  # noqa: BLE001 - choreographer/kaleido raise many kinds
        raise ExportError(f"kaleido could not render the chart: {type(err).__name__}: {err}") from err


def chart_bytes(step: steps.Step, lang: str, fmt: str, load_fn=load) -> bytes | None:
    """The step's chart as PNG or SVG bytes, title and source line included; None if no chart."""
    fig = chart_figure(step, lang, load_fn)
    if fig is None:
        return None
    title = steps.texts(step, load_fn, lang)["title"]
    return figure_bytes(for_export(fig, title, t(step.map_source_key, lang)), fmt)


def chart_png(step: steps.Step, lang: str) -> bytes | None:
    """PNG of the step's chart (2x for projectors and documents)."""
    return chart_bytes(step, lang, "png")


def chart_svg(step: steps.Step, lang: str) -> bytes | None:
    """SVG of the step's chart (text stays text)."""
    return chart_bytes(step, lang, "svg")


# -- maps --------------------------------------------------------------------------------------
def map_html(step: steps.Step, lang: str, frames: Mapping[str, gpd.GeoDataFrame] | None = None, load_fn=load) -> bytes:
    """The step's map as one self-contained HTML file (UTF-8).

    Parameters
    ----------
    step : dashboard.present.steps.Step
    lang : str
    frames : mapping, optional
        layer_id -> GeoDataFrame; default every layer, read once.
    load_fn : callable, optional
        Table loader for the captions and partner shading.

    Returns
    -------
    bytes
        An HTML page with the step's title, caption and source in a panel over
        the map; it loads nothing from a server or the internet.

    Example
    -------
    >>> page = map_html(steps.STEPS[0], "en")
    >>> page.startswith(b"<!DOCTYPE html>")
    True
    """
    from dashboard.maps.standalone import inline_html

    frames = frames if frames is not None else _frames()
    fmap = step_maps.step_map(step, frames, lang, world=world(), load=load_fn)
    texts = steps.texts(step, load_fn, lang)
    root = fmap.get_root()
    root.title = html.escape(texts["title"])
    root.html.add_child(Element(step_maps.title_box(texts["title"], texts["caption"], t(step.map_source_key, lang))))
    page = inline_html(fmap, STATIC_DIR)
    return page.encode("utf-8")


def filename(step: steps.Step, lang: str, ext: str) -> str:
    """'atlas_step7_model_projects_ja.png'."""
    number = steps.STEP_IDS.index(step.id) + 1
    return f"atlas_step{number}_{step.id}_{lang}.{ext}"
