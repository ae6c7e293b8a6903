"""Screenshots of every page and every presentation step, in both languages, at the sizes readers use.

For looking at, not for asserting: a phone (390 × 844, with a phone's user
agent, as the atlas lays out tables and maps for it), a projector at 1280 × 720
and one at 1920 × 1080. Pages are shot at the top of the screen; with
``--scroll`` a page is also shot once per screenful down to its end.

    python scripts/screenshots.py http://127.0.0.1:8501 out/ [--sizes phone,720p,1080p] [--scroll]

Uses Debian's Chromium through Playwright (the test environment has both).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.present.steps import STEPS  # noqa: E402
from dashboard.ui.pages import DEFAULT_PAGE, PAGES  # noqa: E402

PHONE_AGENT = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)
SIZES = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "user_agent": PHONE_AGENT,
        "is_mobile": True,
        "has_touch": True,
    },
    "720p": {"viewport": {"width": 1280, "height": 720}},
    "1080p": {"viewport": {"width": 1920, "height": 1080}},
}
LANGS = ("en", "ja")
IDLE = """() => { const a = document.querySelector('[data-testid="stApp"]');
  return !!a && a.getAttribute('data-test-script-state') === 'notRunning'
    && a.getAttribute('data-test-connection-state') === 'CONNECTED' && !document.querySelector('[data-testid="stSkeleton"]'); }"""
SCROLL = """(by) => { const m = document.querySelector('[data-testid="stMain"]');
  const before = m.scrollTop; m.scrollTop += by; return m.scrollTop > before; }"""


def views() -> list[tuple[str, str]]:
    """(name, path with query) of every page and every step of the presentation."""
    out = [(p.url_path, "" if p is DEFAULT_PAGE else p.url_path) for p in PAGES if p.url_path != "present"]
    out += [(f"present-{n:02d}", f"present?step={n}") for n in range(1, len(STEPS) + 1)]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="the running atlas, e.g. http://127.0.0.1:8501")
    parser.add_argument("out", type=Path, help="folder for the PNG files")
    parser.add_argument("--sizes", default=",".join(SIZES), help=f"comma-separated, of {', '.join(SIZES)}")
    parser.add_argument("--langs", default=",".join(LANGS))
    parser.add_argument("--only", default="", help="comma-separated view names (default: all)")
    parser.add_argument("--scroll", action="store_true", help="also shoot each screenful below the first")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    wanted = [v for v in views() if not args.only or v[0] in args.only.split(",")]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for size in args.sizes.split(","):
            context = browser.new_context(**SIZES[size])
            for lang in args.langs.split(","):
                for name, path in wanted:
                    page = context.new_page()
                    started = time.monotonic()
                    page.goto(f"{args.base.rstrip('/')}/{path}{'&' if '?' in path else '?'}lang={lang}")
                    page.wait_for_timeout(500)
                    page.wait_for_function(IDLE, timeout=90_000, polling=200)
                    page.wait_for_timeout(2_000)  # maps draw their countries, charts settle
                    shots = 0
                    while True:
                        page.screenshot(path=str(args.out / f"{name}_{lang}_{size}{f'_{shots}' if shots else ''}.png"))
                        shots += 1
                        height = SIZES[size]["viewport"]["height"]
                        if not args.scroll or shots >= 12 or not page.evaluate(SCROLL, height - 80):
                            break
                        page.wait_for_timeout(600)
                    print(f"{name} {lang} {size}: {shots} shot(s), {time.monotonic() - started:.1f} s", flush=True)
                    page.close()
            context.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
