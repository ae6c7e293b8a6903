"""Finding a feature by name in either language, however the reader types it.

Streamlit's own option filter compares the typed text with the option labels
character for character, and the labels are in the reader's language: on a
Japanese screen "surabaya" or "すらばや" found nothing, only "スラバヤ". Here
every name (English and Japanese) and the query are *folded* into one form
first, so that case, width, diacritics, katakana or hiragana, and romaji or
kana no longer matter:

- NFKC (full-width "ＳＵＲＡＢＡＹＡ" and half-width "ｽﾗﾊﾞﾔ" become ordinary
  letters and kana), then casefold;
- diacritics dropped ("Kitakyūshū", "Hải Phòng"), but not the voicing marks of
  kana, which are part of the sound (が is not か);
- katakana as hiragana, then kana as Hepburn romaji, so "すらばや" meets the
  English "Surabaya";
- long vowels collapsed ("ou", "uu", doubled vowels, the chōon "ー"), on both
  sides: the kana "きたきゅうしゅう" reads "kitakyuushuu" and the English
  "Kitakyushu" has no long vowels written; no dictionary of readings needed;
- spaces, hyphens, punctuation and symbols removed.

Kanji are kept as they are, so "北九州" still finds 北九州市. Pure: no Streamlit.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# Letters with a stroke have no decomposition, so stripping marks leaves them as they are.
_UNMARKED = str.maketrans({"đ": "d", "ł": "l", "ø": "o", "ı": "i", "æ": "ae", "œ": "oe"})
_KANA_VOICING = {"\u3099", "\u309a"}  # combining dakuten and handakuten
_KATAKANA = range(ord("ァ"), ord("ヶ") + 1)  # shifted by 0x60 onto hiragana
_CHOON = "ー"
_SOKUON = "っ"
_SMALL_Y = {"ゃ": "a", "ゅ": "u", "ょ": "o"}
_SMALL_VOWELS = {"ぁ": "a", "ぃ": "i", "ぅ": "u", "ぇ": "e", "ぉ": "o"}

_GOJUON = {
    "": "あいうえお",
    "k": "かきくけこ",
    "g": "がぎぐげご",
    "s": "さしすせそ",
    "z": "ざじずぜぞ",
    "t": "たちつてと",
    "d": "だぢづでど",
    "n": "なにぬねの",
    "h": "はひふへほ",
    "b": "ばびぶべぼ",
    "p": "ぱぴぷぺぽ",
    "m": "まみむめも",
    "r": "らりるれろ",
}
_ROMAJI = {kana: consonant + vowel for consonant, row in _GOJUON.items() for kana, vowel in zip(row, "aiueo")}
# Hepburn spells these by sound rather than by row.
_ROMAJI |= {"し": "shi", "じ": "ji", "ち": "chi", "ぢ": "ji", "つ": "tsu", "づ": "zu", "ふ": "fu"}
_ROMAJI |= {"や": "ya", "ゆ": "yu", "よ": "yo", "わ": "wa", "ゐ": "i", "ゑ": "e", "を": "o", "ん": "n"}
_ROMAJI |= {"ゔ": "vu", "ゎ": "wa", "ゕ": "ka", "ゖ": "ke"}
# A small kana with nothing to attach to reads as its own sound.
_STANDALONE = _ROMAJI | {k: "y" + v for k, v in _SMALL_Y.items()} | _SMALL_VOWELS

_LONG_VOWEL = re.compile(r"ou|([aeiou])\1+")


def normalise(text: object) -> str:
    """NFKC, casefolded, diacritics dropped, katakana as hiragana; spaces and punctuation kept.

    >>> normalise("ＳＵＲＡＢＡＹＡ · Kitakyūshū · ｽﾗﾊﾞﾔ · Đà Nẵng")
    'surabaya · kitakyushu · すらばや · da nang'
    """
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(c for c in decomposed if c in _KANA_VOICING or not unicodedata.combining(c))
    bare = unicodedata.normalize("NFC", bare).translate(_UNMARKED)
    return "".join(chr(ord(c) - 0x60) if ord(c) in _KATAKANA else c for c in bare)


def kana_to_romaji(text: str) -> str:
    """Hiragana as Hepburn romaji (long vowels as written); any other character kept.

    >>> kana_to_romaji("きたきゅうしゅう")
    'kitakyuushuu'
    >>> kana_to_romaji("しぇむりあっぷ・ほーちみん")
    'shemuriappu・hoochimin'
    """
    out: list[str] = []  # one entry per syllable, so a small kana can change the one before it
    kana_before = False  # whether out[-1] came from kana
    doubled = False  # after っ: the next consonant is doubled
    for c in text:
        if kana_before and c in _SMALL_Y:
            # きゃ kya, しゃ sha, ちゃ cha, じゃ ja, でゅ dyu
            stem = out[-1][:-1]
            out[-1] = stem + ("" if stem.endswith(("sh", "ch", "j")) else "y") + _SMALL_Y[c]
        elif kana_before and c in _SMALL_VOWELS:
            # Sounds loanwords need: ふぁ fa, てぃ ti, しぇ she, うぃ wi, ゔぁ va
            stem = "w" if out[-1] == "u" else out[-1][:-1]
            out[-1] = stem + _SMALL_VOWELS[c]
        elif kana_before and c == _CHOON and out[-1][-1] in "aeiou":
            out[-1] += out[-1][-1]
        elif c == _SOKUON:
            doubled = True
        elif c in _STANDALONE:
            syllable = _STANDALONE[c]
            if doubled and syllable[0] not in "aeiouyn":
                syllable = ("t" if syllable.startswith("ch") else syllable[0]) + syllable
            out.append(syllable)
            kana_before, doubled = True, False
        else:
            out.append(c)
            kana_before, doubled = False, False
    return "".join(out)


def fold(text: object) -> str:
    """The form names and queries are compared in: :func:`normalise`, romaji, long vowels collapsed, letters only.

    >>> [fold(s) for s in ("Surabaya", "ＳＵＲＡＢＡＹＡ", "すらばや", "スラバヤ")]
    ['surabaya', 'surabaya', 'surabaya', 'surabaya']
    >>> fold("きたきゅうしゅう") == fold("Kitakyūshū") == fold("kita-kyushu")
    True
    >>> fold("北九州市")
    '北九州市'
    """
    romaji = kana_to_romaji(normalise(text))
    letters = "".join(c for c in romaji if unicodedata.category(c)[0] in "LN")
    return _LONG_VOWEL.sub(lambda m: m.group(0)[0], letters)


def _words(text: str) -> tuple[str, ...]:
    return tuple(w for w in (fold(part) for part in re.split(r"[\W_]+", normalise(text))) if w)


@dataclass(frozen=True)
class Entry:
    """One feature as the search sees it."""

    key: str  # 'layer_id:feature_id'
    label: str  # what the reader is shown, in the reader's language
    names: tuple[str, ...]  # every name of the feature, folded
    words: tuple[str, ...]  # the words of those names, folded


def entry(key: str, label: str, names: Iterable[str]) -> Entry:
    """An index entry for a feature known by ``names`` (e.g. its English and Japanese name).

    >>> entry("model_cities:surabaya_y1", "Surabaya — Model cities", ["Surabaya", "スラバヤ"]).names
    ('surabaya',)
    """
    names = [str(n) for n in names if str(n).strip()]
    folded = tuple(dict.fromkeys(f for f in map(fold, names) if f))
    words = tuple(dict.fromkeys(w for n in names for w in _words(n)))
    return Entry(key=key, label=label, names=folded, words=words)


EXACT, PREFIX, WORD_PREFIX, SUBSTRING = range(4)  # how well a name matches; lower is better


def rank(item: Entry, folded_query: str) -> int | None:
    """How well ``item`` matches an already folded query (:data:`EXACT` … :data:`SUBSTRING`), or None."""
    if not folded_query:
        return None
    if folded_query in item.names:
        return EXACT
    if any(n.startswith(folded_query) for n in item.names):
        return PREFIX
    if any(w.startswith(folded_query) for w in item.words):
        return WORD_PREFIX
    if any(folded_query in n for n in item.names):
        return SUBSTRING
    return None


def match(index: Iterable[Entry], query: str) -> list[Entry]:
    """The entries whose names match ``query``, best first: exact, then prefix, then substring.

    Entries that match equally well keep the index's order.

    Parameters
    ----------
    index : iterable of Entry
        The searchable features, e.g. built with :func:`entry`.
    query : str
        What the reader typed, in any script, case or width.

    Returns
    -------
    list of Entry

    Example
    -------
    >>> index = [
    ...     entry("city_partnerships:c2c_kitakyushu_surabaya", "Kitakyushu → Surabaya", ["Kitakyushu → Surabaya"]),
    ...     entry("model_cities:surabaya_y1", "Surabaya", ["Surabaya", "スラバヤ"]),
    ...     entry("esc_seminars:hls_2", "2nd seminar, Kitakyushu", ["Kitakyushu", "北九州市"]),
    ... ]
    >>> [e.key for e in match(index, "すらばや")]
    ['model_cities:surabaya_y1', 'city_partnerships:c2c_kitakyushu_surabaya']
    >>> [e.key for e in match(index, "きたきゅうしゅう")]
    ['esc_seminars:hls_2', 'city_partnerships:c2c_kitakyushu_surabaya']
    >>> match(index, "Jakarta")
    []
    """
    folded = fold(query)
    ranked = [(r, i, e) for i, e in enumerate(index) if (r := rank(e, folded)) is not None]
    return [e for _, _, e in sorted(ranked, key=lambda x: x[:2])]
