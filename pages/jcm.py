"""Placeholder until the page is built."""

import streamlit as st

from dashboard import ui

lang = ui.lang()
ui.page_header("nav.jcm", lang)
