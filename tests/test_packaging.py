"""The wheel is the whole product: installed into a clean environment, every command and the
app work from any folder (the app's pages and the demo geography ship inside the package)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the built wheel and the locked dependencies."""
    uv = shutil.which("uv")
    if uv is None:
        pytest.fail("uv is needed to build and install the wheel (scripts/test.sh installs it)")
    work = tmp_path_factory.mktemp("wheel")
    dist = work / "dist"
    subprocess.run([uv, "build", "--wheel", "--out-dir", str(dist), str(ROOT)], check=True,
                   capture_output=True)
    wheels = list(dist.glob("hotspots-*.whl"))
    assert len(wheels) == 1
    requirements = work / "requirements.txt"
    subprocess.run(
        [uv, "export", "--frozen", "--no-hashes", "--no-dev", "--no-emit-project",
         "--project", str(ROOT), "--output-file", str(requirements)],
        check=True, capture_output=True,
    )
    venv = work / "venv"
    subprocess.run([uv, "venv", "--python", sys.executable, str(venv)], check=True,
                   capture_output=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [uv, "pip", "install", "--python", str(python), "-r", str(requirements),
         str(wheels[0])],
        check=True, capture_output=True,
    )
    return venv


def test_the_wheel_holds_the_app_and_the_demo_geography(installed: Path) -> None:
    python = installed / "bin" / "python"
    code = (
        "import hotspots, pathlib; root = pathlib.Path(hotspots.__file__).parent; "
        "print(sorted(p.name for p in (root / 'spatial' / 'demo_geo').glob('*.geojson'))); "
        "print((root / 'app' / 'entry.py').is_file())"
    )
    out = subprocess.run([str(python), "-c", code], check=True, capture_output=True, text=True,
                         cwd=installed)
    geo, app = out.stdout.splitlines()
    assert "districts.geojson" in geo
    assert "water.geojson" in geo
    assert app == "True"
    # nothing of the installed package comes from the checkout
    where = subprocess.run([str(python), "-c", "import hotspots; print(hotspots.__file__)"],
                           check=True, capture_output=True, text=True, cwd=installed)
    assert str(installed) in where.stdout


def test_commands_and_the_app_work_from_another_folder(installed: Path, tmp_path: Path) -> None:
    hotspots = installed / "bin" / "hotspots"
    elsewhere = tmp_path / "somewhere" / "else"
    elsewhere.mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if k not in ("HOTSPOTS_DB", "VIRTUAL_ENV")}
    demo = subprocess.run(
        [str(hotspots), "demo", "--db", "demo.gpkg", "--years", "1", "--out", "csv"],
        capture_output=True, text=True, cwd=elsewhere, env=env, timeout=600, check=False,
    )
    assert demo.returncode == 0, demo.stderr
    assert (elsewhere / "demo.gpkg").is_file()
    detect = subprocess.run(
        [str(hotspots), "detect", "--db", "demo.gpkg", "--out", "h.geojson"],
        capture_output=True, text=True, cwd=elsewhere, env=env, timeout=600, check=False,
    )
    assert detect.returncode == 0, detect.stderr
    assert (elsewhere / "h.geojson").stat().st_size > 1000
    port = _free_port()
    app = subprocess.Popen(
        [str(hotspots), "app", "--db", "demo.gpkg", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=elsewhere, env=env,
    )
    try:
        deadline = time.monotonic() + 240
        body = ""
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/_stcore/script-health-check", timeout=60
                ) as reply:
                    body = reply.read().decode()
                break
            except OSError:
                if app.poll() is not None:
                    break
                time.sleep(1)
        assert body == "ok", app.stdout.read() if app.poll() is not None else body
    finally:
        app.terminate()
        app.wait(timeout=60)
