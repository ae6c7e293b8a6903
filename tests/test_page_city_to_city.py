"""City-to-city page: its partnership table in both languages and how it follows the filter in the URL.

Also dashboard.content.city_to_city, the table behind it and its join to the feasibility studies, on the real data.
"""

import pandas as pd
import pytest
from apptest_helpers import frame
from apptest_helpers import run_page as run

from dashboard.content import city_to_city as content
from dashboard.i18n import t


# -- the page ---------------------------------------------------------------------------------
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
        "出典",
        "注記（英語）",
    ]
    assert len(table) == 9
    row = table.set_index("連携先の都市").loc["ビエンチャン特別市"]
    assert row["日本の自治体"] == "京都市" and row["関連する調査"] == "調査19"
    assert row["調査名"].startswith("ビエンチャン特別市・京都市連携")


def test_country_without_partnerships_says_so():
    at = run("pages/city_to_city.py", lang="en", country="IND")
    assert any(i.value == t("page.city_to_city.empty", "en") for i in at.info)


# -- dashboard.content.city_to_city -----------------------------------------------------------
def test_partnership_table_joins_the_related_study(layers):
    pairs, fs = layers["city_partnerships"][1], layers["fs_studies"][1]
    table = content.partnership_table(pairs, fs, "en").set_index("feature_id")
    assert len(table) == 9
    titles = fs.drop_duplicates("study_no").set_index("study_no")
    assert table.loc["c2c_yokohama_bangkok", "fs_no"] == "F/S study 7"
    assert table.loc["c2c_yokohama_bangkok", "fs_title"] == titles.at[7, "title_en"]
    assert table.loc["c2c_kyoto_vientiane", "fs_title"] == titles.at[19, "title_en"]
    assert table.loc["c2c_kitakyushu_pasir_gudang", ["fs_no", "fs_title"]].tolist() == ["", ""]
    assert (table["fs_title"] != "").sum() == 8
    ja = content.partnership_table(pairs, fs, "ja").set_index("feature_id")
    assert ja.loc["c2c_osaka_hcmc", "fs_title"] == "ホーチミン市・大阪市の連携による低炭素都市形成支援調査"
    assert ja.loc["c2c_osaka_hcmc", "fs_no"] == "調査14"
    assert ja.loc["c2c_osaka_hcmc", ["jp_municipality", "partner", "country"]].tolist() == [
        "大阪市",
        "ホーチミン市",
        "ベトナム",
    ]


def test_partnerships_in_viet_nam(layers):
    pairs, fs = layers["city_partnerships"][1], layers["fs_studies"][1]
    vnm = content.partnership_table(pairs[pairs["partner_country_iso3"] == "VNM"], fs, "en")
    assert vnm["partner"].tolist() == ["Ho Chi Minh City", "Kien Giang Province", "Hai Phong City"]


def test_partnership_join_is_loud(layers):
    pairs, fs = layers["city_partnerships"][1], layers["fs_studies"][1]
    with pytest.raises(ValueError, match="99"):
        content.partnership_table(
            pairs.assign(related_fs_study_no=pd.array([99] * len(pairs), dtype="Int64")), fs, "en"
        )
    clash = pd.concat([fs, fs[fs["study_no"] == 7].assign(title_en="Another title")])
    with pytest.raises(ValueError, match="not unique"):
        content.fs_titles(clash)
