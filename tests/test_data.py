"""The curated tables: valid, complete against the brochure, and traceable."""

import pandas as pd
import pytest
import yaml

from dashboard.catalog import TABLES_DIR, load_catalog
from dashboard.filters import Filter
from dashboard.io import load_layer, load_table, validate_all
from dashboard.partners_source import SOURCE_PATH, SourceError, merged_rows, read_csv, to_csv


def test_every_table_is_valid_and_joins_its_geometry():
    assert [str(i) for i in validate_all()] == []


def test_every_csv_has_a_sidecar_that_matches_its_columns():
    for csv in sorted(TABLES_DIR.glob("*.csv")):
        meta = TABLES_DIR / f"{csv.stem}.meta.yml"
        assert meta.exists(), csv.name
        declared = list(yaml.safe_load(meta.read_text(encoding="utf-8"))["columns"])
        assert declared == list(pd.read_csv(csv, nrows=0).columns), csv.name


def test_every_sidecar_has_provenance():
    for table in load_catalog().values():
        assert table.title and table.description, table.id
        assert table.source, table.id
        assert table.license.get("name"), table.id
        for col in table.columns:
            assert col.title, f"{table.id}.{col.name} has no title"


def test_every_column_of_every_sidecar_has_a_description():
    """The downloadable data dictionary has no blank entries."""
    missing = []
    for meta in sorted(TABLES_DIR.glob("*.meta.yml")):
        columns = yaml.safe_load(meta.read_text(encoding="utf-8"))["columns"]
        for name, spec in columns.items():
            description = (spec or {}).get("description")
            if not isinstance(description, str) or not description.strip():
                missing.append(f"{meta.name}: {name}")
    assert missing == [], "columns without a description:\n" + "\n".join(missing)


REQUIRED = {
    "model_cities": [
        "city_id",
        "name_en",
        "name_ja",
        "country_iso3",
        "program_year",
        "geocode_precision",
        "source_ref",
    ],
    "esc_seminars": [
        "seminar_no",
        "held",
        "status",
        "city_en",
        "country_iso3",
        "participants",
        "countries",
        "local_governments",
        "organizations",
        "source_ref",
    ],
    "locarnet_events": [
        "event_id",
        "title_en",
        "date_start",
        "date_end",
        "city_en",
        "country_iso3",
        "participants",
        "source_ref",
    ],
    "city_partnerships": [
        "jp_municipality_en",
        "partner_en",
        "partner_country_iso3",
        "cooperation_en",
        "cooperation_ja",
        "source_ref",
    ],
    "jcm_partners": ["country_iso3", "name_en", "name_ja", "signed_on", "joint_committee_held", "source_ref"],
    "fs_studies": [
        "study_no",
        "fiscal_year",
        "title_en",
        "title_ja",
        "country_iso3",
        "site_en",
        "site_kind",
        "geocode_precision",
        "source_ref",
    ],
    "jcm_model_projects": [
        "project_id",
        "fiscal_year",
        "representative_en",
        "title_en",
        "title_ja",
        "country_iso3",
        "expected_reduction_tco2_per_year",
        "geocode_precision",
        "source_ref",
    ],
}


@pytest.mark.parametrize("layer", sorted(REQUIRED))
def test_public_contract_columns(layer):
    table = load_catalog()[layer]
    assert table.is_layer
    missing = [c for c in REQUIRED[layer] if c not in table.column_names]
    assert missing == []


def test_model_city_counts_match_the_brochure_totals():
    cities = load_table("model_cities")
    year1, year2 = cities[cities.program_year == 1], cities[cities.program_year == 2]
    assert len(year1) == 14 and year1.country_iso3.nunique() == 8  # 計 8カ国 14都市
    assert len(year2) == 21  # 計 21都市
    per_country = year2.groupby("country_iso3").size().to_dict()
    assert per_country == {"IDN": 4, "KHM": 2, "LAO": 3, "MMR": 3, "PHL": 3, "THA": 4, "VNM": 2}  # Malaysia: 未定


def test_seminar_figures_as_printed():
    s = load_table("esc_seminars").set_index("seminar_no")
    assert s.participants.tolist()[:5] == [140, 140, 230, 200, 180]
    assert s.countries.tolist()[:5] == [12, 12, 14, 15, 15]
    assert s.local_governments.tolist()[:5] == [24, 19, 39, 21, 36]
    assert s.organizations.tolist()[:5] == [26, 18, 27, 29, 31]
    assert s.loc[6, "status"] == "planned" and s.loc[6, "held"] == "2015-02" and pd.isna(s.loc[6, "participants"])


def test_fs_studies_cover_19_studies_in_11_countries():
    fs = load_table("fs_studies")
    assert sorted(fs.study_no.unique()) == list(range(1, 20))
    assert fs.country_iso3.nunique() == 11  # アジア11カ国
    assert (fs.fiscal_year == 2014).all()
    assert fs.groupby("study_no").size()[9] == 2 and set(fs[fs.study_no == 9].country_iso3) == {"THA", "MYS"}


def test_model_projects_and_first_registered():
    mp = load_table("jcm_model_projects")
    fy2014 = mp[mp.fiscal_year == 2014]
    assert len(fy2014) == 7 and set(fy2014.country_iso3) == {"IDN", "VNM"}
    assert sorted(fy2014.expected_reduction_tco2_per_year.tolist()) == [104, 310, 857, 2786, 3355, 28128, 122000]
    first = mp[mp.first_registered].iloc[0]
    assert first.registered_on == "2014-10-31" and first.expected_reduction_tco2_total == 799
    assert pd.isna(first.expected_reduction_tco2_per_year)  # 799 t is a total to 2020, not per year


