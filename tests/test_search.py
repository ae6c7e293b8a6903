"""Finding a feature by name: folding (case, width, diacritics, kana and romaji) and ranking."""

import pytest

from dashboard.search import EXACT, PREFIX, SUBSTRING, WORD_PREFIX, entry, fold, kana_to_romaji, match, normalise, rank


@pytest.mark.parametrize(
    "typed",
    ["Surabaya", "surabaya", "SURABAYA", "ＳＵＲＡＢＡＹＡ", "すらばや", "スラバヤ", "ｽﾗﾊﾞﾔ", " sura-baya "],
)
def test_every_way_of_typing_surabaya_folds_alike(typed):
    assert fold(typed) == "surabaya"


@pytest.mark.parametrize(
    "a,b",
    [
        ("Kitakyūshū", "kitakyushu"),
        ("きたきゅうしゅう", "Kitakyushu"),  # long vowels typed in kana, none in the English name
        ("とうきょう", "Tokyo"),
        ("Tōkyō", "toukyou"),
        ("ほっかいどう", "Hokkaido"),
        ("ほーちみん", "Ho Chi Min"),  # the chōon is a long vowel too; "Ho Chi Minh" starts so
        ("Hải Phòng", "hai phong"),
        ("Đà Nẵng", "Da Nang"),
        ("ダナン", "だなん"),
    ],
)
def test_spellings_that_mean_the_same_fold_alike(a, b):
    assert fold(a) == fold(b)


@pytest.mark.parametrize(
    "kana,romaji",
    [
        ("しゃしんちゅう", "shashinchuu"),
        ("じゃかるた", "jakaruta"),
        ("まっちゃ", "matcha"),
        ("きって", "kitte"),
        ("ふぁいる", "fairu"),
        ("てぃっしゅ", "tisshu"),
        ("うぃーん", "wiin"),
        ("しぇむりあっぷ", "shemuriappu"),
        ("ゔぁ", "va"),
        ("でゅ", "dyu"),
        ("ゃ", "ya"),  # a small kana with nothing before it
        ("っ", ""),
        ("ー", "ー"),  # no vowel to lengthen: kept, like any other character
        ("北九州し", "北九州shi"),
    ],
)
def test_kana_to_hepburn(kana, romaji):
    assert kana_to_romaji(kana) == romaji


def test_voicing_marks_are_not_diacritics():
    assert normalise("ガ・パ・ｶﾞ") == "が・ぱ・が"
    assert fold("ばんこく") != fold("はんこく")


def test_kanji_and_punctuation():
    assert fold("北九州市") == "北九州市"
    assert fold("Kitakyushu City → Surabaya City") == "kitakyushucitysurabayacity"
    assert fold("!!! ・ — ") == ""


SURABAYA = entry("model_cities:surabaya_y1", "Surabaya", ["Surabaya", "スラバヤ"])
PAIR = entry(
    "city_partnerships:c2c_kitakyushu_surabaya",
    "Kitakyushu → Surabaya",
    ["Kitakyushu City → Surabaya City", "北九州市 → スラバヤ市"],
)
SEMINAR = entry(
    "esc_seminars:hls_2",
    "2nd seminar (Kitakyushu)",
    ["2nd High Level Seminar (Kitakyushu)", "第2回ハイレベルセミナー（北九州市）"],
)
INDEX = [PAIR, SEMINAR, SURABAYA]


@pytest.mark.parametrize(
    "item,query,expected",
    [
        (SURABAYA, "すらばや", EXACT),
        (SURABAYA, "sura", PREFIX),
        (PAIR, "surabaya", WORD_PREFIX),
        (PAIR, "すらばや", WORD_PREFIX),
        (SEMINAR, "北九州", WORD_PREFIX),
        (SURABAYA, "baya", SUBSTRING),
        (SURABAYA, "jakarta", None),
        (SURABAYA, "", None),
    ],
)
def test_rank(item, query, expected):
    assert rank(item, fold(query)) == expected


def test_match_is_best_first_and_stable():
    assert match(INDEX, "surabaya") == [SURABAYA, PAIR]
    assert match(INDEX, "きたきゅうしゅう") == [PAIR, SEMINAR]
    assert match(INDEX, "Kitakyūshū") == [PAIR, SEMINAR]
    assert match(INDEX, "a") == INDEX  # equally good (substring) matches keep the index's order


def test_nothing_to_search_for_matches_nothing():
    assert match(INDEX, "") == match(INDEX, "   ") == match(INDEX, "・・") == []


def test_entry_keeps_each_name_once():
    e = entry("k", "label", ["Da Nang", "ダナン", "だなん", ""])
    assert e.names == ("danang", "danan") and e.label == "label" and e.key == "k"
