"""Module boundaries: only render/leaflet/ imports folium; nothing in the package imports streamlit;
computation modules do no file I/O through the usual entry points."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "hotspots"
MODULES = sorted(PACKAGE.rglob("*.py"))

#: Pure computation: no folium, no streamlit, no file reading.
COMPUTATION = {
    "taxonomy.py",
    "config.py",
    "select.py",
    "grid.py",
    "kde.py",
    "polygons.py",
    "significance.py",
    "survey.py",
    "temporal.py",
    "evaluation.py",
    "methods.py",
    "plan.py",
    "patrol.py",
    "compare.py",
    "emerging.py",
    "effect.py",
    "periods.py",
    "demo.py",
    "synthetic.py",
}
#: The same rule for computation modules that moved into subpackages (paths in the package).
COMPUTATION_PATHS = {
    "forecast/methods.py",
    "forecast/metrics.py",
    "forecast/backtesting.py",
    "forecast/evaluate.py",
    "forecast/tuning.py",
    *(f"planning/{name}.py" for name in ("model", "context", "foot_patrol", "traffic_check")),
    *(f"planning/{name}.py" for name in ("places", "pub_check", "school_youth", "reasons")),
    *(f"planning/{name}.py" for name in ("suggestions", "plan", "patrol")),
    *(f"demo/{name}.py" for name in ("generator", "model", "sampler", "draws", "components")),
    *(f"demo/{name}.py" for name in ("frames", "survey", "synthetic")),
}


def _imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def _calls(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name):
                names.add(func.id)
            elif isinstance(func, ast.Attribute):
                names.add(func.attr)
    return names


def test_package_has_modules() -> None:
    assert len(MODULES) >= 5


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_leaflet_imports_folium_and_nothing_imports_streamlit(path: Path) -> None:
    roots = _imported_roots(path)
    in_app = path.relative_to(PACKAGE).parts[0] == "app"
    assert in_app or "streamlit" not in roots, f"{path.name} imports streamlit; only app/ may"
    if path.relative_to(PACKAGE).parts[:2] != ("render", "leaflet"):
        assert "folium" not in roots, f"{path.name} imports folium; only render/leaflet/ may"
        assert "streamlit_folium" not in roots


@pytest.mark.parametrize(
    "path",
    [
        p
        for p in MODULES
        if (p.name in COMPUTATION and p.parent == PACKAGE)
        or p.relative_to(PACKAGE).as_posix() in COMPUTATION_PATHS
    ],
    ids=lambda p: p.relative_to(PACKAGE).as_posix(),
)
def test_computation_modules_do_no_file_io(path: Path) -> None:
    calls = _calls(path)
    forbidden = {"open", "read_file", "read_csv", "to_file", "read_text", "write_text", "savefig"}
    assert not (calls & forbidden), f"{path.name} does file I/O: {sorted(calls & forbidden)}"


def test_the_command_line_starts_without_the_heavy_libraries() -> None:
    """`hotspots --help` and argument errors answer at once: commands import what they use."""
    import subprocess
    import sys

    code = (
        "import sys, hotspots.cli; "
        "print(sorted(m for m in ('pandas', 'geopandas', 'shapely', 'scipy', 'pyproj', "
        "'pyarrow', 'folium', 'matplotlib', 'rasterio') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == "[]"
