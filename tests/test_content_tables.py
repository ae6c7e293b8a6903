"""The display helpers of dashboard.content.tables, and the column-label maps the page content modules hand them.

The label checks run over every page's map at once, since what they assert (Japanese labels
are Japanese, curators' English notes say so) is one convention of the table display.
"""

import pandas as pd
import pytest
from apptest_helpers import JAPANESE

from dashboard.content import about, about_places, city_to_city, model_cities, tables


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
    assert tables.table_height(9) == 35 * 10 + 3 and tables.table_height(70) == 35 * 26 + 3
