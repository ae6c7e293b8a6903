"""The WCAG 2.1 AA check the browser tests run: axe-core in a page and in each of its frames.

axe-core (``vendor/axe-core``, from npm by ``scripts/vendor_assets.py``) is
injected into every frame of a page that has finished drawing: the page itself
and each map's iframe, a document of its own that axe would otherwise only
enter if it had been injected there too. Each frame is checked on its own, so a
failure names the frame it is in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

AXE_JS = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
# WCAG 2.0 and 2.1, levels A and AA: the level of JIS X 8341-3 that Japanese public sites follow.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")

_RUN_JS = """
async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => ({target: n.target.join(" "), summary: n.failureSummary || ""})),
    count: v.nodes.length,
  }));
}
"""


@dataclass
class Violation:
    """One rule that failed in one frame (``frame``: "page" or the frame's title)."""

    frame: str
    id: str
    impact: str
    help: str
    count: int
    nodes: list

    def __str__(self) -> str:
        where = "; ".join(f"{n['target']}: {n['summary'].splitlines()[-1].strip()}" for n in self.nodes[:3])
        return f"[{self.impact}] {self.id} x{self.count} in {self.frame!r}: {self.help} ({where})"


@dataclass
class Audit:
    """What :func:`audit` checked (``frames``: "page", then each frame's title) and what it found."""

    frames: list[str] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)


def audit(page) -> Audit:
    """Every WCAG 2.1 A/AA violation in ``page`` (a Playwright page) and its frames."""
    result = Audit()
    for frame in page.frames:
        if frame.is_detached() or not frame.url.startswith("http"):
            continue  # about:blank and srcdoc frames hold nothing of the atlas's
        name = (
            "page" if frame is page.main_frame else frame.frame_element().get_attribute("title") or "(untitled frame)"
        )
        if not frame.evaluate("() => !!window.axe"):
            frame.evaluate(AXE_JS)
        result.frames.append(name)
        result.violations += [Violation(frame=name, **v) for v in frame.evaluate(_RUN_JS, WCAG_AA)]
    return result


def blocking(violations: list[Violation]) -> list[Violation]:
    """The serious and critical ones: what the atlas must never show a reader."""
    return [v for v in violations if v.impact in BLOCKING]
