"""Chart builders: the traces hold the data's values, in both languages, with the agreed readings."""

import re

import pandas as pd
import pytest

from dashboard import charts
from dashboard.charts import CHARTS
from dashboard.charts.figure import partial_date_range, source_sections, wrap
from dashboard.charts.jcm import (
    fs_counts,
    fs_studies_per_country,
    jcm_partners_by_year,
    jcm_partners_timeline,
    model_project_reductions,
    partners_by_year,
    project_labels,
)
from dashboard.charts.model_cities import model_cities_by_country, undecided_year2
from dashboard.charts.seminars import locarnet_timeline, seminars_over_time
from dashboard.filters import Filter
from dashboard.i18n import country_name
from dashboard.io import load_layers, load_table
from dashboard.style import signing_colours

TABLES = ("model_cities", "esc_seminars", "locarnet_events", "jcm_partners", "fs_studies", "jcm_model_projects")
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def tables():
    return {tid: load_table(tid) for tid in TABLES}


def notes_text(fig) -> str:
    text = " ".join(a.text for a in fig.layout.annotations if a.name == "notes")
    # Japanese lines break between characters, so they join without a space.
    joint = "" if (fig.layout.meta or {}).get("lang") == "ja" else " "
    return re.sub(r"\s*<br>\s*", joint, text)


def trace(fig, name):
    hits = [tr for tr in fig.data if tr.name == name]
    assert len(hits) == 1, [tr.name for tr in fig.data]
    return hits[0]


# -- every chart -----------------------------------------------------------------------------
@pytest.mark.parametrize("chart_id", sorted(CHARTS))
def test_titles_axes_and_source_in_both_languages(tables, chart_id):
    en = CHARTS[chart_id].build(tables, "en")
    ja = CHARTS[chart_id].build(tables, "ja")
    assert en.layout.title.text and ja.layout.title.text != en.layout.title.text
    assert JAPANESE.search(ja.layout.title.text) and not JAPANESE.search(en.layout.title.text)
    assert "Source: Ministry of the Environment brochure (c. 2015): p. " in notes_text(en)
    assert "出典：環境省パンフレット（2015年頃）：" in notes_text(ja) and "ページ「" in notes_text(ja)
    # The source is the brochure's pages and section titles, not the atlas's own section ids.
    for fig in (en, ja):
        assert not re.search(r"\b(esc|jcm|locarnet|c2c)\.[a-z_0-9]+", notes_text(fig)), notes_text(fig)
    assert en.layout.meta["chart_id"] == chart_id
    # At least one axis says what it measures, in the figure's language.
    axis_titles = [ax.title.text for ax in (en.layout.xaxis, en.layout.yaxis) if ax.title.text]
    ja_titles = [ax.title.text for ax in (ja.layout.xaxis, ja.layout.yaxis) if ax.title.text]
    assert axis_titles and all(JAPANESE.search(t) for t in ja_titles)


@pytest.mark.parametrize("chart_id", sorted(CHARTS))
def test_empty_filter_gives_a_message_not_an_error(tables, chart_id):
    spec = CHARTS[chart_id]
    empty = {tid: tables[tid].iloc[0:0] for tid in spec.tables}
    fig = spec.build(empty, "ja")
    assert any("該当するデータはありません" in (a.text or "") for a in fig.layout.annotations)


def test_registry_names_missing_tables(tables):
    with pytest.raises(KeyError, match="esc_seminars"):
        CHARTS["seminars_over_time"].build({"model_cities": tables["model_cities"]}, "en")


def test_source_line_cites_the_rows_sections():
    frame = pd.DataFrame(
        {"source_ref": ["esc.hls L62-69; esc.outcomes L145-147", "locarnet.activities L409-419; L441-447", ""]}
    )
    assert source_sections(frame) == ["esc.hls", "esc.outcomes", "locarnet.activities"]


