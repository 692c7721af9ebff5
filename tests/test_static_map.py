"""PNG and PDF maps made with matplotlib, without a browser."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from privacy_town import analysed

from hotspots.core.errors import InputSchemaError
from hotspots.export.static_map import render_static_map, write_static_map
from hotspots.render.privacy import apply_privacy
from hotspots.render.static_map import _nice_length


def _texts(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts] + [
        t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()
    ]


def test_page_holds_title_period_parameters_legend_scale_north() -> None:
    content = apply_privacy(analysed(), profile="public")
    fig = render_static_map(content, lang="en", title="Test <title>")
    texts = _texts(fig)
    assert "Test <title>" in texts
    assert "N" in texts  # north arrow
    assert any(t.endswith(" km") or t.endswith(" m") for t in texts)  # scale bar
    assert "Bandwidth:" in texts
    assert "200 m" in texts
    assert "Period:" in texts
    legend = fig.axes[1].get_legend()
    assert legend is not None
    assert "incidents per km²" in legend.get_title().get_text()
    assert any("Crime hotspots" in t.get_text() for t in legend.get_texts())


@pytest.mark.parametrize("suffix", [".png", ".pdf"])
def test_write(tmp_path: Path, suffix: str) -> None:
    content = apply_privacy(analysed(), profile="internal")
    path = write_static_map(content, tmp_path / f"map{suffix}", dpi=60)
    data = path.read_bytes()
    if suffix == ".pdf":
        assert data.startswith(b"%PDF")
    else:
        img = np.array(Image.open(path))
        assert img.shape[1] > img.shape[0]  # landscape
        assert len(np.unique(img.reshape(-1, img.shape[-1]), axis=0)) > 10


def test_bad_suffix(tmp_path: Path) -> None:
    content = apply_privacy(analysed(), profile="internal")
    with pytest.raises(InputSchemaError, match=r"\.png or \.pdf"):
        write_static_map(content, tmp_path / "map.svg")


def test_nice_scale_lengths() -> None:
    assert _nice_length(1234.0) == 1000.0
    assert _nice_length(2600.0) == 2000.0
    assert _nice_length(7300.0) == 5000.0
    assert _nice_length(180.0) == 100.0
