"""What the page tests share: the page list, the one way to open a page in AppTest, and readers of what it shows."""

import asyncio
import concurrent.futures
import json
import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard.ui.pages import PAGES

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def page_files() -> list[str]:
    """Every page of the app, as 'pages/<stem>.py', in the order the app lists them."""
    return [page.path for page in PAGES]


def run_page(page: str | None, lang: str = "en", *, timeout: float = 60, **params) -> AppTest:
    """Run ``page`` (e.g. 'pages/jcm.py'; None: the app's default page) with ``?lang=`` and other query
    parameters, each run allowed ``timeout`` seconds; fail on an exception."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.query_params["lang"] = lang
    for key, value in params.items():
        at.query_params[key] = str(value)
    if page is not None:
        at.switch_page(page)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def figures(at: AppTest) -> dict[str, dict]:
    """chart_id → plotly figure JSON of every chart on the page."""
    out = {}
    for el in at.get("plotly_chart"):
        spec = json.loads(el.proto.spec)
        out[spec["layout"]["meta"]["chart_id"]] = spec
    return out


# Tables without row selection are not widgets and carry no key in AppTest: found by a column only they have.
UNKEYED = {"mc_years_table": ("Country", "国"), "about_precision": ("exact", "正確")}


def frame(at: AppTest, key: str):
    """The rows of the table ``key`` on the page."""
    for df in at.dataframe:
        if getattr(df, "key", None) == key:
            return df.value
    for df in at.dataframe:
        if getattr(df, "key", None) is None and set(UNKEYED.get(key, ())) & set(df.value.columns):
            return df.value
    raise AssertionError(f"no dataframe {key!r}; keys: {[getattr(d, 'key', None) for d in at.dataframe]}")


def shown(markdown: str) -> str:
    """What a reader sees of a Markdown source the app escaped (backslashes and entities undone)."""
    import html

    return html.unescape(re.sub(r"\\(.)", r"\1", markdown)).replace("\u2060", "")  # word joiners are invisible


def ignored(key: str, value: str, lang: str = "en") -> str:
    """How the URL notice names an ignored value, as a reader sees it (a filter by its sidebar label)."""
    from dashboard.filters import FACETS_BY_ID
    from dashboard.i18n import t

    name = t(FACETS_BY_ID[key].label_key, lang) if key in FACETS_BY_ID else key
    return f"{name}: ignored “{value}”" if lang == "en" else f"{name}：「{value}」を無視"


def filter_chips(at: AppTest) -> list[str]:
    """The labels of the chips under a page's title, one per chosen filter value ("Indonesia ✕")."""
    return [shown(b.label) for b in at.button if (b.key or "").startswith("chip_")]


_LAYER_URL = re.compile(r"_atlas/layers/([0-9a-f]{32})\.json")
_INLINE_POINTS = '{"data": {"rows": '


def point_rows(script: str) -> list[list]:
    """The rows of a map's point layers (:mod:`dashboard.maps.point_layer`), with their symbols' HTML.

    A layer carries its rows inline (a map built without a layer store) or
    fetches them by URL from the process's layer store (the app's maps); each
    row is returned with its symbol's HTML in place of the symbol's index.
    """
    from dashboard.maps.layer_store import STORE

    documents = []
    for name in _LAYER_URL.findall(script):
        entry = STORE.get(name)
        assert entry is not None, f"the map fetches layer data {name} the store does not hold"
        documents.append(json.loads(entry[0]))
    decoder = json.JSONDecoder()
    start = script.find(_INLINE_POINTS)
    while start != -1:
        options, end = decoder.raw_decode(script, start)
        documents.append(options["data"])
        start = script.find(_INLINE_POINTS, end)
    return [[*row[:2], doc["symbols"][row[2]][0], *row[3:]] for doc in documents for row in doc["rows"]]


def markers_drawn(script: str) -> int:
    """How many markers a map's script draws: folium's own and the rows of its point layers."""
    # The point layers' template makes all its markers with one call, not counted as one here.
    return script.count("L.marker(") - script.count("L.marker([r[0], r[1]]") + len(point_rows(script))


def run_outside_any_loop(coroutine):
    """Run a coroutine (an ASGI call) to its end in a thread of its own.

    ``asyncio.run`` refuses to start where a loop is running, and after the
    browser suite Playwright's loop is running in the test process.
    """
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