# -- model cities ---------------------------------------------------------------------------
def test_model_cities_counts_per_country_and_year(tables):
    cities = tables["model_cities"]
    fig = model_cities_by_country(cities, "en")
    y1, y2 = fig.data
    assert y1.name == "ESC model cities, year 1" and y2.name == "ESC model cities, year 2"
    assert y1.marker.color == "#0072B2" and y2.marker.color == "#56B4E9"
    expected = cities.groupby(["country_iso3", "program_year"]).size()
    for bar, year in ((y1, 1), (y2, 2)):
        assert bar.orientation == "h"  # a row per country: the names never turn on a phone
        got = dict(zip(bar.y, bar.x, strict=True))
        for iso in cities["country_iso3"].unique():
            assert got[country_name(iso, "en")] == expected.get((iso, year), 0)
    assert sum(y1.x) == 14 and sum(y2.x) == 21  # the brochure's totals
    assert list(y1.y)[:2] == ["Cambodia", "Indonesia"]  # the brochure's table order, from the top
    assert fig.layout.yaxis.autorange == "reversed"
    assert dict(zip(y2.y, y2.x, strict=True))["Indonesia"] == 4


def test_malaysia_year2_is_zero_and_marked_undecided(tables):
    cities = tables["model_cities"]
    assert undecided_year2(cities) == ["MYS"]
    for lang, word in (("en", "undecided"), ("ja", "未定")):
        fig = model_cities_by_country(cities, lang)
        y2 = fig.data[1]
        i = list(y2.y).index(country_name("MYS", lang))
        assert y2.x[i] == 0
        assert word in y2.text[i]
        assert country_name("MYS", lang) in notes_text(fig) and word in notes_text(fig)
        # Other countries' labels are plain counts.
        j = list(y2.y).index(country_name("IDN", lang))
        assert y2.text[j] == "4"


def test_model_cities_year_one_only_has_no_undecided_label(tables):
    year1 = tables["model_cities"][tables["model_cities"]["program_year"] == 1]
    fig = model_cities_by_country(year1, "en")
    assert len(fig.data) == 1 and "undecided" not in notes_text(fig)


# -- seminars -------------------------------------------------------------------------------
def test_seminar_measures_and_planned_is_a_gap_not_zero(tables):
    seminars = tables["esc_seminars"]
    fig = seminars_over_time(seminars, "en")
    assert len(fig.data) == 4
    participants, countries, local_govs, orgs = (list(tr.y) for tr in fig.data)
    assert participants == [140, 140, 230, 200, 180, None]
    assert countries == [12, 12, 14, 15, 15, None]
    assert local_govs[:5] == [24, 19, 39, 21, 36] and orgs[:5] == [26, 18, 27, 29, 31]
    assert 0 not in participants + countries + local_govs + orgs
    assert sum(v for v in participants if v is not None) == int(seminars["participants"].sum()) == 890
    assert list(fig.data[0].x)[5] == "No. 6<br>2015"
    assert fig.layout.xaxis4.tickangle == 0
    planned = [a for a in fig.layout.annotations if a.text == "planned"]
    assert len(planned) == 4  # one per panel
    assert "Johor Bahru" in notes_text(fig) and "not zero" in notes_text(fig)
    assert all(tr.marker.color == "#E69F00" for tr in fig.data)


def test_seminar_labels_in_japanese(tables):
    fig = seminars_over_time(tables["esc_seminars"], "ja")
    assert list(fig.data[0].x)[0] == "第1回<br>2010年"
    assert [a.text for a in fig.layout.annotations if a.text == "開催予定"]


# -- LoCARNet -------------------------------------------------------------------------------
def test_locarnet_timeline_points_and_attendance(tables):
    events = tables["locarnet_events"]
    fig = locarnet_timeline(events, "en")
    pts = trace(fig, "events")
    assert len(pts.x) == len(events) == 8
    texts = list(pts.text)
    assert "171" in texts and "70+" in texts and texts.count("") == 6
    # Attended events are bigger than ones with no figure; the biggest is Bogor's 171.
    sizes = list(pts.marker.size)
    assert max(sizes) == sizes[texts.index("171")] > sizes[texts.index("70+")] > min(sizes)
    # Planned events are open markers; time runs top to bottom in date order.
    assert list(pts.marker.symbol).count("circle-open") == int((events["status"] == "planned").sum())
    assert list(pts.x) == sorted(pts.x)
    assert fig.layout.xaxis.type == "date"
    assert fig.layout.yaxis.ticktext[0].startswith("Ministerial meeting")


