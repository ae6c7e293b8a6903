"""The presentation steps: figures from the tables, valid maps, texts in both languages.

Expected values are computed here with plain pandas from the tables, independently
of the headline functions, so a wrong filter in dashboard.present.steps fails a test.
"""

from __future__ import annotations

import csv
import re
import string
from functools import cache, lru_cache
from pathlib import Path

import pytest

from dashboard.charts import CHARTS
from dashboard.i18n import LANGS, catalogue, t
from dashboard.io import load_layers, load_table
from dashboard.maps.layers import MAP_LAYERS_BY_KEY
from dashboard.present import step_maps, steps

IDS = [s.id for s in steps.STEPS]
TABLES = Path(__file__).resolve().parent.parent / "data" / "tables"


@cache
def table(table_id):
    return load_table(table_id)


@lru_cache(maxsize=1)
def world():
    from dashboard.io import load_world

    return load_world()


@lru_cache(maxsize=1)
def frames():
    return {lid: frame for lid, (_, frame) in load_layers().items()}


def step(step_id):
    return steps.STEPS[steps.STEP_IDS.index(step_id)]


def test_story_order_follows_the_brief():
    assert steps.STEP_IDS == (
        "seminars",
        "cities_y1",
        "cities_y2",
        "jcm_partners",
        "jcm_growth",
        "fs_studies",
        "model_projects",
        "first_project",
    )


# -- headline figures ------------------------------------------------------------------------------
def test_seminars_figure_is_total_participants_of_seminars_1_to_5():
    s = table("esc_seminars")
    expected = int(s.loc[s["seminar_no"].between(1, 5), "participants"].sum())
    head = step("seminars").headline(table, "en")
    assert head.value == expected
    assert head.values["first_year"] == str(s["held"].min())[:4]
    assert head.values["last_year"] == str(s["held"].max())[:4]


@pytest.mark.parametrize("step_id,year", [("cities_y1", 1), ("cities_y2", 2)])
def test_model_city_figures(step_id, year):
    cities = table("model_cities")
    rows = cities[cities["program_year"] == year]
    head = step(step_id).headline(table, "en")
    assert head.value == rows["city_id"].nunique()
    assert head.values["countries"] == str(rows["country_iso3"].nunique())


def test_year1_is_14_cities_in_8_countries_as_the_brochure_says():
    facts = table("brochure_facts").set_index("fact_id")
    head = step("cities_y1").headline(table, "en")
    assert head.value == int(facts.loc["year1_scope", "value"])
    assert head.values["countries"] == str(int(facts.loc["year1_countries", "value"]))
    assert step("cities_y2").headline(table, "en").value == int(facts.loc["year2_cities", "value"])


def test_year2_counts_knowledge_sharing_links():
    ks = table("knowledge_sharing")
    head = step("cities_y2").headline(table, "en")
    assert head.values["links"] == str(len(ks))
    assert head.values["exchanges"] == str(ks["exchange_id"].nunique())


def test_partners_figure_matches_the_brochure_count_as_of_december_2014():
    partners = table("jcm_partners")
    assert len(partners) == 31  # the table holds every partner to 2025; the brochure's step keeps to its 12
    brochure = partners[partners["in_brochure"] == True]  # noqa: E712
    facts = table("brochure_facts").set_index("fact_id")
    head = step("jcm_partners").headline(table, "en")
    assert head.value == len(brochure) == int(facts.loc["jcm_signatories_2014_12", "value"]) == 12
    first = brochure.sort_values("signing_order").iloc[0]
    assert head.values["first_date"] == "8 Jan 2013" and first["country_iso3"] == "MNG"
    assert head.values["last_country"] == "Mexico" and head.values["last_date"] == "25 Jul 2014"
    assert head.values["committees"] == "9" and head.values["as_of"] == "Dec 2014"


def test_the_brochure_partner_step_shows_its_12_on_map_and_chart():
    from dashboard.present import takeaway

    s = step("jcm_partners")
    shown = step_maps.step_frames(s, frames())["jcm_partners"]
    assert len(shown) == 12 and bool(shown["in_brochure"].all())
    fig = takeaway.chart_figure(s, "en", load_fn=table)
    assert len(fig.layout.yaxis.categoryarray) == 12
    assert "9 of the 12 partners the brochure lists" in takeaway.source_text(fig).replace("<br>", " ")


