"""The URL as the page's state: values read and checked, notices for the ones dropped, widgets bound to it.

Follows owid's ``url_persist``: a widget's value lives in ``st.query_params``
under a declared key, defaults are left out of the URL, and a value that is not
among the options falls back to the default with a visible notice instead of an
exception. :func:`bound` is the one way a widget is tied to the URL.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import streamlit as st

from dashboard.filters import AS_OF_KEY, FACETS, FACETS_BY_ID, Filter, value_label
from dashboard.i18n import DEFAULT_LANG, LANGS, t
from dashboard.text import clip, md_escape
from dashboard.ui.cached import options

LANG_KEY = "lang"


NONE = "none"  # URL value of an explicitly empty list


_NOTICES = "_url_notices"


_UNSEEN = object()


NOTICE_VALUE_CHARS = 40  # a link value longer than this is shown cut


def notice(key: str, value: str, kept: Sequence[str] = ()) -> None:
    """Queue a notice that ``key=value`` in the URL was ignored (``kept``: what stayed)."""
    items = st.session_state.setdefault(_NOTICES, {})
    entry = items.setdefault(key, {"ignored": [], "kept": []})
    if value not in entry["ignored"]:
        entry["ignored"].append(value)
    entry["kept"] = list(kept)


def show_notices(lang: str) -> None:
    """One warning naming exactly which link values were dropped and what was kept.

    The values come from a URL anyone can write: each is clipped and escaped,
    so a link cannot put a fake "sign in" link, an image or a page-long string
    on the screen.
    """
    items = st.session_state.pop(_NOTICES, {})
    if not items:
        return
    lines = []
    for key, entry in items.items():
        # A filter is named as the sidebar names it, its kept values as the reader reads them.
        if key == AS_OF_KEY:
            param = t("as_of.label", lang)
        else:
            param = t(FACETS_BY_ID[key].label_key, lang) if key in FACETS_BY_ID else clip(key, 30)
        ignored = t("filter.list_sep", lang).join(
            t("filter.quoted", lang, value=clip(v, NOTICE_VALUE_CHARS)) for v in entry["ignored"][:5]
        )
        if len(entry["ignored"]) > 5:
            ignored += t("filter.notice_more", lang, n=len(entry["ignored"]) - 5)
        if entry["kept"]:
            kept = t("filter.list_sep", lang).join(
                clip(value_label(key, v, lang) if key in FACETS_BY_ID else v, NOTICE_VALUE_CHARS) for v in entry["kept"]
            )
            line = t("filter.notice_kept", lang, param=param, ignored=ignored, kept=kept)
        else:
            line = t("filter.notice_default", lang, param=param, ignored=ignored)
        lines.append("- " + md_escape(line))
    st.warning(md_escape(t("filter.notice_invalid", lang)) + "\n\n" + "\n".join(lines), icon="⚠️")


def widget_key(name: str, lang: str) -> str:
    """The key of a widget whose option labels are in ``lang``.

    Streamlit keeps a multiselect's or radio's choice as its option labels;
    after a language switch the old labels match no option, so the chips
    stayed in the old language and the next pick silently dropped them. One
    widget per language, each filled from the URL, keeps the choice whole.
    """
    return f"{name}_{lang}"


def takes_url_value(key: str) -> bool:
    """Whether the widget ``key`` must be set to the URL's value before it is drawn: nearly always.

    The URL is the page's state, so a widget shows what the URL says, except
    in two runs:

    - the reader has just changed the widget (its ``on_change`` set
      ``<key>_changed``): that choice stands, and the caller writes it to the URL;
    - a session that never drew the widget (no ``<key>_drawn``) nonetheless
      receives its value from the browser: a browser that reconnected after a
      server restart or a long disconnect, whose widget holds the reader's
      latest choice.

    Comparing with the value last followed is not enough: Streamlit gives a
    widget a new identity on another page, and drops the state of one a run
    did not draw (a facet a page does not offer), so the same key would come
    back showing its default and write that to the URL.
    """
    if st.session_state.pop(f"{key}_changed", False):
        return False
    return not (f"{key}_drawn" not in st.session_state and _sent_by_browser(key))


def bound(widget, key: str, url_value, *args, shown=_UNSEEN, **kwargs):
    """Draw ``widget(*args, key=key, **kwargs)`` so that it shows the URL's value; returns its value.

    The one way a widget is tied to the URL (see :func:`takes_url_value` for
    when the reader's choice wins instead). The caller writes the returned
    value back with :func:`set_query`.

    Parameters
    ----------
    widget : callable
        A Streamlit widget function, e.g. ``st.sidebar.multiselect``.
    key : str
        The widget key (see :func:`widget_key` for widgets labelled in a language).
    url_value
        The value the URL holds for this widget, in the widget's own terms.
    shown : optional
        What the widget is set to, if it shows the URL value differently.
    """
    if takes_url_value(key):
        st.session_state[key] = url_value if shown is _UNSEEN else shown
    value = widget(*args, key=key, on_change=_mark_changed, args=(key,), **kwargs)
    st.session_state[f"{key}_drawn"] = True  # this session has drawn the widget (see takes_url_value)
    return value


def _mark_changed(key: str) -> None:
    st.session_state[f"{key}_changed"] = True


def _sent_by_browser(key: str) -> bool:
    """Whether this run's widget states from the browser hold a value for the widget ``key``."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None:
        return False
    # Streamlit keeps incoming values by widget id, '$$ID-<hash>-<key>', until the widget is drawn.
    incoming = ctx.session_state._state._new_widget_state
    return any(widget_id.endswith(f"-{key}") for widget_id in incoming.keys())


def query_value(key: str, default: str, allowed: Iterable[str]) -> str:
    """One query parameter, validated against ``allowed``; a bad value is reported and dropped."""
    raw = st.query_params.get(key)
    if raw is None:
        return default
    allowed = list(allowed)
    if raw in allowed:
        return raw
    notice(key, raw)
    del st.query_params[key]
    return default


def query_list(key: str, default: Sequence[str], allowed: Iterable[str]) -> list[str]:
    """A comma-separated query parameter, keeping only allowed values (in ``allowed`` order).

    ``none`` stands for an explicit empty choice (an empty value would be
    indistinguishable from "use the default").
    """
    raw = st.query_params.get(key)
    if raw is None:
        return list(default)
    if raw == NONE:
        return []
    allowed = list(allowed)
    values = [v for v in raw.split(",") if v]
    bad = [v for v in values if v not in allowed]
    good = [v for v in allowed if v in values]
    for v in bad:
        notice(key, v, good)
    if bad and not good:
        set_query(**{key: None})  # nothing usable: the default, as the notice says
        return list(default)
    if bad:
        set_query(**{key: good})
    return good


def set_query(**values) -> None:
    """Write values into the URL; None, '' or an empty list removes the key."""
    for key, value in values.items():
        if isinstance(value, (list, tuple)):
            value = ",".join(str(v) for v in value)
        if value is None or value == "":
            if key in st.query_params:
                del st.query_params[key]
        elif st.query_params.get(key) != str(value):
            st.query_params[key] = str(value)


def browser_language() -> str:
    """'ja' when the browser prefers Japanese, else the default."""
    try:
        locale = (st.context.locale or "").lower()
    except Exception:  # noqa: BLE001 - no browser context (AppTest, bare mode)
        locale = ""
    return "ja" if locale.startswith("ja") else DEFAULT_LANG


def current_language() -> str:
    """The page language: ``?lang=`` first, then the browser's preference."""
    return query_value(LANG_KEY, browser_language(), LANGS)


def current_filter() -> Filter:
    """The filter in the URL, invalid values dropped with a notice."""
    keys = (*(f.id for f in FACETS), AS_OF_KEY)
    params = {k: st.query_params.get(k) for k in keys if st.query_params.get(k) is not None}
    filter_, bad = Filter.from_query(params, options())
    for key, value in bad:
        notice(key, value, filter_.get(key))
    if bad:
        set_query(**filter_query(filter_))
    return filter_


def filter_query(filter_: Filter) -> dict[str, str | None]:
    """Every filter key with its value for :func:`set_query`; None removes a facet left empty, or the default state."""
    query = filter_.to_query()
    return {**{f.id: None for f in FACETS}, AS_OF_KEY: None, **query}


CARRIED_KEYS = (LANG_KEY, *(f.id for f in FACETS), AS_OF_KEY)  # the reader's choices that hold on every page


def carried_query() -> dict[str, str]:
    """The language and filter now in the URL, for a link to another page.

    A page's own state (the chosen feature, the slide, the map's layers) stays
    behind: it means nothing on the next page.
    """
    return {key: st.query_params[key] for key in CARRIED_KEYS if key in st.query_params}


def page_url() -> str:
    """The address of the page as the reader sees it (the link a download's README gives back)."""
    from urllib.parse import urlencode

    try:
        url = st.context.url or ""
    except Exception:  # noqa: BLE001 - no browser context (AppTest, bare mode)
        return ""
    # The context's URL is the address the page was opened at; the query now in use is the view.
    # The selected feature is left out: it does not change the file, and as part of the
    # cache key it would remake the file on every click on the map.
    params = {k: v for k, v in st.query_params.to_dict().items() if k != "sel"}
    query = urlencode(params, safe=",")
    return url.split("?")[0] + (f"?{query}" if query and url else "")