def test_partial_dates():
    assert partial_date_range("2014-11-24", "2014-11-26") == (
        pd.Timestamp("2014-11-24").date(),
        pd.Timestamp("2014-11-26").date(),
    )
    first, last = partial_date_range("2015-09", "2015-11")
    assert (first.isoformat(), last.isoformat()) == ("2015-09-01", "2015-11-30")
    assert partial_date_range("2014-02")[1].isoformat() == "2014-02-28"


# -- JCM partners ---------------------------------------------------------------------------
HELD, NOT_HELD = "Joint committee held (Dec 2014)", "Joint committee not yet held (Dec 2014)"
LATER = "Signed after the brochure (no committee record here)"
NOT_FOUND = "Date not found (hollow, at the axis's left edge: not a date)"
WINDOW = "Date not found: the record bounds the signing (bar)"


@pytest.fixture(scope="module")
def partner_states():
    """The partner rows of each state of the record, as the pages get them (the filter applied)."""
    table_, frame = load_layers()["jcm_partners"]
    return {as_of: Filter(as_of=as_of).apply(table_, frame) for as_of in ("2014-12", "latest")}


def test_partner_timeline_dates_and_committee_markers(partner_states):
    partners = partner_states["2014-12"]
    fig = jcm_partners_timeline(partners, "en")
    held = trace(fig, HELD)
    not_held = trace(fig, NOT_HELD)
    assert len(held.x) + len(not_held.x) == len(partners) == 12
    assert [tr.name for tr in fig.data if tr.name] == [HELD, NOT_HELD]  # no later or undated partner here
    assert set(not_held.y) == {"Costa Rica", "Cambodia", "Mexico"}
    assert dict(zip(held.y, held.x, strict=True))["Mongolia"] == "2013-01-08"
    assert dict(zip(not_held.y, not_held.x, strict=True))["Mexico"] == "2014-07-25"
    # A partly verified date is marked as such beside its dot.
    assert dict(zip(held.y, held.text, strict=True))["Bangladesh"] == "≈ 19 Mar 2013"
    # Not colour alone: the two groups have different marker shapes.
    assert held.marker.symbol != not_held.marker.symbol
    notes = notes_text(fig)
    assert "9 of the 12 partners the brochure lists had held a joint committee as of Dec 2014" in notes
    assert "signing dates: the public record" in notes and "≈ a partly verified date" in notes
    assert list(fig.layout.yaxis.categoryarray)[0] == "Mongolia"
    assert fig.layout.xaxis.dtick == "M6"  # the brochure's two years keep half-yearly ticks


def test_partner_timeline_latest_state_has_every_partner_in_signing_order(partner_states):
    partners = partner_states["latest"]
    fig = jcm_partners_timeline(partners, "en")
    rows = list(fig.layout.yaxis.categoryarray)
    assert len(rows) == len(partners) == 31
    assert rows == [country_name(c, "en") for c in partners.sort_values("signing_order")["country_iso3"]]
    assert rows[0] == "Mongolia" and rows[-1] == "India"
    # Georgia's month-only date stands at the month's first day; UAE and Kyrgyz Republic keep their rows.
    later = trace(fig, LATER)
    at = dict(zip(later.y, later.x, strict=True))
    assert at["Georgia"] == "2022-09-01" and dict(zip(later.y, later.text, strict=True))["Georgia"] == "≈ Sep 2022"
    assert dict(zip(later.y, later.text, strict=True))["India"] == "≈ 29 Aug 2025"
    assert len(trace(fig, HELD).x) == 9 and len(trace(fig, NOT_HELD).x) == 3 and len(later.x) == 17
    # The committee note speaks of the brochure's 12 only.
    assert "9 of the 12 partners the brochure lists" in notes_text(fig)
    assert fig.layout.xaxis.dtick == "M24" and fig.layout.xaxis.minor.dtick == "M12"
    assert fig.layout.xaxis.range[0] < "2013-01-01" and fig.layout.xaxis.range[1] > "2025-12-31"


