"""The app uses only Streamlit API that the installed version supports without deprecation.

Streamlit 1.5x deprecated ``st.components.v1.html`` and ``st.components.v1.iframe`` (removed
after 2026-06-01; ``st.iframe`` replaces both) and calling ``declare_component`` through the
``st.components.v1`` attribute instead of importing it from its module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "hotspots"
SOURCES = sorted(PACKAGE.rglob("*.py"))


def _dotted(node: ast.AST) -> str:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return ".".join(reversed(parts))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_deprecated_streamlit_components_call(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            name = _dotted(node)
            assert not name.startswith(("st.components.v1.", "streamlit.components.v1.")), (
                f"{path.name}:{node.lineno}: {name} (import from streamlit.components.v1 "
                "or use st.iframe)"
            )
        if isinstance(node, ast.ImportFrom) and node.module == "streamlit.components.v1":
            names = {a.name for a in node.names}
            assert not names & {"html", "iframe"}, f"{path.name}:{node.lineno}: use st.iframe"


def test_the_map_component_and_st_iframe_exist_in_the_installed_streamlit() -> None:
    st = pytest.importorskip("streamlit")
    from streamlit.components.v1 import declare_component

    assert callable(declare_component)
    assert callable(st.iframe)
