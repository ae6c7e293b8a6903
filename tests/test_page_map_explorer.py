"""Map explorer page through AppTest: the map in both languages, URL state, filters and details."""

import json

import pytest
from apptest_helpers import filter_chips, ignored, markers_drawn, run_page, shown
from streamlit.testing.v1 import AppTest

from dashboard.i18n import country_name, t

PAGE = "pages/map_explorer.py"
TIMEOUT = 120  # seconds a run of the map page may take


def map_script(at: AppTest) -> str:
    [component] = [
        n for n in at.main if type(n).__name__ == "UnknownElement" and "map_div" in (n.proto.json_args or "")
    ]
    return json.loads(component.proto.json_args)["script"]


@pytest.mark.parametrize("lang,title", [("en", "Map explorer"), ("ja", "地図")])
def test_renders_in_both_languages(lang, title):
    at = run_page(PAGE, lang, timeout=TIMEOUT)
    assert at.title[0].value == title
    assert len(map_script(at)) > 1000


def test_filter_in_url_narrows_the_map_and_survives_reruns():
    everything = markers_drawn(map_script(run_page(PAGE, timeout=TIMEOUT)))
    at = run_page(PAGE, timeout=TIMEOUT, country="IDN", layers="model_cities_y1,model_cities_y2")
    script = map_script(at)
    # Indonesia: 2 year-1 and 4 year-2 model cities, plus the country label.
    assert markers_drawn(script) == 6 + 1 < everything
    assert at.query_params["country"] == "IDN"
    at.run()
    assert markers_drawn(map_script(at)) == 7
    assert filter_chips(at) == ["Indonesia ✕"]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_chip_removes_its_value_and_the_sidebar_follows(lang):
    at = run_page(PAGE, lang, timeout=TIMEOUT, country="IDN,VNM", program_year="2")
    names = {iso3: country_name(iso3, lang) for iso3 in ("IDN", "VNM")}
    assert filter_chips(at) == [f"{names['IDN']} ✕", f"{names['VNM']} ✕", f"{t('value.program_year', lang, year=2)} ✕"]
    next(b for b in at.button if b.key == "chip_country_IDN").click().run()
    assert at.query_params["country"] == "VNM" and at.query_params["program_year"] == "2"
    assert at.multiselect(key=f"facet_country_{lang}").value == ["VNM"]
    assert filter_chips(at)[0] == f"{names['VNM']} ✕"
    next(b for b in at.button if b.key == "chip_program_year_2").click().run()
    assert "program_year" not in at.query_params and at.multiselect(key=f"facet_program_year_{lang}").value == []


def test_layer_checkbox_writes_the_url():
    at = run_page(PAGE, timeout=TIMEOUT, layers="esc_seminars")
    assert markers_drawn(map_script(at)) == 6 + 5  # six venues; labels of IDN, JPN, KHM, VNM, MYS
    at.checkbox(key="explorer_layer_locarnet_events").check().run()
    assert set(at.query_params["layers"].split(",")) == {"esc_seminars", "locarnet_events"}


def test_invalid_url_values_fall_back_with_a_notice():
    at = run_page(PAGE, "ja", timeout=TIMEOUT, country="ZZZ", layers="bogus", sel="model_cities:nowhere")
    assert not at.exception
    warning = shown(at.warning[0].value)
    assert all(
        ignored(*kv, lang="ja") in warning
        for kv in [("country", "ZZZ"), ("layers", "bogus"), ("sel", "model_cities:nowhere")]
    )
    assert "country" not in at.query_params


def test_selected_feature_in_url_shows_its_story():
    at = run_page(PAGE, timeout=TIMEOUT, sel="model_cities:surabaya_y1")
    markdown = " ".join(m.value for m in at.markdown)
    assert "Surabaya" in markdown
    assert "waste banks" in markdown.replace("\\", "")
    assert at.text_input(key="search_text").value == ""  # a link chooses; it types nothing


def search(at: AppTest, text: str) -> dict[str, object]:
    """Type ``text`` into the search box and press Enter; the offered matches, 'layer:feature' -> button."""
    at.text_input(key="search_text").input(text).run()
    assert not at.exception, [e.message for e in at.exception]
    prefix = "search_pick_"
    return {b.key.removeprefix(prefix): b for b in at.button if (b.key or "").startswith(prefix)}


def test_search_selects_and_writes_the_url():
    at = run_page(PAGE, timeout=TIMEOUT)
    offered = search(at, "Siem Reap")
    offered["esc_seminars:hls_3"].click().run()
    assert at.query_params["sel"] == "esc_seminars:hls_3"
    assert any("Siem Reap" in m.value for m in at.markdown)


def test_search_on_a_japanese_screen_finds_romaji_then_one_click_selects():
    at = run_page(PAGE, "ja", timeout=TIMEOUT)
    offered = search(at, "surabaya")
    assert list(offered)[0] == "model_cities:surabaya_y1"  # the exact name before the pairs that contain it
    assert shown(offered["model_cities:surabaya_y1"].label).startswith("スラバヤ — ")
    offered["model_cities:surabaya_y1"].click().run()
    assert not at.exception
    assert at.query_params["sel"] == "model_cities:surabaya_y1"
    assert any("スラバヤ" in m.value for m in at.markdown)
    # The list closes, so the details come right under the box (on a phone, not below seven buttons) ...
    assert at.text_input(key="search_text").value == ""
    assert not [b for b in at.button if (b.key or "").startswith("search_pick_")]
    # ... and the same search again shows the chosen one marked.
    assert search(at, "surabaya")["model_cities:surabaya_y1"].proto.icon == ":material/check:"


@pytest.mark.parametrize("typed", ["すらばや", "ＳＵＲＡＢＡＹＡ", "スラバヤ"])
def test_search_on_an_english_screen_finds_kana_and_full_width(typed):
    at = run_page(PAGE, timeout=TIMEOUT)
    offered = search(at, typed)
    assert list(offered)[0] == "model_cities:surabaya_y1"
    assert shown(offered["model_cities:surabaya_y1"].label) == "Surabaya — ESC model cities, year 1"


def test_a_single_match_is_offered_directly():
    at = run_page(PAGE, timeout=TIMEOUT)
    [(key, button)] = search(at, "Yogyakarta ↔ Surabaya").items()
    assert button.proto.type == "primary"
    button.click().run()
    assert at.query_params["sel"] == key


def test_many_matches_ask_for_more_letters():
    at = run_page(PAGE, "ja", timeout=TIMEOUT)
    offered = search(at, "a")
    assert len(offered) == 8
    assert any(c.value.startswith("ほか") and "文字を足して" in c.value for c in at.caption)


def test_no_match_is_said_in_the_readers_language_and_the_text_stays_text():
    at = run_page(PAGE, "ja", timeout=TIMEOUT)
    typed = "**[x](javascript:alert(1))** zzz"
    assert search(at, typed) == {}
    [said] = [c.value for c in at.caption if "一致するもの" in c.value]
    assert shown(said).startswith(f"「{typed}」")
    assert "**" not in said and "](" not in said  # escaped: no bold, no link
    assert "sel" not in at.query_params


def test_no_layers_link_round_trips_without_notice():
    at = run_page(PAGE, timeout=TIMEOUT, layers="none")
    assert not at.warning
    assert markers_drawn(map_script(at)) == 0
    assert at.query_params["layers"] == "none"