def test_growth_step_counts_all_31_from_the_brochure_12():
    partners = table("jcm_partners")
    later = partners[partners["in_brochure"] == False]  # noqa: E712
    head = step("jcm_growth").headline(table, "en")
    assert head.value == len(partners) == 31
    assert head.values["brochure"] == "12" and head.values["later"] == str(len(later)) == "19"
    # India's date is partly verified: it is shown with ≈.
    assert head.values["last_country"] == "India" and head.values["last_date"] == "≈ 29 Aug 2025"
    assert head.values["year"] == "2025"
    assert head.values["continents"] == "Asia, Africa, North and Central America, Oceania, South America, Europe"
    status = later["signed_on_status"].value_counts()
    assert head.values["missing"] == str(status["unverified"]) == "2"
    assert head.values["verified"] == str(status["verified"]) and head.values["partly"] == str(
        status["partly verified"]
    )
    caption = steps.texts(step("jcm_growth"), table, "en")["caption"]
    assert "public record, not the brochure" in caption


def test_growth_step_shows_all_31_on_map_and_chart():
    from dashboard.present import takeaway

    s = step("jcm_growth")
    assert len(step_maps.step_frames(s, frames())["jcm_partners"]) == 31
    fig = takeaway.chart_figure(s, "en", load_fn=table)
    total = [tr for tr in fig.data if tr.name == "Partners in all"][0]
    assert total.y[-1] == 31
    assert s.map_source_key == "present.map_source_record"


def test_partner_map_labels_read_the_dates_as_the_record_has_them():
    brochure = [text for text, _, _ in step_maps.labels(step("jcm_partners"), frames(), world(), "en")]
    assert len(brochure) == 12
    assert "Bangladesh · ≈ Mar 2013" in brochure and "Mongolia · Jan 2013" in brochure
    # The world view: the year only, so 31 labels fit; a partner with no date gets none, never a guess.
    labels = [text for text, _, _ in step_maps.labels(step("jcm_growth"), frames(), world(), "en")]
    assert len(labels) == 31 and "Bangladesh · 2013" in labels and "India · 2025" in labels
    assert "United Arab Emirates" in labels and "Kyrgyz Republic" in labels


def test_fs_figure_is_distinct_fy2014_studies_and_countries():
    fs = table("fs_studies")
    fs = fs[fs["fiscal_year"] == 2014]
    facts = table("brochure_facts").set_index("fact_id")
    head = step("fs_studies").headline(table, "en")
    assert head.value == fs["study_no"].nunique() == int(facts.loc["fs_fy2014_count", "value"])
    assert (
        head.values["countries"]
        == str(fs["country_iso3"].nunique())
        == str(int(facts.loc["fs_fy2014_countries", "value"]))
    )
    assert head.values["sites"] == str(len(fs))  # the map's symbols: one per site


def test_projects_figure_is_sum_of_fy2014_yearly_reductions():
    mp = table("jcm_model_projects")
    fy = mp[mp["fiscal_year"] == 2014]
    expected = float(fy["expected_reduction_tco2_per_year"].sum())
    head = step("model_projects").headline(table, "en")
    assert head.value == expected
    assert head.values["projects"] == str(len(fy))
    # The first registered project has a total, not a yearly figure, and no fiscal year: not in the sum.
    assert "jcm_first_registered" not in set(fy["feature_id"])
    assert len(fy) == 7 and expected == 157540  # the seven rows of the brochure's FY2014 tables
    assert head.display("en") == f"{expected:,.0f}"


def test_projects_slide_counts_the_model_projects_the_overview_counts():
    """The slide's '7 model projects' is the Overview's figure; the registered project has its own slide."""
    from dashboard.content.overview import headline_metrics

    with open(TABLES / "jcm_model_projects.csv", newline="", encoding="utf-8") as f:
        model = [r for r in csv.DictReader(f) if r["first_registered"] == "false"]
    head = step("model_projects").headline(table, "en")
    overview = {m.key: m.value for m in headline_metrics(frames(), "en")}
    assert head.values["projects"] == overview["projects"] == str(len(model))
    assert step("first_project").map.highlight == (("jcm_model_projects", "jcm_first_registered"),)


def test_first_project_figure_is_its_registration_date():
    mp = table("jcm_model_projects")
    first = mp[mp["first_registered"].fillna(False).astype(bool)]
    assert len(first) == 1
    head = step("first_project").headline(table, "ja")
    assert head.kind == "date" and head.value == first["registered_on"].iloc[0] == "2014-10-31"
    assert head.display("en") == "31 Oct 2014" and head.display("ja") == "2014年10月31日"
    assert "バタン" in head.values["site"]


