"""Country briefs: the PDF of every country in both languages opens, fits two A4 pages, embeds its typeface,
holds the country's name and figures as text (read back with poppler's pdftotext), and is the same bytes from
the page's function and the CLI. Also the map drawn in it, as geometry.
"""

import shutil
import subprocess
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from cli_helpers import cli

from dashboard import brief
from dashboard.brief import fonts
from dashboard.brief.map_drawing import MIN_SPAN_DEG, frame_for, map_drawing
from dashboard.content import country as content
from dashboard.i18n import country_name
from dashboard.io import load_layers, load_table, load_world

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is installed by setup --test")


def _inputs():
    frames = {layer_id: frame for layer_id, (_, frame) in load_layers().items()}
    places = load_table("places")
    stories = {row["city_id"]: row for _, row in load_table("success_stories").iterrows()}
    return frames, places, stories, load_table("brochure_facts"), load_world()


_CACHE: dict = {}


def _brief(job: tuple[str, str]) -> bytes:
    """One brief, in a worker process that loads the data once."""
    if "inputs" not in _CACHE:
        _CACHE["inputs"] = _inputs()
    return brief.make_brief(*_CACHE["inputs"], *job)


@pytest.fixture(scope="module")
def inputs():
    return _inputs()


@pytest.fixture(scope="module")
def briefs(inputs, tmp_path_factory) -> dict[tuple[str, str], Path]:
    """Every country's brief in both languages, written to files (two processes: a brief takes a second or two)."""
    frames, places = inputs[0], inputs[1]
    jobs = [(iso3, lang) for iso3 in content.countries_held(frames, places) for lang in ("en", "ja")]
    folder = tmp_path_factory.mktemp("briefs")
    out = {}
    with ProcessPoolExecutor(max_workers=2) as pool:
        for job, data in zip(jobs, pool.map(_brief, jobs), strict=True):
            path = folder / brief.brief_filename(*job)
            path.write_bytes(data)
            out[job] = path
    return out


def _pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def _text(path: Path) -> str:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


def test_every_brief_fits_two_pages_and_names_its_country_and_figures(briefs, inputs):
    frames, places, stories, facts, _ = inputs
    assert len(briefs) == 2 * len(content.countries_held(frames, places))
    for (iso3, lang), path in briefs.items():
        assert path.read_bytes().startswith(b"%PDF-")
        assert 1 <= _pages(path) <= 2, (iso3, lang, _pages(path))
        text = _text(path)
        assert country_name(iso3, lang) in text, (iso3, lang)
        squashed = "".join(text.split())  # pdftotext may drop a narrow space ("2 / 4" reads "2/4")
        for label, value in content.profile(frames, places, stories, facts, iso3, lang).figures:
            assert "".join(label.split()) in squashed and "".join(value.split()) in squashed, (iso3, lang, label)


def test_indonesia_in_english_and_japanese(briefs):
    en = _text(briefs[("IDN", "en")])
    for words in ("Indonesia: country brief", "2/4", "26 Aug 2013", "4 (5 sites)", "153,875 tCO2",
                  "Kitakyushu City → Surabaya City", "Kawasaki City → Bandung City", "How to cite"):  # fmt: skip
        assert words in en, words
    ja = _text(briefs[("IDN", "ja")])
    for words in ("インドネシア：国別概要", "2013年8月26日", "4件（5地点）", "北九州市 → スラバヤ市", "出典"):
        assert words in ja, words
    assert "country brief" not in ja and "How to cite" not in ja


def test_renders_of_the_indonesia_and_viet_nam_briefs(briefs):
    # Kept with the test run's artifacts, to be looked at: each page as a PNG, as pdftoppm draws it.
    folder = Path(__file__).resolve().parent.parent / "test-artifacts" / "briefs"
    folder.mkdir(parents=True, exist_ok=True)
    for iso3 in ("IDN", "VNM"):
        for lang in ("en", "ja"):
            stem = folder / f"{iso3}_{lang}"
            subprocess.run(["pdftoppm", "-r", "90", "-png", str(briefs[(iso3, lang)]), str(stem)], check=True)
            assert len(list(folder.glob(f"{iso3}_{lang}-*.png"))) == _pages(briefs[(iso3, lang)])


