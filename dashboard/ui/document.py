"""The browser document in the reader's language: ``<html lang>``, Streamlit's own words, the current page link.

Streamlit draws some words itself ("Select all" and "No results" in a
drop-down, "Running...", the tooltips of a table's toolbar) and offers no
setting for them; it also leaves ``<html lang="en">``, so a screen reader
reads Japanese with English rules and the browser breaks Japanese lines as
English. A small script sets the language and swaps those exact words for the
locale's, on the page and in the drop-downs Streamlit opens later.
"""

from __future__ import annotations

import json
import re

import streamlit as st

from dashboard.i18n import LANGS, catalogue

# Secondary text: 5.8:1 on white, 5.3:1 on the sidebar's grey.
MUTED_TEXT = "#5b6770"
FOCUS_RING = "#1b6f6a"  # the theme's accent: 5.9:1 on white
_PREFIX = "framework."  # the words of Streamlit and plotly (locales/*/framework.yml)


def streamlit_words(lang: str) -> list[tuple[str, str]]:
    """(pattern, replacement) pairs that turn Streamlit's English words into ``lang``.

    A pattern matches a whole text or attribute; ``{n}`` and ``{x}`` in the
    English text stand for what Streamlit fills in, and are carried over.

    >>> ("^Select all$", "すべて選択") in streamlit_words("ja")
    True
    >>> dict(streamlit_words("ja"))["^Select (.+?) matches$"]
    '該当する$1件を選択'
    >>> streamlit_words("en")
    []
    """
    if lang == LANGS[0]:
        return []  # Streamlit already speaks it
    english, own = catalogue(LANGS[0]), catalogue(lang)
    pairs = []
    for key, text in english.items():
        if not key.startswith(_PREFIX):
            continue
        fields = re.findall(r"\{(\w+)\}", text)
        pattern = re.escape(text).replace("\\ ", " ")  # the same pattern in Python and JavaScript
        replacement = own[key].replace("$", "$$")
        for i, name in enumerate(fields, start=1):
            pattern = pattern.replace(re.escape(f"{{{name}}}"), "(.+?)")
            replacement = replacement.replace(f"{{{name}}}", f"${i}")
        pairs.append((f"^{pattern}$", replacement))
    return pairs


# What every page needs that Streamlit's theme cannot say. Its captions are its text colour at 60%
# opacity (4.0:1 on white, under the 4.5:1 of WCAG 1.4.3); its page links and several controls
# show no focus ring (2.4.7).
DOCUMENT_CSS = """
/* Japanese rules for line breaks: no line starts with ー, 、 or 。 ("ダウンロ／ード"). */
:root:lang(ja) body { line-break: strict; }
[data-testid="stCaptionContainer"] { color: %(muted)s; opacity: 1; }
a:focus-visible, button:focus-visible, summary:focus-visible, input:focus-visible, textarea:focus-visible,
[role="button"]:focus-visible, [role="tab"]:focus-visible, [role="checkbox"]:focus-visible,
[role="switch"]:focus-visible, [role="combobox"]:focus-visible, [role="option"]:focus-visible,
[tabindex]:focus-visible { outline: 3px solid %(focus)s !important; outline-offset: 2px !important; }
/* A phone: headings that leave room for what they head. */
@media (max-width: 640px) {
  [data-testid="stMain"] h1 { font-size: 2rem; }
  [data-testid="stMain"] h2 { font-size: 1.5rem; }
  [data-testid="stMain"] h3 { font-size: 1.2rem; }
}
""" % {"muted": MUTED_TEXT, "focus": FOCUS_RING}

