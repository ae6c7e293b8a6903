"""dashboard.text: escaped values read back as themselves."""

import html
import re

import pytest

from dashboard.text import WORD_JOINER, clip, html_text, md_escape, plotly_escape

SAMPLES = [
    "a province's capital",
    '[Sign in](http://example.invalid) ![i](x.png) <b>b</b> &amp; "q"',
    "www.example.invalid a@b.example :red[x] 1. item # h",
    "日本語、スラバヤ（インドネシア）",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_html_text_reads_back_as_the_value(text):
    out = html_text(text)
    assert html.unescape(out) == text
    assert not re.search(r"[<>\[\]()]", out)  # no tag and no Markdown link can start here


@pytest.mark.parametrize("text", SAMPLES)
def test_md_escape_reads_back_as_the_value(text):
    out = md_escape(text)
    assert html.unescape(re.sub(r"\\(.)", r"\1", out)).replace(WORD_JOINER, "") == text
    assert "://" not in out and "www." not in out


def test_plotly_escape_and_clip():
    assert plotly_escape("<b>x</b> & y") == "&lt;b&gt;x&lt;/b&gt; &amp; y"
    assert clip("x" * 100, 10) == "x" * 9 + "…" and clip("short", 10) == "short"
