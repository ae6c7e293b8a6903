"""After a server restart the browser reconnects; the reader's first click must take effect."""

from atlas_page import VIEWPORT, AtlasPage
from map_dom import wait_for_symbols


def test_first_click_after_a_restart_is_kept(browser, fresh_server):
    srv = fresh_server()
    context = browser.new_context(viewport=VIEWPORT, locale="en-US")
    try:
        page = AtlasPage(context.new_page(), srv)
        page.goto("map", lang="en", country="IDN")
        # The restart comes under a drawn map. Right after the first run (as before), the map's component frame
        # may still be loading its files; in two full clean-clone runs the map then never appeared after the
        # restart, even in 90 s (not seen when the test runs alone).
        wait_for_symbols(page)
        srv.stop()
        srv = fresh_server(port=srv.port)  # same address: the open page reconnects to a new session
        page.server = srv
        page.wait_for_app(min_runs=0)
        # The map drawn again by the new process before it has rerun the page still gets its symbols.
        wait_for_symbols(page)
        seminars = page.get_by_role("checkbox", name="ESC High Level Seminars")
        assert seminars.is_checked()
        page.rerun(lambda: seminars.click(force=True))
        page.wait_for_query("country", "IDN")
        layers = page.evaluate("new URLSearchParams(location.search).get('layers')") or ""
        assert layers and "esc_seminars" not in layers.split(","), f"the first click was undone: layers={layers!r}"
        assert not seminars.is_checked()
        # (Connection-refused errors while the server was down are expected.)
        assert not page.exceptions() and not page.page_errors and not page.external_requests()
    finally:
        context.close()
