"""The Streamlit layer: the only package that uses Streamlit's runtime (sessions, widgets, caches). Pages call it.

- :mod:`~dashboard.ui.pages`: the one list of pages (read by ``app.py``, the overview's links and the tests);
- :mod:`~dashboard.ui.url_state`: query parameters, link notices, widgets bound to the URL;
- :mod:`~dashboard.ui.cached`: tables, layers, filtered rows and figures, loaded once per process;
- :mod:`~dashboard.ui.layout`: the frame of a page (data check, sidebar, header, tables, citation);
- :mod:`~dashboard.ui.map_view`: the one cached page-map builder and the map component;
- :mod:`~dashboard.ui.explorer`: the map explorer's layer toggles, search, details and download;
- :mod:`~dashboard.ui.downloads`: download buttons and the Downloads page's pickers, previews and links;
- :mod:`~dashboard.ui.present`: the presentation's slide, keys and take-away files;
- :mod:`~dashboard.ui.serving`: server settings (security headers, metrics endpoint) applied at start-up.
"""
