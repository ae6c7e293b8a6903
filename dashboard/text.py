"""Text from the data or from a link, made safe to show.

Streamlit renders Markdown (and some HTML) in ``st.markdown``, captions,
alerts and titles; plotly renders an HTML subset (``<b>``, ``<a href>``,
``<br>``) in every label; Leaflet tooltips are HTML. A value that came from
a table or a URL is never markup, so it passes through one of these before it
reaches any of them. Pure functions: no Streamlit here.
"""

from __future__ import annotations

import html
import re

import pandas as pd

from dashboard.i18n import t

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~$:])")
# GitHub-flavoured Markdown turns bare "http://…", "www.…" and "a@b.c" into live
# links, escaped or not (backslashes and entities alike). An invisible word joiner
# inside each such pattern keeps it text and looks the same.
WORD_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?i)(?<=:)(?=//)|(?<=www)(?=\.)|(?=@)|(?<=@)")
ELLIPSIS = "…"


def md_escape(text: object) -> str:
    """Escape Markdown and HTML so a table cell or a link value renders as itself.

    ``:`` is escaped too: Streamlit turns ``:red[…]`` and ``:material/x:`` into
    colours and icons.
    """
    unlinked = _AUTOLINK.sub(WORD_JOINER, str(text))
    return _MD_SPECIAL.sub(r"\\\1", html.escape(unlinked, quote=False))


def plotly_escape(text: object) -> str:
    """Escape a data value for a plotly label, which renders tags and entities."""
    return html.escape(str(text), quote=False)


def clip(text: object, limit: int = 60) -> str:
    """At most ``limit`` characters, the cut marked with an ellipsis."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def tooltip_html(text: object) -> str:
    r"""A value for a folium tooltip or popup: HTML-escaped, and safe inside the JavaScript template
    literal folium writes it into (a backtick, ``${`` or a backslash would end or break the map's script).

    >>> tooltip_html("a `b` ${c} \\ <d>")
    'a &#96;b&#96; &#36;{c} &#92; &lt;d&gt;'
    """
    return html.escape(str(text)).replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")


def html_text(text: object) -> str:
    """A value for an HTML snippet inside ``st.markdown(..., unsafe_allow_html=True)``.

    HTML-escaped, and Markdown's link and emphasis characters as entities, so
    the value stays text whether or not the snippet is read as Markdown (a
    blank line in the value would otherwise end the HTML block). One pass, so
    no entity is escaped twice.
    """
    return " ".join(str(text).split()).translate(_HTML_TEXT)


_HTML_TEXT = {ord(c): f"&#{ord(c)};" for c in "[]()!*_`~\\:|#"} | {
    ord("&"): "&amp;",
    ord("<"): "&lt;",
    ord(">"): "&gt;",
    ord('"'): "&quot;",
    ord("'"): "&#x27;",
}


def t_md(key: str, lang: str, **values: object) -> str:
    """A catalogue text (trusted Markdown) with its placeholders filled by escaped values."""
    return t(key, lang, **{name: md_escape(value) for name, value in values.items()})


def cell_text(value: object) -> str:
    """A table cell as text: missing values (None, NA, NaN) are empty."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def join_names(names, lang: str) -> str:
    """Names as a list in ``lang`` ("a, b" / 「a、b」), empty ones left out."""
    return t("filter.list_sep", lang).join(n for n in names if n)