def test_partner_timeline_draws_the_records_window_for_a_partner_whose_date_was_not_found(partner_states):
    """No day is drawn for UAE or the Kyrgyz Republic: a bar over the window the record bounds, and its words."""
    fig = jcm_partners_timeline(partner_states["latest"], "en")
    bars = [tr for tr in fig.data if tr.name == WINDOW]
    assert {tr.y[0] for tr in bars} == {"United Arab Emirates", "Kyrgyz Republic"}
    assert {tuple(tr.x) for tr in bars} == {("2023-04-06", "2023-08-17"), ("2023-07-05", "2023-08-17")}
    assert all(tr.mode == "lines" for tr in bars)  # a window, no dot at a day
    words = [a.text for a in fig.layout.annotations if a.text.startswith("date not found")]
    assert words == [
        "date not found: 6 Apr – 17 Aug 2023",
        "date not found: 5 Jul – 17 Aug 2023",
    ]
    for tr in fig.data:
        if tr.name != WINDOW and tr.mode != "lines":
            assert not {"United Arab Emirates", "Kyrgyz Republic"} & set(tr.y), tr.name
    # A partner with no date and no window in its note: a hollow marker at the axis's edge, not a date.
    bare = partner_states["latest"].copy()
    bare.loc[bare["country_iso3"] == "ARE", "note"] = ""
    fig = jcm_partners_timeline(bare, "en")
    missing = trace(fig, NOT_FOUND)
    assert list(missing.y) == ["United Arab Emirates"] and list(missing.text) == ["date not found"]
    assert set(missing.x) == {fig.layout.xaxis.range[0]} and missing.marker.symbol.endswith("-open")
    table = CHARTS["jcm_partners_timeline"].table({"jcm_partners": partner_states["latest"]}, "en")
    are = table.set_index("Country").loc["United Arab Emirates"]
    assert are["Date of signature"] == "date not found: 6 Apr – 17 Aug 2023"
    assert are["Date status"] == "Date not found"


def test_partner_timeline_japanese(partner_states):
    fig = jcm_partners_timeline(partner_states["2014-12"], "ja")
    held = trace(fig, "合同委員会開催済み（2014年12月）")
    assert "モンゴル" in held.y and "2013年1月8日" in held.text and "≈ 2013年3月19日" in held.text
    assert fig.layout.xaxis.tickformat == "%Y年%-m月"
    latest = jcm_partners_timeline(partner_states["latest"], "ja")
    assert {tr.y[0] for tr in latest.data if tr.name == "日付不明：記録が示す署名の期間（帯）"} == {
        "アラブ首長国連邦",
        "キルギス",
    }
    assert "日付不明：4月6日〜2023年8月17日" in [a.text for a in latest.layout.annotations]
    assert latest.layout.xaxis.tickformat == "%Y年"
    assert not re.search(
        r"[A-Za-z]{4,}", notes_text(latest).replace("data/sources/jcm-partners", "").replace("signed_on_source", "")
    )


def _luminance(hex_colour: str) -> float:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_signing_colours_run_dark_to_light_by_date(partner_states):
    partners = partner_states["latest"]
    colours = signing_colours(partners)
    assert set(colours) == set(partners["country_iso3"])
    dated = partners[partners["signed_on"] != ""].sort_values("signing_order")
    lum = [_luminance(colours[iso]) for iso in dated["country_iso3"]]
    # Dark to light along the signings (two signings a day apart may round to the same shade).
    assert all(b >= a - 0.5 for a, b in zip(lum, lum[1:])) and lum[0] < lum[-1]
    # The chart uses the same colours as the map.
    fig = jcm_partners_timeline(partners, "en", colours)
    held = trace(fig, HELD)
    assert dict(zip(held.y, held.marker.color, strict=True))["Mongolia"] == colours["MNG"]


@pytest.mark.parametrize("as_of,n", [("2014-12", 12), ("latest", 31)])
def test_partner_table_follows_the_timeline(partner_states, as_of, n):
    frames = {"jcm_partners": partner_states[as_of]}
    table = CHARTS["jcm_partners_timeline"].table(frames, "en")
    fig = jcm_partners_timeline(partner_states[as_of], "en")
    assert list(table["Country"]) == list(fig.layout.yaxis.categoryarray) and len(table) == n
    by_country = table.set_index("Country")
    assert by_country.loc["Bangladesh", "Date of signature"] == "≈ 19 Mar 2013"
    assert by_country.loc["Bangladesh", "Date status"] == "Partly verified date (≈)"
    assert by_country.loc["Mexico", "Joint committee"] == NOT_HELD
    if n == 31:
        # A later partner has no committee record here: a dash, not "not held".
        assert by_country.loc["India", "Joint committee"] == "–"


