"""Placeholder until the page is built."""

from dashboard import ui

lang = ui.lang()
ui.page_header("nav.present", lang)
