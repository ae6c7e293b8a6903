"""Many people opening the same links at the same moment, on a freshly started server.

At a seminar a hall opens one link together. Every session must get its page,
never a traceback: nothing shared between sessions may be mutated while
another reads it (the cached folium maps once were). Each round starts a new
server so the first renders, the ones that race, happen under the crowd.

``CROWD_ROUNDS`` repeats the whole round (default 1; run it 20 times in a row
when changing anything cached).
"""

from __future__ import annotations

import os

import pytest
from atlas_page import VIEWPORT, AtlasPage

ROUNDS = int(os.environ.get("CROWD_ROUNDS", "1"))

# Bounded: 10 sessions, all on loopback. Two pairs ask for a filter nobody has
# used yet, so they race on building the same cached filtered map (and the
# country pages on building the same profile).
CROWD = [
    ("map", {"lang": "en"}),
    ("map", {"lang": "en"}),
    ("map", {"lang": "ja", "country": "IDN"}),
    ("map", {"lang": "ja", "country": "IDN"}),
    ("", {"lang": "en"}),
    ("present", {"lang": "en", "step": "3"}),
    ("city-to-city", {"lang": "ja"}),
    ("model-cities", {"lang": "en", "country": "VNM"}),
    ("country", {"lang": "ja", "country": "IDN"}),
    ("country", {"lang": "ja", "country": "IDN"}),
]


@pytest.mark.parametrize("round_no", range(ROUNDS))
def test_a_crowd_on_a_fresh_server_sees_no_traceback(browser, fresh_server, round_no):
    srv = fresh_server()
    contexts = [browser.new_context(viewport=VIEWPORT, locale="en-US") for _ in CROWD]
    try:
        pages = [AtlasPage(ctx.new_page(), srv) for ctx in contexts]
        # Start every navigation before waiting for any: the sessions' first runs overlap.
        for p, (path, query) in zip(pages, CROWD):
            p.start(path, **query)
        problems = []
        for p, (path, query) in zip(pages, CROWD):
            where = srv.page_url(path, **query)
            try:
                p.wait_for_app(min_runs=1)
                if p.wait_for_maps() < 1:
                    problems.append(f"{where}: no map drawn")
            except AssertionError as err:
                problems.append(f"{where}: {str(err).splitlines()[0]}")
            boxes = p.exceptions()
            if boxes:
                problems.append(f"{where}: exception shown:\n{boxes[0][:600]}")
            if p.page_errors:
                problems.append(f"{where}: page errors {p.page_errors}")
        log = srv.log_path.read_text(errors="replace")  # all of it: a traceback may be followed by many lines
        assert "Traceback" not in log, f"server log has a traceback:\n{log}"
        assert not problems, "\n".join(problems)
    finally:
        for ctx in contexts:
            ctx.close()
