"""The model-cities, city-to-city and about pages render in both languages and follow the URL filter."""

from pathlib import Path

import pytest
from apptest_helpers import run_page as run
from streamlit.testing.v1 import AppTest

from dashboard.catalog import load_catalog
from dashboard.i18n import t
from dashboard.io import load_table
from dashboard.release import citation

PAGES = ("pages/model_cities.py", "pages/city_to_city.py", "pages/about.py")


# Tables without row selection are not widgets and carry no key in AppTest: found by a column only they have.
UNKEYED = {"mc_years_table": ("Country", "国"), "about_precision": ("exact", "正確")}


def frame(at: AppTest, key: str):
    for df in at.dataframe:
        if getattr(df, "key", None) == key:
            return df.value
    for df in at.dataframe:
        if getattr(df, "key", None) is None and set(UNKEYED.get(key, ())) & set(df.value.columns):
            return df.value
    raise AssertionError(f"no dataframe {key!r}; keys: {[getattr(d, 'key', None) for d in at.dataframe]}")


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("page", PAGES)
def test_page_renders(page, lang):
    at = run(page, lang=lang)
    assert at.title[0].value == t(f"nav.{Path(page).stem}", lang)
    assert len(at.dataframe) >= 1


def test_model_cities_full_view():
    at = run("pages/model_cities.py", lang="en")
    years = frame(at, "mc_years_table")
    assert len(years) == 8
    assert years["Year 1 (number)"].sum() == 14 and years["Year 2 (number)"].sum() == 21
    assert years.set_index("Country").at["Malaysia", "Year-2 model cities"] == t("page.model_cities.undecided", "en")
    assert [m.value for m in at.metric] == ["14", "8", "21"]
    assert len(frame(at, "mc_exchanges_table")) == 14
    # Eight story cards, each a heading with its city.
    assert [h.value for h in at.markdown if h.value.startswith("#### ")][:2] == ["#### Xam Neua", "#### Yangon"]
    assert sum(h.value.startswith("#### ") for h in at.markdown) == 8
    assert not any("Not placed" in c.value for c in at.caption)  # every model city is placed
    assert any(e.type == "component_instance" for e in at.main if type(e).__name__ == "UnknownElement")


def test_program_year_1_narrows_model_cities():
    at = run("pages/model_cities.py", lang="en", program_year="1")
    years = frame(at, "mc_years_table")
    assert list(years.columns) == ["Country", "Year-1 model cities", "Year 1 (number)"]
    assert years["Year 1 (number)"].sum() == 14 and len(years) == 8
    assert [m.value for m in at.metric] == ["14", "8"]
    assert sum(h.value.startswith("#### ") for h in at.markdown) == 8


def test_program_year_2_keeps_malaysia_undecided_and_drops_the_stories():
    at = run("pages/model_cities.py", lang="ja", program_year="2")
    years = frame(at, "mc_years_table")
    assert list(years.columns) == ["国", "2年目のモデル都市", "2年目（都市数）"]
    assert years["2年目（都市数）"].sum() == 21
    assert years.set_index("国").at["マレーシア", "2年目のモデル都市"] == "未定"
    assert any(i.value == t("page.model_cities.stories_empty", "ja") for i in at.info)


def test_country_narrows_model_cities_and_exchanges():
    at = run("pages/model_cities.py", lang="en", country="MMR")
    years = frame(at, "mc_years_table")
    assert years["Country"].tolist() == ["Myanmar"]
    assert years.iloc[0]["Year-2 model cities"] == "Yangon, Mandalay, Pyin Oo Lwin"
    assert sorted(frame(at, "mc_exchanges_table")["From → to"]) == [
        "Myanmar (ESC officials) → Kitakyushu",
        "Penang Water Supply Corporation (George Town) → Yangon",
    ]
    assert sum(h.value.startswith("#### ") for h in at.markdown) == 1


def test_country_vnm_narrows_city_to_city():
    at = run("pages/city_to_city.py", lang="en", country="VNM")
    table = frame(at, "c2c_table")
    assert table["Partner city"].tolist() == ["Ho Chi Minh City", "Kien Giang Province", "Hai Phong City"]
    assert set(table["Country"]) == {"Viet Nam"}
    assert table["Related F/S study"].tolist() == ["F/S study 14", "F/S study 12", "F/S study 13"]
    assert any(c.value == t("page.city_to_city.count", "en", n=3, total=9) for c in at.caption)


def test_city_to_city_in_japanese():
    at = run("pages/city_to_city.py", lang="ja")
    table = frame(at, "c2c_table")
    assert list(table.columns) == [
        "日本の自治体",
        "連携先の都市",
        "国",
        "主な協力内容",
        "関連する調査",
        "調査名",
        "出典（節・行）",
        "注記（英語）",
    ]
    assert len(table) == 9
    row = table.set_index("連携先の都市").loc["ビエンチャン特別市"]
    assert row["日本の自治体"] == "京都市" and row["関連する調査"] == "調査19"
    assert row["調査名"].startswith("ビエンチャン特別市・京都市連携")


def test_country_without_partnerships_says_so():
    at = run("pages/city_to_city.py", lang="en", country="IND")
    assert any(i.value == t("page.city_to_city.empty", "en") for i in at.info)


def test_about_in_japanese_labels_and_citation():
    at = run("pages/about.py", lang="ja")
    provenance = frame(at, "about_provenance")
    assert list(provenance.columns)[:4] == ["表題", "ファイル（ID）", "種類", "行数"]
    assert "説明（英語）" in provenance.columns and len(provenance) == len(load_catalog())
    precision = frame(at, "about_precision").set_index("レイヤー")
    assert precision.at["ASEAN ESCモデル都市", "未配置"] == 0 and precision.at["ASEAN ESCモデル都市", "近似"] == 4
    assert "位置の決め方（英語）" in frame(at, "about_non_exact").columns
    assert "注記（英語）" in frame(at, "about_places").columns
    assert "説明（英語）" in frame(at, "about_reading").columns
    assert len(frame(at, "about_facts")) == len(load_table("brochure_facts"))
    licences = frame(at, "about_licences")
    assert {"leaflet (同梱のJavaScript)", "jquery (同梱のJavaScript)"} <= set(licences["構成要素"])
    assert any(c.value == citation() for c in at.code)