# -- F/S studies ----------------------------------------------------------------------------
def test_fs_counts_studies_not_sites(tables):
    fs = tables["fs_studies"]
    per = fs_counts(fs).set_index("country_iso3")["studies"].to_dict()
    assert per["IDN"] == 4 and per["THA"] == 3 and per["IND"] == 1  # India: one study, three sites
    assert per["MYS"] == 2 and per["PLW"] == 2 and per["WSM"] == 1  # studies 9 and 10 span two countries
    fig = fs_studies_per_country(fs, "en")
    bars = dict(zip(fig.data[0].y, fig.data[0].x, strict=True))
    assert bars["India"] == 1 and bars["Indonesia"] == 4
    assert sum(fig.data[0].x) == 21 and fs["study_no"].nunique() == 19
    assert "add up to 21 for 19 studies" in notes_text(fig)
    assert list(fig.data[0].y)[-1] == "Indonesia"  # most studies drawn on top
    assert fig.data[0].marker.color == "#D55E00"


# -- model projects -------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_reductions_on_a_linear_axis_from_zero_with_every_value_written(tables, lang):
    """A log axis drew 104 t as a fifth of 122,000 t: positions must be proportional to the values."""
    projects = tables["jcm_model_projects"]
    fig = model_project_reductions(projects, lang)
    dots = fig.data[0]
    assert dots.type == "scatter" and "markers" in dots.mode
    assert fig.layout.xaxis.type == "linear"
    lo, hi = fig.layout.xaxis.range
    assert lo == 0 and 122000 < hi < 122000 * 1.2
    values = list(dots.x)
    assert values == sorted(values) and len(values) == 7
    assert values[-1] == 122000 and values[0] == 104
    texts = list(dots.text)
    assert texts[:-1] == ["104", "310", "857", "2,786", "3,355", "28,128"]
    # The largest is written with its unit and called the largest, to the left of its dot (inside the axis).
    unit = "tCO2/year" if lang == "en" else "tCO2/年"
    assert "122,000" in texts[-1] and unit in texts[-1] and ("largest" in texts[-1] or "最大" in texts[-1])
    assert dots.textposition[-1] == "middle left" and set(dots.textposition[:-1]) == {"middle right"}
    largest = "JFE Engineering · Indonesia" if lang == "en" else "JFEエンジニアリング · インドネシア"
    assert list(dots.y)[-1] == largest
    notes = notes_text(fig)
    assert largest in notes and "77%" in notes and "4.3" in notes
    assert ("Linear scale from 0" if lang == "en" else "0から始まる") in notes
    assert "log" not in (fig.layout.xaxis.title.text + notes).lower() and "対数" not in notes
    # Every row is named above its dot, by its own label.
    names = [a.text for a in fig.layout.annotations if a.name == "row_label"]
    assert names == list(dots.y) and fig.layout.yaxis.showticklabels is False


def test_a_single_project_is_not_called_the_largest(tables):
    projects = tables["jcm_model_projects"]
    one = projects[projects["expected_reduction_tco2_per_year"] == 310]
    fig = model_project_reductions(one, "en")
    assert list(fig.data[0].text) == ["310"] and fig.data[0].textposition == ("middle right",)
    assert "largest" not in notes_text(fig)


def test_first_registered_project_is_excluded_and_explained(tables):
    projects = tables["jcm_model_projects"]
    first = projects[projects["first_registered"].fillna(False).astype(bool)]
    assert len(first) == 1
    for lang, words in (("en", ("799", "2020", "Not shown")), ("ja", ("799", "2020年まで", "非表示"))):
        fig = model_project_reductions(projects, lang)
        assert 799 not in list(fig.data[0].x)
        assert len(fig.data[0].x) == len(projects) - 1
        assert all(w in notes_text(fig) for w in words)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_no_two_projects_share_a_label(tables, lang):
    """Plotly draws bars sharing a label as one bar; the note must not name a bar's project either."""
    projects = tables["jcm_model_projects"]
    labels = project_labels(projects, lang)
    assert len(set(labels)) == len(labels) == len(projects)
    fig = model_project_reductions(projects, lang)
    bars = list(fig.data[0].y)
    assert len(set(bars)) == len(bars)
    first = projects[projects["first_registered"].fillna(False).astype(bool)]
    first_label = labels[list(projects["feature_id"]).index(first["feature_id"].iloc[0])]
    assert first_label not in bars and first_label in notes_text(fig)
    assert not any(f"{b}," in notes_text(fig) or f"{b})" in notes_text(fig) for b in bars)


