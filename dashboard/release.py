"""The atlas as a publication: its version, release date and how to cite it.

One home for what every download, README, data package and the "Cite this"
box say about the atlas itself. The version and date come from
``pyproject.toml``; ``CITATION.cff`` says the same (a test checks).
"""

from __future__ import annotations

import tomllib
from datetime import date
from functools import cache
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"
TITLE = "Asia Low-Carbon Atlas"
TITLE_JA = "アジア低炭素アトラス"
BROCHURE = "アジアの低炭素発展の実現に向けた支援と取組"


@cache
def _project() -> dict:
    return tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))


def version() -> str:
    return _project()["project"]["version"]


def released() -> date:
    return date.fromisoformat(_project()["tool"]["atlas"]["released"])


def citation(lang: str = "en") -> str:
    """The plain-text citation (the same words since the first version, plus the version); in Japanese for ``ja``.

    >>> citation("ja").startswith("アジア低炭素アトラス（バージョン")
    True
    """
    if lang == "ja":
        return (
            f"{TITLE_JA}（バージョン{version()}、{released().isoformat()}）：環境省『{BROCHURE}』"
            "（パンフレット、2015年頃）を基に整理したレイヤー。"
        )
    return (
        f"{TITLE} (version {version()}, {released().isoformat()}): layers curated from Ministry of the "
        f"Environment, Japan, '{BROCHURE}' (brochure, c. 2015)."
    )


def bibtex() -> str:
    """The citation as a BibTeX entry."""
    return (
        "@misc{asia_low_carbon_atlas,\n"
        f"  author = {{{{{TITLE}}}}},\n"
        f"  title = {{{{{TITLE}}}: layers curated from Ministry of the Environment, Japan, "
        f"``{BROCHURE}'' (brochure, c. 2015)}},\n"
        f"  version = {{{version()}}},\n"
        f"  year = {{{released().year}}},\n"
        f"  date = {{{released().isoformat()}}},\n"
        "  note = {Facts: Ministry of the Environment, Japan (brochure, c. 2015). "
        "Curation, translations and geocoding: CC BY 4.0}\n"
        "}"
    )
