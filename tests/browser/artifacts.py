"""What the browser suite leaves in ``test-artifacts/`` (git-ignored), and where.

Server logs (``streamlit*.log``), screenshots (``screenshots/``), the distinct
URLs each page loaded by ``atlas_page.load_pages`` requested
(``requests.json``), how long each of those pages took (``page-seconds.json``),
every accessibility rule they break, moderate ones too (``axe.json``) and the
suite's wall time (``browser-wall-time.txt``).
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
REQUEST_LOG: dict[str, list[str]] = {}  # "<page>?lang=<lang>[_atlas]" -> distinct URLs, origin stripped
PAGE_SECONDS: dict[str, float] = {}  # same keys -> seconds from navigation to checked
AXE_LOG: dict[str, list[str]] = {}  # same keys -> axe-core violations, any impact


def record_requests(key: str, atlas_page) -> None:
    """Keep the distinct URLs a page requested, for requests.json."""
    origin = atlas_page.server.origin
    urls = [u.replace(origin, "") for u in atlas_page.requests + atlas_page.websockets]
    REQUEST_LOG[key] = list(dict.fromkeys(urls))


def write_reports(wall: float) -> str:
    """Write the request log, page times and wall time; return the summary line for the terminal."""
    ARTIFACTS.mkdir(exist_ok=True)
    if REQUEST_LOG:
        (ARTIFACTS / "requests.json").write_text(json.dumps(REQUEST_LOG, indent=1, sort_keys=True) + "\n")
    if PAGE_SECONDS:
        (ARTIFACTS / "page-seconds.json").write_text(json.dumps(PAGE_SECONDS, indent=1) + "\n")
    if AXE_LOG:
        (ARTIFACTS / "axe.json").write_text(json.dumps(AXE_LOG, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    (ARTIFACTS / "browser-wall-time.txt").write_text(f"{wall:.1f}\n")
    return (
        f"browser suite wall time: {wall:.1f} s; screenshots in {SCREENSHOTS.relative_to(ROOT)}/, "
        f"requests per page in {(ARTIFACTS / 'requests.json').relative_to(ROOT)}"
    )
