"""Every page of the app renders in English and in Japanese.

No exception; the page title is the page's navigation title (the atlas's name on the overview) in that language (Japanese
in Japanese); every chart title is Japanese on a Japanese page; the pages that show tables
show at least one.
"""

from pathlib import Path

import pytest
from apptest_helpers import JAPANESE, ROOT, figures, page_files, run_page

from dashboard.i18n import t

# Pages whose title is not nav.<stem>: the first screen leads with the atlas's name.
TITLE_KEYS = {"map_explorer": "nav.map", "overview": "app.title"}
# The presentation hides the page chrome: its slides carry titles, the page has none.
UNTITLED = {"present"}
# Pages whose default view holds at least one table.
WITH_TABLES = {"about", "city_to_city", "downloads", "jcm", "model_cities", "seminars"}


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("page", page_files())
def test_page_renders(page, lang):
    at = run_page(page, lang, timeout=120)
    stem = Path(page).stem
    if stem in UNTITLED:
        assert not at.title
    else:
        assert at.title and at.title[0].value
        assert at.title[0].value == t(TITLE_KEYS.get(stem, f"nav.{stem}"), lang)
        if lang == "ja":
            assert JAPANESE.search(at.title[0].value) or at.title[0].value == "JCM"
    if lang == "ja":
        for fig in figures(at).values():
            assert JAPANESE.search(fig["layout"]["title"]["text"])
    if stem in WITH_TABLES:
        assert len(at.dataframe) >= 1


def test_the_exceptions_above_name_real_pages():
    # A renamed page must not leave a check above silently unused (or the page list empty).
    assert TITLE_KEYS.keys() | UNTITLED | WITH_TABLES <= {Path(page).stem for page in page_files()}


def test_every_page_file_is_in_the_page_list():
    """A page file the list leaves out would be routed nowhere and smoke-tested by nobody."""
    on_disk = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))
    assert sorted(page_files()) == on_disk


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_page_that_fails_says_so_in_the_readers_language(monkeypatch, lang):
    """With the shipped config (details hidden), an error is one message in the reader's language."""
    import streamlit as st

    from dashboard.content import overview

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    # The default page, run through app.py's frame (a page opened by path in AppTest skips it).
    monkeypatch.setattr(overview, "headline_metrics", broken)
    previous = st.get_option("client.showErrorDetails")
    st.set_option("client.showErrorDetails", "none")
    try:
        at = run_page(None, lang)
    finally:
        st.set_option("client.showErrorDetails", previous)
    assert not at.exception
    assert [e.value for e in at.error] == [t("app.page_error", lang)]
    assert "disk on fire" not in str([m.value for m in at.markdown])
