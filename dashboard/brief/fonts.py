"""The brief's typeface: Noto Sans CJK JP (Debian's fonts-noto-cjk), embedded as a subset in every PDF.

One face for both languages: it has the Latin letters too, so an English brief
with a Japanese name (or a Japanese one with an English company name) reads
in one type. Found at Debian's path first, then by fontconfig.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

FAMILY = "Noto Sans CJK JP"
LICENCE = "SIL Open Font License 1.1"
SOURCE = "Debian package fonts-noto-cjk (https://github.com/notofonts/noto-cjk)"
CANDIDATES = {
    "": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",),
    "B": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",),
}


class FontMissing(RuntimeError):
    """No file of the brief's typeface on this machine."""


@dataclass(frozen=True)
class Face:
    path: Path
    index: int  # the Japanese face's number inside the collection


def _fc_match(style: str) -> Path | None:
    if shutil.which("fc-match") is None:
        return None
    pattern = f"{FAMILY}:style={'Bold' if style == 'B' else 'Regular'}"
    try:
        out = subprocess.run(["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    path = Path(out.stdout.strip())
    return path if out.returncode == 0 and "CJK" in path.name and path.is_file() else None


def _japanese_index(path: Path) -> int:
    """Which face of a collection is the Japanese one (the .ttc holds JP, KR, SC, TC and HK)."""
    if path.suffix.lower() != ".ttc":
        return 0
    from fontTools.ttLib import TTCollection

    collection = TTCollection(str(path), lazy=True)
    for i, font in enumerate(collection.fonts):
        if font["name"].getDebugName(1) == FAMILY:
            return i
    return 0


@cache
def face(style: str = "") -> Face:
    """The regular (``''``) or bold (``'B'``) face; raises :class:`FontMissing` naming what to install."""
    for candidate in CANDIDATES[style]:
        path = Path(candidate)
        if path.is_file():
            return Face(path, _japanese_index(path))
    found = _fc_match(style)
    if found is not None:
        return Face(found, _japanese_index(found))
    raise FontMissing(f"the font {FAMILY} is not installed (Debian: apt-get install fonts-noto-cjk)")