_SCRIPT = r"""<script>
(function () {
  const doc = document;
  const win = window;
  doc.documentElement.lang = %(lang)s;
  if (!doc.getElementById("atlas-document-style")) {
    const style = doc.createElement("style");
    style.id = "atlas-document-style";
    style.textContent = %(css)s;
    doc.head.appendChild(style);
  }
  win.__atlasWords = %(words)s.map(([p, r]) => [new RegExp(p), r]);
  if (win.__atlasWordsObserver) { win.__atlasWordsObserver.swap(doc.body); return; }
  const ATTRS = ["aria-label", "title", "placeholder", "data-title"];
  function swapText(text) {
    const trimmed = text.trim();
    for (const [pattern, replacement] of win.__atlasWords) {
      if (pattern.test(trimmed)) { return trimmed.replace(pattern, replacement); }
    }
    return null;
  }
  // The atlas's own page links (see ui/pages.sidebar_links) say which one is this page, as Streamlit's list did.
  function markCurrent() {
    const here = win.location.pathname.replace(/\/+$/, "");
    for (const a of doc.querySelectorAll(".st-key-atlas_nav a")) {
      // The overview's link is only a query ("?lang=ja"): it names the site's root, one level up.
      const raw = a.getAttribute("href") || "";
      const there = new URL(raw === "" || raw.startsWith("?") ? "." : raw, win.location.href).pathname.replace(/\/+$/, "");
      const current = there === here;
      if ((a.getAttribute("aria-current") === "page") !== current) {
        if (current) { a.setAttribute("aria-current", "page"); } else { a.removeAttribute("aria-current"); }
      }
    }
  }
  // On a phone a map's legend starts folded (one line under the map); a tap opens it.
  function foldLegends(root) {
    if (!root || !root.querySelectorAll || !win.matchMedia("(max-width: 640px)").matches) { return; }
    const selector = "details.atlas-legend-fold:not([data-folded])";
    for (const fold of [...(root.matches(selector) ? [root] : []), ...root.querySelectorAll(selector)]) {
      fold.setAttribute("data-folded", "");
      fold.open = false;
    }
  }
  function swap(root) {
    if (!win.__atlasWords.length || !root) { return; }
    const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const swapped = swapText(node.nodeValue);
      if (swapped !== null) { node.nodeValue = swapped; }
    }
    const elements = root.querySelectorAll ? [root, ...root.querySelectorAll("[aria-label],[title],[placeholder],[data-title]")] : [];
    for (const el of elements) {
      for (const name of ATTRS) {
        const value = el.getAttribute && el.getAttribute(name);
        const swapped = value ? swapText(value) : null;
        if (swapped !== null) { el.setAttribute(name, swapped); }
      }
    }
  }
  const observer = new win.MutationObserver((records) => {
    markCurrent();
    for (const record of records) {
      if (record.attributeName === "href") { continue; }
      if (record.type === "characterData") { swap(record.target.parentNode); }
      else if (record.type === "attributes") { swap(record.target); }
      else {
        record.addedNodes.forEach((node) => {
          swap(node.nodeType === 3 ? node.parentNode : node);
          foldLegends(node);
        });
      }
    }
  });
  // href too: a link that now carries another filter may now be, or no longer be, this page's.
  observer.observe(doc.body, {subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: [...ATTRS, "href"]});
  // On a phone the sidebar lies over the page: once a page link is chosen, fold it, as
  // Streamlit's own page list does, so the page the reader asked for is what they see.
  doc.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest(".st-key-atlas_nav a");
    const fold = doc.querySelector('[data-testid="stSidebarCollapseButton"] button');
    if (link && fold && win.matchMedia("(max-width: 640px)").matches) { setTimeout(() => fold.click(), 50); }
  });
  observer.swap = (root) => { markCurrent(); swap(root); foldLegends(root); };
  win.__atlasWordsObserver = observer;
  observer.swap(doc.body);
})();
</script>"""


def document_language(lang: str) -> None:
    """Set ``<html lang>`` and Streamlit's own words for ``lang`` (drawn once per run, in the sidebar)."""
    # Only the locale's own words go into the script, as JSON; "</" is escaped so none can close it.
    script = _SCRIPT % {
        "lang": json.dumps(lang),
        "css": json.dumps(DOCUMENT_CSS),
        "words": json.dumps(streamlit_words(lang), ensure_ascii=False).replace("</", "<\\/"),
    }
    with st.sidebar:
        st.html(script, unsafe_allow_javascript=True, width="content")