def test_jcm_partners_and_joint_committees():
    """The brochure's state still gives exactly its 12, with the joint committees it names."""
    p = load_table("jcm_partners")
    brochure = Filter().apply(load_catalog()["jcm_partners"], p)
    assert len(brochure) == 12 and brochure.in_brochure.all()
    assert brochure.signing_order.tolist() == list(range(1, 13))
    assert set(brochure[~brochure.joint_committee_held.astype(bool)].country_iso3) == {"CRI", "KHM", "MEX"}
    assert brochure.source_ref.str.startswith("jcm.signatories").all()
    assert p.set_index("country_iso3").loc["MNG", "signed_on"] == "2013-01-08"


def test_all_31_partners_follow_the_public_record():
    """Order, status, place and source as the record has them; verified dates equal it exactly."""
    record = pd.read_csv(SOURCE_PATH, dtype=str, keep_default_na=False).set_index("iso3")
    p = load_table("jcm_partners").set_index("country_iso3")
    assert len(p) == 31 and set(p.index) == set(record.index)
    assert p.signing_order.tolist() == list(range(1, 32))
    for iso3, rec in record.iterrows():
        row = p.loc[iso3]
        assert row.signing_order == int(rec.partner_no), iso3
        assert row.signed_on_status == rec.signed_on_status, iso3  # never promoted
        assert row.signed_on_source == rec.source_url, iso3
        if rec.signed_on_status == "verified":
            assert row.signed_on == rec.signed_on, iso3
        elif rec.signed_on_status == "unverified":
            assert row.signed_on == "" and pd.isna(row.joint_committee_held) and not row.in_brochure, iso3
    # The two days no source confirmed stay, marked and explained.
    for iso3, day in (("BGD", "2013-03-19"), ("PLW", "2014-01-13")):
        assert p.loc[iso3, "signed_on"] == day and p.loc[iso3, "signed_on_status"] == "partly verified"
        assert record.loc[iso3, "signed_on"] == day[:7] and "no stored source confirmed" in p.loc[iso3, "note"]
    later = p[~p.in_brochure]
    assert (later.source_ref == "").all() and later.joint_committee_held.isna().all()


def test_the_partner_table_is_what_the_record_and_the_brochure_rows_make():
    raw = read_csv(TABLES_DIR / "jcm_partners.csv")
    brochure = [r for r in raw if r["in_brochure"] == "true"]
    assert (TABLES_DIR / "jcm_partners.csv").read_text(encoding="utf-8") == to_csv(
        merged_rows(read_csv(SOURCE_PATH), brochure)
    ), "run scripts/curate_jcm_partners.py"


def test_a_brochure_date_the_record_contradicts_is_refused():
    record = read_csv(SOURCE_PATH)
    brochure = [r for r in read_csv(TABLES_DIR / "jcm_partners.csv") if r["in_brochure"] == "true"]
    brochure[0] = {**brochure[0], "signed_on": "2013-02-08"}
    with pytest.raises(SourceError, match="MNG"):
        merged_rows(record, brochure)
    bad = [{**record[0], "signed_on_status": "confirmed"}] + record[1:]
    with pytest.raises(SourceError, match="line 2, signed_on_status"):
        merged_rows(bad, brochure)


def test_nine_city_partnerships_and_recovered_reversed_line():
    c2c = load_table("city_partnerships")
    assert len(c2c) == 9
    pasir = c2c.set_index("feature_id").loc["c2c_kitakyushu_pasir_gudang"]
    assert "藤沢SSTモデル" in pasir.cooperation_ja and "ESCOビジネスモデル" in pasir.cooperation_ja


def test_every_year1_success_story_is_bilingual():
    stories = load_table("success_stories")
    assert len(stories) == 8
    assert (stories.story_ja.str.len() > 50).all() and (stories.story_en.str.len() > 50).all()


def test_unresolved_rows_have_no_geometry_and_say_why():
    for layer in REQUIRED:
        gdf = load_layer(layer)
        if "geocode_precision" not in gdf:
            continue
        unresolved = gdf[gdf.geocode_precision == "unresolved"]
        assert unresolved.geometry.isna().all(), layer
        assert (gdf[gdf.geocode_precision != "unresolved"].geometry.notna()).all(), layer


@pytest.mark.filterwarnings("ignore:Geometry is in a geographic CRS")
def test_points_lie_in_their_country():
    """A gazetteer hit in the wrong country (a same-named town) would show up here."""
    import geopandas as gpd

    world = gpd.read_file("static/geo/countries.geojson")
    for layer in ("model_cities", "fs_studies", "esc_seminars"):
        gdf = load_layer(layer).dropna(subset=["geometry"])
        if "located_in_iso3" in gdf:
            # A city the brochure lists under the wrong country is placed where it is, and says so.
            gdf = gdf.assign(
                country_iso3=gdf["located_in_iso3"].where(gdf["located_in_iso3"].fillna("") != "", gdf["country_iso3"])
            )
        joined = gpd.sjoin_nearest(
            gdf[["feature_id", "country_iso3", "geometry"]], world[["iso3", "geometry"]], how="left"
        )
        wrong = joined[joined.country_iso3 != joined.iso3]
        assert wrong.empty, wrong[["feature_id", "country_iso3", "iso3"]].to_dict("records")


def test_the_vendored_record_is_the_file_its_source_note_describes():
    import hashlib

    source = yaml.safe_load((SOURCE_PATH.parent / "SOURCE.yml").read_text(encoding="utf-8"))
    assert hashlib.sha256(SOURCE_PATH.read_bytes()).hexdigest() == source["sha256"]
    assert len(read_csv(SOURCE_PATH)) == source["rows"] == 31
