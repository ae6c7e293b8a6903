"""The display helpers of dashboard.content.tables, and the column-label maps the page content modules hand them.

The label checks run over every page's map at once, since what they assert (Japanese labels
are Japanese, curators' English notes say so) is one convention of the table display.
"""

import json

import pandas as pd
import pytest
from apptest_helpers import JAPANESE, shown
from apptest_helpers import run_page as run

from dashboard.content import about, about_places, city_to_city, model_cities, tables
from dashboard.i18n import t


@pytest.mark.parametrize(
    "columns",
    [
        city_to_city.partnership_columns,
        model_cities.exchange_columns,
        about_places.places_columns,
        about.reading_notes_columns,
        about.facts_columns,
        about.provenance_columns,
        about_places.non_exact_columns,
        about.licences_columns,
    ],
)
def test_japanese_labels_are_japanese(columns):
    en, ja = columns("en"), columns("ja")
    assert list(en) == list(ja) and len(set(ja.values())) == len(ja)
    assert all(JAPANESE.search(label) for label in ja.values()), ja


def test_curators_notes_say_they_are_english_in_japanese():
    assert city_to_city.partnership_columns("ja")["note"] == "注記（英語）"
    assert about_places.non_exact_columns("ja")["geocode_note"] == "位置の決め方（英語）"
    assert about.reading_notes_columns("ja")["explanation"] == "説明（英語）"


def test_for_display_and_helpers():
    frame = pd.DataFrame({"a": [1, 2], "b": ["x", ""]})
    assert tables.for_display(frame, {"b": "B", "a": "A"}).columns.tolist() == ["B", "A"]
    with pytest.raises(KeyError, match="'c'"):
        tables.for_display(frame, {"c": "C"})
    with pytest.raises(ValueError, match="duplicate"):
        tables.for_display(frame, {"a": "X", "b": "X"})
    assert tables.row_fields(frame.iloc[1], ["a", "b"]) == [("a", "2")]


# -- fitting tables to the page -----------------------------------------------------------------
LONG = "a long title of a study that runs on for many words " * 3


@pytest.mark.parametrize(
    ("frame", "details", "lines", "shown_cols"),
    [
        # Short columns keep their own width, on one line.
        (pd.DataFrame({"No.": [1, 2], "Date": ["5 Dec 2014", "Dec 2014"]}), (), 1, ["No.", "Date"]),
        # Long text wraps within the page instead of running off to the right.
        (pd.DataFrame({"No.": [1], "Title": [LONG], "Sites": [LONG]}), (), 3, ["No.", "Title", "Sites"]),
        # A column kept for the row details is not in the grid.
        (pd.DataFrame({"No.": [1], "Title": ["short"], "Note": [LONG]}), ("Note",), 1, ["No.", "Title"]),
    ],
)
def test_fit_columns(frame, details, lines, shown_cols):
    fit = tables.fit_columns(frame, details)
    assert fit.shown == shown_cols and fit.lines == lines
    assert fit.total_px <= tables.PAGE_PX
    for col in fit.shown:
        # A heading is never cut, nor a short cell.
        assert fit.widths[col] >= tables.natural_px(col, ())
        if tables.natural_px(col, frame[col]) <= tables.WIDE_COLUMN_PX:
            assert fit.widths[col] == tables.natural_px(col, frame[col])


def test_fit_columns_wraps_text_never_numbers():
    frame = pd.DataFrame({"Reduction (tCO2/year)": [122000.0], "Title": [LONG], "Company": ["Ebara " * 8]})
    fit = tables.fit_columns(frame, page_px=500)
    assert fit.widths["Reduction (tCO2/year)"] == tables.natural_px("Reduction (tCO2/year)", frame.iloc[:, 0])
    assert not fit.whole and fit.row_px > 64  # taller than 64 px is when the grid wraps text


def test_fit_columns_names_an_unknown_detail_column():
    with pytest.raises(KeyError, match="'Note'"):
        tables.fit_columns(pd.DataFrame({"No.": [1]}), ("Note",))


def test_japanese_text_is_measured_wider():
    assert tables.text_px("2014年12月5日") > tables.text_px("5 Dec 2014")


PAGES = ["model_cities", "jcm", "seminars", "city_to_city", "about", "downloads"]


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("page", PAGES)
def test_every_table_fits_the_page_and_says_how_to_open_a_row(page, lang):
    at = run(f"pages/{page}.py", lang)
    assert not at.exception
    hints = [c.value for c in at.caption if shown(c.value) == t("tables.open_row", lang)]
    for df in at.dataframe:
        config = json.loads(df.proto.columns)
        widths = [config[c]["width"] for c in df.proto.column_order]
        # Downloads previews are the files' own columns: they may scroll, but each row opens.
        if page != "downloads":
            assert tables.ROW_MARKER_PX + sum(widths) <= tables.PAGE_PX, (
                df.key,
                dict(zip(df.proto.column_order, widths)),
            )
    selectable = [df for df in at.dataframe if df.proto.selection_mode]
    assert len(hints) == len(selectable)
    assert not [c.value for c in at.caption if "left edge" in c.value or "左端" in c.value]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_click_on_any_cell_opens_its_row_in_full(lang):
    at = run("pages/jcm.py", lang)
    fs = at.dataframe[0].value
    heading = t("tables.row_heading", lang)
    assert heading not in [c.value for c in at.caption]
    # Study 12's title is cut in the grid; a click on its country cell (not the row's edge) selects the cell.
    at.session_state["fs_table"] = {"selection": {"rows": [], "columns": [], "cells": [[11, fs.columns[2]]]}}
    at.run()
    assert heading in [c.value for c in at.caption]
    texts = [shown(m.value) for m in at.markdown]
    # ...and the row shows in full: the whole title, and the fiscal year, which the grid leaves out.
    for col in (1, -1):
        assert any(text.startswith(f"**{fs.columns[col]}**") and fs.iloc[11, col] in text for text in texts)


# -- on a phone ---------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_phone_grid_keeps_the_leading_columns_that_fit_and_leaves_the_rest_to_the_row(lang):
    from dashboard.content import jcm
    from dashboard.io import load_table

    display = jcm.fs_study_table(load_table("fs_studies"), lang)
    moved = tables.phone_columns(display, (t("col.fiscal_year", lang),))
    kept = [c for c in display.columns if c not in moved]
    assert kept[:2] == [t("col.no", lang), t("col.title", lang)]
    assert t("col.fiscal_year", lang) in moved  # what was already in the row details stays there
    fit = tables.fit_columns(display, moved, tables.PHONE_PX)
    assert fit.total_px <= tables.PHONE_PX, fit.widths
    assert list(display.columns[: len(kept)]) == kept  # in the table's own order, none skipped


def test_a_phone_grid_always_shows_the_first_column():
    wide = pd.DataFrame({"A name wider than any phone " * 3: ["x"], "B": ["y"]})
    assert tables.phone_columns(wide) == ("B",)
