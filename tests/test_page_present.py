"""Presentation page through AppTest: every step in both languages, Next/Previous,
invalid steps, the language toggle and ``?present=1`` routing."""

from __future__ import annotations

import html
import json
from functools import cache

import pytest
from apptest_helpers import ignored, run_page, shown
from streamlit.testing.v1 import AppTest

from dashboard.i18n import t
from dashboard.io import load_table
from dashboard.present import steps

PAGE = "pages/present.py"
TIMEOUT = 90  # seconds a run of the app may take
N = len(steps.STEPS)


@cache
def table(table_id):
    return load_table(table_id)


def texts(number: int, lang: str) -> dict:
    return steps.texts(steps.step_at(number), table, lang)


def markdown(at: AppTest) -> str:
    return "\n".join(html.unescape(m.value) for m in at.markdown)


def shown_step(at: AppTest, lang: str) -> int:
    """The step whose title the page shows (exactly one must match)."""
    shown = markdown(at)
    hits = [n for n in range(1, N + 1) if f'class="present-title">{texts(n, lang)["title"]}<' in shown]
    assert len(hits) == 1, f"expected one step title, found steps {hits}"
    return hits[0]


def assert_step(at: AppTest, number: int, lang: str) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert shown_step(at, lang) == number
    expected = texts(number, lang)
    shown = markdown(at)
    assert expected["caption"] in shown
    assert f'<div class="value">{expected["figure"]}</div>' in shown
    assert expected["figure_label"] in shown
    assert t("present.step_of", lang, n=number, total=N) in shown
    # The chrome is hidden while presenting.
    assert '[data-testid="stSidebar"]' in at.markdown[0].value


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("number", range(1, N + 1))
def test_every_step_by_url(number, lang):
    at = run_page(PAGE, lang, timeout=TIMEOUT, step=number)
    assert_step(at, number, lang)
    assert not at.warning, "a valid step gives no notice"
    assert at.button(key="present_prev").disabled == (number == 1)
    assert at.button(key="present_next").disabled == (number == N)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_next_and_previous_walk_the_story(lang):
    at = run_page(PAGE, lang, timeout=TIMEOUT)
    assert_step(at, 1, lang)
    assert "step" not in at.query_params, "step 1 is the default and stays out of the URL"
    for number in range(2, N + 1):
        at.button(key="present_next").click().run()
        assert_step(at, number, lang)
        assert at.query_params["step"] == str(number)
    at.button(key="present_prev").click().run()
    assert_step(at, N - 1, lang)
    assert at.query_params["step"] == str(N - 1)


@pytest.mark.parametrize("bad", ["0", "99", "abc", "-1", "2.5"])
def test_invalid_step_falls_back_to_step_1_with_a_notice(bad):
    at = run_page(PAGE, "en", timeout=TIMEOUT, step=bad)
    assert_step(at, 1, "en")
    assert len(at.warning) == 1
    assert ignored("step", bad) in shown(at.warning[0].value)
    assert "step" not in at.query_params


def test_language_switch_keeps_the_step():
    at = run_page(PAGE, "en", timeout=TIMEOUT, step=4)
    assert_step(at, 4, "en")
    assert at.button(key="present_lang").label == "日本語"
    at.button(key="present_lang").click().run()
    assert at.query_params["lang"] == "ja"
    assert_step(at, 4, "ja")
    at.run()  # a further rerun (the app's own language radio) must not switch back
    assert_step(at, 4, "ja")
    at.button(key="present_lang").click().run()
    assert_step(at, 4, "en")


def test_present_query_opens_the_presentation_from_any_page():
    at = run_page(None, "ja", timeout=TIMEOUT, present="1", step="3")  # the default page (overview) ...
    assert_step(at, 3, "ja")
    at.switch_page("pages/map_explorer.py")
    at.run()  # ... and the map explorer both open the presentation
    assert_step(at, 3, "ja")
    assert at.query_params["present"] == "1"
    assert at.query_params["step"] == "3"


def test_without_present_the_map_page_stays_the_map():
    at = run_page("pages/map_explorer.py", "en", timeout=TIMEOUT)
    assert not at.exception
    assert 'class="present-title"' not in markdown(at)


def test_map_and_downloads_are_offline_and_deferred():
    at = run_page(PAGE, "en", timeout=TIMEOUT, step=6)
    assert not at.exception
    maps = [n for n in at.main if getattr(n, "type", "") == "component_instance" and "map_div" in n.proto.json_args]
    assert len(maps) == 1
    args = json.loads(maps[0].proto.json_args)
    links = args["js_links"] + args["css_links"]
    assert links and not [u for u in links if u.startswith(("http:", "https:", "//"))], links
    assert "fitBounds" in args["script"]
    buttons = at.get("download_button")
    assert {b.key for b in buttons} == {"present_dl_map", "present_dl_png", "present_dl_svg"}
    for b in buttons:  # made only when clicked, and the click does not rerun the page
        assert b.proto.deferred_file_id and not b.proto.url and b.proto.ignore_rerun, b.proto
    labels = sorted(el.proto.label for el in buttons)
    assert labels == sorted(t(f"present.download_{k}", "en") for k in ("map", "png", "svg"))


def test_step_without_chart_offers_only_the_map():
    at = run_page(PAGE, "en", timeout=TIMEOUT, step=N)
    labels = [el.proto.label for el in at.get("download_button")]
    assert labels == [t("present.download_map", "en")]
    assert t("present.no_chart", "en") in [c.value for c in at.caption]


def _blocks(node):
    """The page's blocks in order, each with the types (and keys) of everything inside it."""
    kids = getattr(node, "children", None)
    if not kids:
        return []
    out = [(node, list(_leaves(node)))]
    for child in kids.values():
        out += _blocks(child)
    return out


def _leaves(node):
    kids = getattr(node, "children", None)
    if not kids:
        yield node.type, getattr(node, "key", None)
        return
    for child in kids.values():
        yield from _leaves(child)


def test_chart_stands_beside_the_map_and_downloads_share_the_note_line():
    # Below the map, the chart and the downloads were off a 16:9 screen.
    at = run_page(PAGE, "en", timeout=TIMEOUT, step=5)
    rows = [leaves for _, leaves in _blocks(at.main)[1:]]
    kinds = [[kind for kind, _ in leaves] for leaves in rows]
    # The chart twice (type for a 1920-wide screen and for a smaller one; the style sheet shows one), then its notes.
    assert ["component_instance", "plotly_chart", "plotly_chart", "markdown"] in kinds, kinds
    assert ["markdown", "markdown", "download_button", "download_button", "download_button"] in kinds, kinds