def test_a_shared_company_and_country_without_sites_is_told_apart_by_title():
    rows = pd.DataFrame(
        {
            "representative_en": ["Ebara", "Ebara", "JFE"],
            "country_iso3": ["IDN", "IDN", "IDN"],
            "site_en": ["", "", ""],
            "title_en": ["Chillers", "Boilers", "Heat"],
        }
    )
    assert project_labels(rows, "en") == [
        "Ebara · Indonesia · Chillers",
        "Ebara · Indonesia · Boilers",
        "JFE · Indonesia",
    ]


def test_wrap_keeps_latin_runs_whole():
    text = "出典：環境省パンフレット（2015年頃）、セクション locarnet.history, locarnet.workshop_2014"
    lines = wrap(text, "ja", 40).split("<br>")
    assert len(lines) > 1
    assert "locarnet.workshop_2014" in wrap(text, "ja", 40)
    assert all(len(line) <= 40 for line in wrap("a " * 100, "en", 40).split("<br>"))


def test_charts_package_is_free_of_streamlit():
    import sys
    from pathlib import Path

    assert "streamlit" not in getattr(charts, "__dict__", {})
    files = sorted(Path(charts.__file__).parent.glob("*.py"))
    assert len(files) > 1
    for path in files:
        src = path.read_text(encoding="utf-8")
        assert "import streamlit" not in src and "scatter_geo" not in src and "choropleth" not in src, path.name
    assert "dashboard.charts" in sys.modules


def test_fs_note_without_cross_border_studies(tables):
    fs = tables["fs_studies"]
    fig = fs_studies_per_country(fs[fs["country_iso3"] == "IDN"], "en")
    assert list(fig.data[0].x) == [4]
    assert "Counts studies, not sites." in notes_text(fig) and "add up" not in notes_text(fig)


# -- text alternatives: each chart's rows as a table ---------------------------------------
@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("chart_id", sorted(CHARTS))
def test_every_chart_has_a_table_in_the_readers_language(tables, chart_id, lang):
    table = CHARTS[chart_id].table(tables, lang)
    assert len(table) > 0 and table.columns.is_unique
    assert all(JAPANESE.search(c) for c in table.columns) == (lang == "ja")
    assert not any("&amp;" in str(v) or "<br>" in str(v) for v in table.to_numpy().ravel())


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_reductions_table_holds_the_dots(tables, lang):
    fig = model_project_reductions(tables["jcm_model_projects"], lang)
    table = CHARTS["model_project_reductions"].table(tables, lang)
    project, _, reduction = table.columns
    assert list(table[reduction]) == list(fig.data[0].x)
    # The same labels, unescaped: the table is text, not plotly markup ('&', not '&amp;').
    assert [s.replace("&", "&amp;") for s in table[project]] == list(fig.data[0].y)
    assert table[project].is_unique


def test_chart_tables_hold_the_numbers_each_chart_draws(tables):
    cities = CHARTS["model_cities_by_country"].table(tables, "en")
    y1, y2 = model_cities_by_country(tables["model_cities"], "en").data
    assert list(cities["Country"]) == list(y1.y)
    assert list(cities["Year 1 (cities)"]) == list(y1.x) and list(cities["Year 2 (cities)"]) == list(y2.x)
    assert cities.set_index("Country").loc["Malaysia", "Note"] == "undecided"

    seminars = CHARTS["seminars_over_time"].table(tables, "en")
    fig = seminars_over_time(tables["esc_seminars"], "en")
    for trace_, column in zip(fig.data, seminars.columns[-4:], strict=True):
        assert [None if pd.isna(v) else v for v in seminars[column]] == list(trace_.y)
    assert seminars["Status"].iloc[-1] == "Planned" and pd.isna(seminars.iloc[-1, -1])

    fs = CHARTS["fs_studies_per_country"].table(tables, "en")
    bars = fs_studies_per_country(tables["fs_studies"], "en").data[0]
    assert dict(zip(fs["Country"], fs["F/S studies (number)"], strict=True)) == dict(zip(bars.y, bars.x, strict=True))

    partners = CHARTS["jcm_partners_timeline"].table(tables, "en")
    fig = jcm_partners_timeline(tables["jcm_partners"], "en")
    assert list(partners["Country"]) == list(fig.layout.yaxis.categoryarray)
    held = set(trace(fig, HELD).y)
    assert {c for c, j in zip(partners["Country"], partners["Joint committee"], strict=True) if j == HELD} == held

    events = CHARTS["locarnet_timeline"].table(tables, "en")
    pts = trace(locarnet_timeline(tables["locarnet_events"], "en"), "events")
    assert [a if a[0].isdigit() else "" for a in events["Attendance"]] == list(pts.text)