def test_headlines_follow_the_tables(monkeypatch):
    """Change a table and the figure changes: nothing is typed in code."""

    def patched(table_id):
        frame = table(table_id).copy()
        if table_id == "esc_seminars":
            frame.loc[frame["seminar_no"] == 1, "participants"] += 1000
        return frame

    before = step("seminars").headline(table, "en").value
    assert step("seminars").headline(patched, "en").value == before + 1000


# -- maps --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("step_id", IDS)
def test_map_layers_exist_and_bounds_are_valid(step_id):
    s = step(step_id)
    assert s.map.visible, "a step shows at least one layer"
    for key in s.map.visible:
        assert key in MAP_LAYERS_BY_KEY, key
    (south, west), (north, east) = s.map.bounds
    assert -90 <= south < north <= 90 and -180 <= west < east <= 180
    for key, fid in s.map.highlight:
        frame = frames()[MAP_LAYERS_BY_KEY[key].layer_id]
        hit = frame[frame["feature_id"] == fid]
        assert len(hit) == 1, f"highlighted {fid} not in {key}"
        g = hit.geometry.iloc[0]
        assert step_maps.inside(s.map.bounds, g.x, g.y), f"{fid} is outside the frame"
    for layer_id, column, _ in s.map.where:
        assert column in frames()[layer_id].columns


# Features deliberately out of frame: Samoa's F/S site lies across the date line.
OUT_OF_FRAME = {"fs_studies": {"fs10_2"}}


@pytest.mark.parametrize("step_id", IDS)
def test_every_drawn_feature_is_in_the_frame(step_id):
    s = step(step_id)
    shown = step_maps.step_frames(s, frames())
    outside = set()
    for key in s.map.visible:
        m = MAP_LAYERS_BY_KEY[key]
        if m.layer_id == "jcm_partners":
            continue
        rows = m.rows(shown[m.layer_id])
        for _, row in rows[rows.geometry.notna()].iterrows():
            g = row.geometry
            coords = [(g.x, g.y)] if g.geom_type == "Point" else list(g.coords)
            if not all(step_maps.inside(s.map.bounds, x, y) for x, y in coords):
                outside.add(row["feature_id"])
    assert outside == OUT_OF_FRAME.get(step_id, set())


@pytest.mark.parametrize("step_id", ["jcm_partners", "jcm_growth"])
def test_partner_frame_covers_every_partner_polygon(step_id):
    s = step(step_id)
    partners = step_maps.step_frames(s, frames())["jcm_partners"]
    (south, west), (north, east) = s.map.bounds
    minx, miny, maxx, maxy = partners.total_bounds
    assert west <= minx and maxx <= east and south <= miny and maxy <= north


def test_not_shown_names_what_the_map_cannot_draw():
    assert step_maps.not_shown(step("fs_studies"), frames(), "en") == ["F/S study 10: Samoa"]
    y2 = table("model_cities")
    unplaced = y2[(y2["program_year"] == 2) & (y2["place_id"] == "")]
    names = step_maps.not_shown(step("cities_y2"), frames(), "en")
    assert names == list(unplaced["name_en"])
    assert step_maps.not_shown(step("seminars"), frames(), "en") == []


def test_step_filters_keep_only_their_rows():
    mp = step_maps.step_frames(step("model_projects"), frames())["jcm_model_projects"]
    assert set(mp["fiscal_year"]) == {2014} and len(mp) == 7
    first = step_maps.step_frames(step("first_project"), frames())["jcm_model_projects"]
    assert list(first["feature_id"]) == ["jcm_first_registered"]


def test_step_map_is_framed_offline_and_highlights():
    s = step("first_project")
    html = step_maps.step_map(s, frames(), "ja", load=table).get_root().render()
    assert "fitBounds" in html and "[-9.5, 101.0]" in html.replace("[[", "[")
    # The highlighted feature is chosen when the map opens (the browser marks it).
    first = frames()["jcm_model_projects"]
    fid = first.loc[first["first_registered"] == True, "feature_id"].iloc[0]  # noqa: E712
    assert f'"selected": "jcm_model_projects:{fid}"' in html
    assert not re.search(r"""(src|href)=["']https?://""", html)


@pytest.mark.parametrize("step_id", IDS)
def test_slide_map_does_not_zoom_on_the_wheel_but_on_its_buttons(step_id):
    fmap = step_maps.step_map(step(step_id), frames(), "en", load=table)
    assert fmap.options["scrollWheelZoom"] is False
    assert fmap.options.get("zoomControl", True) is not False
    html = fmap.get_root().render()
    assert '"scrollWheelZoom": false' in html


