"""A link that carries Markdown or HTML shows its values as text in the real browser."""

from urllib.parse import urlsplit

from atlas_server import root_only

MAIN = '[data-testid="stMainBlockContainer"]'


@root_only
def test_a_hostile_link_shows_no_link_image_or_request(page):
    page.goto(
        "map",
        lang="en",
        country="[Session expired, sign in](http://example.invalid/login),IDN",
        theme="![t](http://example.invalid/t.png) www.example.invalid",
    )
    alert = page.locator(f'{MAIN} [data-testid="stAlert"]').first
    text = alert.inner_text().replace("\u2060", "")  # the word joiners that stop autolinking are invisible
    assert "[Session expired" in text and "http://example.invalid/t.png" in text  # named, as text
    assert "kept Indonesia" in text
    assert alert.locator("a, img").count() == 0, alert.inner_html()
    page.assert_clean()  # no request left the machine (an <img> would have tried)
    assert not [u for u in page.requests if urlsplit(u).hostname == "example.invalid"]