def test_a_filtered_chart_table_follows_its_options(tables):
    year1 = CHARTS["model_cities_by_country"].table_builder(tables["model_cities"], "ja", years=[1])
    assert list(year1.columns) == ["国", "1年目（都市数）"]


def test_a_slide_chart_has_projector_type_and_its_notes_apart_and_the_cached_figure_is_untouched():
    from dashboard.charts.figure import PROJECTOR_MIN_PX, for_projector
    from dashboard.charts.jcm import model_project_reductions
    from dashboard.io import load_table

    fig = model_project_reductions(load_table("jcm_model_projects"), "ja")
    before = fig.to_json()
    wide, notes = for_projector(fig)
    assert fig.to_json() == before  # shared by every session: copied, never changed
    assert notes and any("出典" in line for line in notes)  # the source line leaves the figure with the notes
    assert not [a for a in wide.layout.annotations if a.name == "notes"]
    sizes = [wide.layout.font.size, wide.layout.title.font.size, wide.layout.xaxis.tickfont.size]
    sizes += [a.font.size for a in wide.layout.annotations]
    assert min(sizes) >= PROJECTOR_MIN_PX, sizes
    narrow, _ = for_projector(fig, scale=1, minimum=0)
    assert narrow.layout.xaxis.tickfont.size == fig.layout.xaxis.tickfont.size or fig.layout.xaxis.tickfont.size is None


def test_partners_by_year_counts_the_brochure_12_then_all_31(partner_states):
    brochure = CHARTS["jcm_partners_by_year"].table({"jcm_partners": partner_states["2014-12"]}, "en")
    assert list(brochure["Year of signature"]) == [2013, 2014] and list(brochure["Partners in all"]) == [9, 12]
    fig = jcm_partners_by_year(partner_states["latest"], "en")
    total = trace(fig, "Partners in all")
    assert total.x[0] == 2013 and total.x[-1] == 2025 and total.y[-1] == 31
    # UAE and Kyrgyz Republic have no date: they count in 2023 only because the record bounds both to 2023, as the note says.
    bounded = trace(fig, "Date not found (year from the record)")
    assert dict(zip(bounded.x, bounded.y, strict=True))[2023] == 2 and sum(bounded.y) == 2
    dated = trace(fig, "New partners that year")
    assert sum(dated.y) == 29 and dict(zip(dated.x, dated.y, strict=True))[2022] == 8
    notes = notes_text(fig)
    assert "United Arab Emirates, Kyrgyz Republic: no signing date found" in notes and "count in 2023" in notes
    assert "The 19 partners after December 2014 come from the public record, not the brochure" in notes


def test_an_undated_partner_without_bounds_in_one_year_counts_in_the_total_only(partner_states):
    partners = partner_states["latest"].copy()
    partners.loc[partners["country_iso3"] == "KGZ", "note"] = "No date found."
    per, by_bounds, total_only = partners_by_year(partners)
    assert by_bounds == ["ARE"] and total_only == ["KGZ"] and per["cumulative"].iloc[-1] == 31
    assert "counted in the total only" in notes_text(jcm_partners_by_year(partners, "en"))


def test_the_notes_explain_only_the_marks_the_chart_shows(partner_states):
    brochure = notes_text(jcm_partners_timeline(partner_states["2014-12"], "en"))
    latest = notes_text(jcm_partners_timeline(partner_states["latest"], "en"))
    assert "≈ a partly verified date" in brochure and "Date not found" not in brochure  # none of the 12 lacks one
    assert "≈ a partly verified date" in latest and "Date not found" in latest
