"""The layering README's Architecture section describes, checked on the imports themselves."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = ROOT / "dashboard"


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at any depth (lazy imports inside functions included)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def files_outside(*folders: str) -> list[Path]:
    return [p for p in DASHBOARD.rglob("*.py") if p.relative_to(DASHBOARD).parts[0] not in folders]


def test_only_the_ui_package_imports_streamlit():
    offenders = {}
    for path in files_outside("ui"):
        hits = {m for m in imported_modules(path) if m == "streamlit" or m.startswith("streamlit.")}
        # maps/render.py borrows streamlit-folium's HTML writers, which need no session.
        if hits:
            offenders[path.relative_to(ROOT).as_posix()] = sorted(hits)
    assert not offenders, offenders
    assert files_outside("ui"), "no files found: the test would pass on an empty tree"


def test_nothing_below_the_ui_imports_it():
    offenders = [
        path.relative_to(ROOT).as_posix()
        for path in files_outside("ui")
        if any(m == "dashboard.ui" or m.startswith("dashboard.ui.") for m in imported_modules(path))
    ]
    assert not offenders


def test_streamlit_folium_is_used_only_to_render_and_draw_maps():
    users = sorted(
        path.relative_to(DASHBOARD).as_posix()
        for path in DASHBOARD.rglob("*.py")
        if any(m.split(".")[0] == "streamlit_folium" for m in imported_modules(path))
    )
    assert users == ["maps/render.py", "ui/map_view.py"]