def test_slide_map_hands_the_step_keys_to_the_page():
    html = step_maps.step_map(step("seminars"), frames(), "ja", load=table).get_root().render()
    script = html[html.index("ArrowRight: true") - 200 :]
    # Caught before Leaflet's handler on the map (capture phase), passed to the parent document.
    assert 'window.addEventListener("keydown"' in script and "}, true);" in script
    assert "window.parent.document" in script and "page.dispatchEvent(new KeyboardEvent" in script
    for key in ("ArrowRight", "ArrowLeft", "PageDown", "PageUp"):
        assert f"{key}: true" in script
    # Only in a frame: a map opened on its own keeps Leaflet's arrow-key panning.
    assert "window.parent !== window" in script


def test_slide_maps_are_the_same_for_every_session():
    # Cached and shared by all sessions: two builds render the same page, up to folium's random element ids.
    def normalised():
        html = step_maps.step_map(step("cities_y2"), frames(), "en", load=table).get_root().render()
        return re.sub(r"_[0-9a-f]{32}", "_ID", html)

    assert normalised() == normalised()


def test_slide_map_text_is_projector_sized():
    css = step_maps.PRESENT_MAP_CSS
    legend = re.search(r"\.atlas-legend, \.atlas-legend summary \{ font-size: (\d+)px", css)
    assert legend and int(legend.group(1)) >= 18


@pytest.mark.parametrize("step_id", ["jcm_partners", "jcm_growth"])
def test_partner_step_shades_by_signing_date(step_id):
    from dashboard.style import signing_colours

    # The ramp spans the partners the step shows, as its chart's does.
    shown = step_maps.step_frames(step(step_id), {"jcm_partners": table("jcm_partners")})["jcm_partners"]
    colours = signing_colours(shown)
    html = step_maps.step_map(step(step_id), frames(), "en", load=table).get_root().render()
    assert colours["MNG"] in html and colours["MEX"] in html and colours["MNG"] != colours["MEX"]


# -- charts and texts -----------------------------------------------------------------------------------
@pytest.mark.parametrize("step_id", IDS)
def test_chart_ids_exist(step_id):
    s = step(step_id)
    if s.chart is not None:
        assert s.chart in CHARTS, f"{s.chart} is not in dashboard.charts.CHARTS"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("step_id", IDS)
def test_texts_in_both_languages(step_id, lang):
    s = step(step_id)
    texts = steps.texts(s, table, lang)
    for part in ("title", "caption", "figure", "figure_label"):
        assert texts[part].strip(), part
        assert "{" not in texts[part], f"unfilled placeholder in {part}: {texts[part]}"
    if lang == "ja":
        assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", texts["caption"])
    assert texts["figure"] == s.headline(table, lang).display(lang)


@pytest.mark.parametrize("step_id", IDS)
def test_caption_keys_share_placeholders(step_id):
    s = step(step_id)
    for key in (s.title_key, s.caption_key, s.figure_key):
        fields = [{f for _, f, _, _ in string.Formatter().parse(catalogue(lang)[key]) if f} for lang in LANGS]
        assert fields[0] == fields[1], key
        assert fields[0] <= set(s.headline(table, "en").values), f"{key} quotes a value the headline does not give"


def test_step_at_is_one_based():
    assert steps.step_at(1).id == "seminars"
    assert steps.step_at(len(steps.STEPS)).id == "first_project"
    with pytest.raises(IndexError):
        steps.step_at(0)
    with pytest.raises(IndexError):
        steps.step_at(len(steps.STEPS) + 1)


def test_title_box_escapes():
    box = step_maps.title_box("<b>x</b>", "a & b", t("present.map_source", "en"))
    assert "<b>x</b>" not in box and "&lt;b&gt;" in box and "a &amp; b" in box


def test_the_approximate_note_counts_symbols_not_the_lines_between_them():
    """Year 2's slide draws its cities and the exchanges between them; only the cities are symbols."""
    step_ = step("cities_y2")
    assert "knowledge_sharing" in {MAP_LAYERS_BY_KEY[k].layer_id for k in step_.map.visible}
    shown = step_maps.step_frames(step_, frames())
    cities = [
        r
        for k in step_.map.visible
        if MAP_LAYERS_BY_KEY[k].layer_id == "model_cities"
        for _, r in MAP_LAYERS_BY_KEY[k].rows(shown["model_cities"]).iterrows()
        if r.geometry is not None
    ]
    approx, total = step_maps.approximate_share(step_, frames())
    assert total == len(cities) and 0 < approx < total
