"""Widgets bound to the URL keep following it when a page does not draw them (dashboard.ui.url_state.bound).

Streamlit drops the state of a widget a run does not draw; drawn again, it
would show its default and write that to the URL, losing the reader's filter
and switching every map layer off.
"""

from apptest_helpers import run_page


def facet_widget(at, facet: str, lang: str = "en"):
    return next(w for w in at.multiselect if w.key == f"facet_{facet}_{lang}")


def test_a_facet_and_the_map_layers_survive_a_page_that_does_not_draw_them():
    at = run_page("pages/map_explorer.py", "en", timeout=120, program_year="1")
    assert facet_widget(at, "program_year").value == ["1"]
    at.switch_page("pages/city_to_city.py")  # offers the country facet only, and no layer toggles
    at.run()
    assert not at.exception
    assert at.query_params["program_year"] == "1"
    at.switch_page("pages/map_explorer.py")
    at.run()
    assert not at.exception
    assert at.query_params.get("program_year") == "1"
    assert facet_widget(at, "program_year").value == ["1"]
    assert "layers" not in at.query_params, "the layer toggles fell back to off"
    assert all(box.value for box in at.checkbox if box.key.startswith("explorer_layer_"))


def test_clear_filters_empties_the_widgets_and_the_url():
    at = run_page("pages/map_explorer.py", "ja", timeout=120, country="IDN", program_year="1")
    at.button(key="clear_filters").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert "country" not in at.query_params and "program_year" not in at.query_params
    assert facet_widget(at, "country", "ja").value == [] and facet_widget(at, "program_year", "ja").value == []
    assert not [b for b in at.button if b.key == "clear_filters"], "nothing left to clear, so no button"