def test_viet_nam_brief(briefs):
    en = _text(briefs[("VNM", "en")])
    assert "Viet Nam: country brief" in en and "2/2" in en and "2 Jul 2013" in en
    assert "ベトナム：国別概要" in _text(briefs[("VNM", "ja")])


def test_the_typeface_is_embedded(briefs):
    listing = subprocess.run(["pdffonts", str(briefs[("IDN", "ja")])], capture_output=True, text=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:]]
    assert rows and all("yes" == row[-5] for row in rows), listing  # the "emb" column


def test_same_inputs_same_bytes_and_the_cli_gives_them(briefs, tmp_path):
    out = tmp_path / "idn-ja.pdf"
    done = cli("brief", "IDN", "--lang", "ja", "-o", str(out))
    assert done.returncode == 0, done.stderr.decode()
    assert out.read_bytes() == briefs[("IDN", "ja")].read_bytes()
    assert b"/CreationDate (D:20261201" in out.read_bytes()  # the data's release date, pinned


def test_the_cli_names_a_country_it_does_not_hold(tmp_path):
    done = cli("brief", "FRA", "-o", str(tmp_path / "x.pdf"))
    assert done.returncode == 2
    assert b"holds nothing for 'FRA'" in done.stderr and b"IDN" in done.stderr and b"Traceback" not in done.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_a_missing_typeface_is_named(monkeypatch):
    monkeypatch.setattr(fonts, "CANDIDATES", {"": ("/nowhere/font.ttc",), "B": ("/nowhere/bold.ttc",)})
    monkeypatch.setattr(fonts, "_fc_match", lambda style: None)
    fonts.face.cache_clear()
    try:
        with pytest.raises(brief.FontMissing, match="fonts-noto-cjk"):
            fonts.face("")
    finally:
        fonts.face.cache_clear()


# -- the map in the brief ----------------------------------------------------------------------
def test_a_small_island_state_is_framed_with_sea_around_it(inputs):
    world = inputs[4]
    palau = world.loc[world["iso3"] == "PLW", "geometry"].iloc[0]
    frame = frame_for(palau, [], 104 / 76)
    assert frame.north - frame.south >= MIN_SPAN_DEG
    west, south, east, north = palau.bounds
    assert frame.west < west and frame.east > east and frame.south < south and frame.north > north


def test_a_country_across_the_antimeridian_is_framed_on_its_largest_part(inputs):
    world = inputs[4]
    fiji = world.loc[world["iso3"] == "FJI", "geometry"].iloc[0]
    frame = frame_for(fiji, [], 104 / 76)
    assert frame.east - frame.west < 60


def test_indonesia_map_draws_its_sites_and_itself_on_top(inputs):
    frames, places, _, _, world = inputs
    from dashboard.maps.layers import features_in_country

    found = features_in_country(frames, "IDN", places)
    features = [(m.programme, rows[rows.geometry.notna()]) for m, rows in found]
    drawing = map_drawing(world, "IDN", features, 104, 76)
    assert drawing.countries[-1][0] == "IDN"
    by_country = {p: int((rows["geocode_precision"] == "country").sum()) for p, rows in features}
    sites = sum(int(((rows.geometry.geom_type == "Point") & (rows["geocode_precision"] != "country")).sum())
                for _, rows in features)  # fmt: skip
    assert len([m for m in drawing.marks if not m.count]) == sites  # every site of the country is in its frame
    # Rows placed by country only are one numbered badge per programme, as on the atlas map, never sites.
    assert {m.programme: m.count for m in drawing.marks if m.count} == {p: n for p, n in by_country.items() if n}
    assert {m.programme: m.count for m in drawing.marks if m.count}["jcm_projects"] == 5
    assert all(0 <= m.x <= 104 and 0 <= m.y <= 76 for m in drawing.marks)
    assert {"esc_y1", "esc_y2", "fs", "jcm_projects", "seminars", "c2c"} <= set(drawing.programmes)
