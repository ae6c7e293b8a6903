"""Opening a page of the app in AppTest, as the page tests do."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def run_page(page: str, lang: str = "en", **params) -> AppTest:
    """Run ``page`` (e.g. 'pages/jcm.py') with ``?lang=`` and other query parameters; fail on an exception."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def shown(markdown: str) -> str:
    """What a reader sees of a Markdown source the app escaped (backslashes and entities undone)."""
    import html
    import re

    return html.unescape(re.sub(r"\\(.)", r"\1", markdown)).replace("\u2060", "")  # word joiners are invisible


def ignored(key: str, value: str, lang: str = "en") -> str:
    """How the URL notice names an ignored value, as a reader sees it (a filter by its sidebar label)."""
    from dashboard.filters import FACETS_BY_ID
    from dashboard.i18n import t

    name = t(FACETS_BY_ID[key].label_key, lang) if key in FACETS_BY_ID else key
    return f"{name}: ignored “{value}”" if lang == "en" else f"{name}：「{value}」を無視"
