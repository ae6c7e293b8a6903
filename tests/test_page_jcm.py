"""JCM page: its charts and tables, and how they follow the filter in the URL.

Also dashboard.content.jcm, the tables and cards behind it, on the real tables.
"""

from apptest_helpers import figures
from apptest_helpers import run_page as run

from dashboard.content import jcm as content
from dashboard.io import load_layers, load_table


# -- the page ---------------------------------------------------------------------------------
def test_pages_hold_the_expected_charts_and_tables():
    assert set(figures(run("pages/jcm.py"))) == {
        "jcm_partners_timeline",
        "fs_studies_per_country",
        "model_project_reductions",
    }


def chart_tables(at):
    """Label and rows of every chart's folded table, in page order."""
    return [(exp.label, exp.table[0].value) for exp in at.expander if exp.table]


def test_every_chart_has_its_figures_as_a_table_folded_under_it():
    for lang, label in (("en", "Chart as a table"), ("ja", "グラフの数値（表）")):
        at = run("pages/jcm.py", lang)
        found = chart_tables(at)
        assert [name for name, _ in found] == [label] * 3
        assert all(not exp.proto.expanded for exp in at.expander if exp.table)
        projects = found[2][1]
        fig = figures(at)["model_project_reductions"]
        # The figures as a reader reads them, thousands separated (the table is text, made once).
        assert list(projects.iloc[:, -1]) == [f"{v:,.0f}" for v in fig["data"][0]["x"]]
    # The table follows the filter, as the chart does.
    at = run("pages/jcm.py", country="VNM")
    assert len(chart_tables(at)[2][1]) == 2


def test_model_project_bars_have_labels_of_their_own_and_the_note_names_the_registered_project():
    for lang in ("en", "ja"):
        at = run("pages/jcm.py", lang)
        fig = figures(at)["model_project_reductions"]
        bars = fig["data"][0]["y"]
        assert len(bars) == len(set(bars)) == len(fig["data"][0]["x"])
        # Notes are wrapped to fit a phone: Japanese lines join without a space.
        notes = " ".join(a["text"] for a in fig["layout"]["annotations"]).replace("<br>", "" if lang == "ja" else " ")
        assert ("Batang" if lang == "en" else "バタン") in notes
        assert not any(f"{b})" in notes for b in bars)


def test_jcm_page_follows_the_country_filter():
    at = run("pages/jcm.py", country="IDN")
    figs = figures(at)
    dots = [tr for tr in figs["jcm_partners_timeline"]["data"] if tr.get("mode") == "markers+text"]
    assert [y for tr in dots for y in tr["y"]] == ["Indonesia"]
    assert figs["fs_studies_per_country"]["data"][0]["y"] == ["Indonesia"]
    assert figs["fs_studies_per_country"]["data"][0]["x"] == [4]
    assert len(figs["model_project_reductions"]["data"][0]["x"]) == 5
    fs_table, projects_table = at.dataframe[0].value, at.dataframe[1].value
    assert list(fs_table["No."]) == [2, 3, 4, 5] and len(projects_table) == 5
    # The first registered project is in Indonesia, so it is still shown.
    assert not at.info


def test_jcm_page_says_when_the_first_project_is_filtered_out():
    at = run("pages/jcm.py", "ja", country="VNM")
    assert at.info and "第1号登録案件" in at.info[0].value
    figs = figures(at)
    assert len(figs["model_project_reductions"]["data"][0]["x"]) == 2  # Hitachi Zosen, Nippon Express


# -- dashboard.content.jcm --------------------------------------------------------------------
def test_fs_table_one_row_per_study_with_all_sites():
    table = content.fs_study_table(load_table("fs_studies"), "en")
    assert len(table) == 19
    row9 = table[table["No."] == 9].iloc[0]
    assert row9["Countries"] == "Thailand; Malaysia" and row9["Sites"] == "Bangkok; Iskandar region"


def test_scheme_cards_and_committees():
    cards = content.scheme_cards(load_table("jcm_financing_schemes"), "ja")
    assert len(cards) == 3 and cards[2]["fields"][-1] == ("期間", "2013年度～2020年度")
    lines = content.joint_committees(load_table("jcm_partners"), "en")
    assert lines[0].startswith("Held (9): Mongolia") and lines[1] == "Not yet held (3): Costa Rica, Cambodia, Mexico"


def test_partner_bounds_include_the_americas():
    partners = load_layers()["jcm_partners"][1]
    (south, west), (north, east) = content.partner_bounds(partners)
    assert west < -100 and east > 130  # Mexico and Palau both on screen
    assert content.partner_bounds(partners.iloc[0:0]) is None


# -- the state: the brochure's 12 or all 31 ---------------------------------------------------
def shown(markdown) -> str:
    """A Markdown element's text as read (escapes dropped)."""
    return markdown.value.replace("\\", "")


def test_the_page_says_which_state_it_shows_and_switches_in_one_click():
    for lang, brochure, latest in (
        ("en", "as of December 2014, as the brochure lists them: 12 countries", "31 countries (19 signed after"),
        (
            "ja",
            "2014年12月現在のJCM署名国（パンフレットのとおり）：12か国",
            "31か国（うちパンフレット以降の署名19か国）",
        ),
    ):
        at = run("pages/jcm.py", lang)
        assert any(brochure in shown(m) for m in at.markdown)
        assert at.radio(key=f"as_of_{lang}").value == "2014-12"
        at.button(key="state_switch").click().run()
        assert at.query_params["as_of"] in ("latest", ["latest"])
        assert any(latest in shown(m) for m in at.markdown)
        assert at.radio(key=f"as_of_{lang}").value == "latest"
        # Back in one click; the default leaves the URL.
        at.button(key="state_switch").click().run()
        assert "as_of" not in at.query_params and any(brochure in shown(m) for m in at.markdown)


def test_joint_committees_speak_only_of_the_brochure_partners_in_either_state():
    layers = load_layers()
    table, partners = layers["jcm_partners"]
    from dashboard.filters import Filter

    for as_of in ("2014-12", "latest"):
        lines = content.joint_committees(Filter(as_of=as_of).apply(table, partners), "en")
        assert lines[0].startswith("Held (9): Mongolia"), lines
        assert "Senegal" not in " ".join(lines) and "Costa Rica" in lines[1]
        # The later partners are neither 'held' nor 'not held': one sentence says the atlas has no record.
        assert len(lines) == (3 if as_of == "latest" else 2)
        assert as_of != "latest" or lines[2].startswith("Signed after December 2014 (19)")


def test_the_sidebar_state_is_carried_to_other_pages_and_a_bad_value_is_named():
    at = run("pages/jcm.py", "en", as_of="latest")
    assert at.radio(key="as_of_en").value == "latest"
    at = run("pages/seminars.py", "en", as_of="latest")
    assert at.query_params["as_of"] in ("latest", ["latest"])  # a page without partners keeps it for the next one
    at = run("pages/jcm.py", "en", as_of="<b>2030</b>")
    warning = " ".join(w.value for w in at.warning)
    assert "JCM partners shown" in warning and "<b>" not in warning and "as_of" not in at.query_params
