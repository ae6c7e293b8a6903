"""Render a cached folium map once, however often Streamlit reruns.

``st_folium`` turns the whole folium tree into HTML and JavaScript on every
call: about half a second for the atlas map, on every rerun, even though the
map object comes unchanged from ``st.cache_resource``. Maps marked with
:func:`freeze` are immutable by contract, so their strings are computed once
and remembered (weakly: a map evicted from the cache frees its strings).
"""

from __future__ import annotations

import weakref

import folium
import streamlit_folium

_STRINGS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_PATCHED = False
_MEMOISED = ("_get_html", "_get_header", "_get_map_string")


def freeze(fmap: folium.Map) -> folium.Map:
    """Mark a fully built map as immutable so its rendering can be reused."""
    fmap._atlas_frozen = True
    _patch_once()
    return fmap


def _patch_once() -> None:
    global _PATCHED
    if _PATCHED:
        return
    for name in _MEMOISED:
        setattr(streamlit_folium, name, _memoise(name, getattr(streamlit_folium, name)))
    _PATCHED = True


def _memoise(name: str, original):
    def wrapper(fig, *args, **kwargs):
        if not getattr(fig, "_atlas_frozen", False):
            return original(fig, *args, **kwargs)
        strings = _STRINGS.setdefault(fig, {})
        if name not in strings:
            strings[name] = original(fig, *args, **kwargs)
            if all(n in strings for n in _MEMOISED):
                # Everything st_folium reads is remembered: skip re-rendering the tree.
                fig.render = _no_render
                fig.get_root().render = _no_render
        return strings[name]

    wrapper.__wrapped__ = original
    return wrapper


def _no_render(**kwargs) -> str:
    return ""
