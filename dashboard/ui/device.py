"""What the reader's browser says about itself, for the few choices made before anything is drawn.

Everything that can follow the screen's width does so in CSS. A table's columns
and a map's height are chosen on the server, before the browser has a width to
measure, so they follow what the browser says it is.
"""

from __future__ import annotations

import streamlit as st

PHONE_MAP_PX = 440  # about half a phone's screen: a thumb can scroll past the map (on it, a finger pans)


def on_phone() -> bool:
    """Whether the browser says it is a phone ("Mobi" in its user agent, as browser makers advise)."""
    try:
        agent = st.context.headers.get("User-Agent") or ""
    except Exception:  # noqa: BLE001 - no browser session (bare mode, tests): a laptop's layout
        return False
    return "Mobi" in agent


def map_height(height: int) -> int:
    """A map's height in pixels: ``height``, or at most :data:`PHONE_MAP_PX` on a phone."""
    return min(height, PHONE_MAP_PX) if on_phone() else height
