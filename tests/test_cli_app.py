"""``hotspots app``: the command line, the warm-up of a started server, bad options."""

from __future__ import annotations

import contextlib
import http.server
import os
import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from hotspots.cli import run
from hotspots.cli.app_cmd import (
    APP_FILE,
    local_url,
    start_warm_up,
    streamlit_command,
    wait_until_up,
    warm_up,
)


def _free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def fake_server(script_status: int) -> Iterator[tuple[str, list[str]]]:
    """A server answering ``/_stcore/health`` with 200 and the script check with ``status``."""
    paths: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            paths.append(self.path)
            status = 200 if self.path == "/_stcore/health" else script_status
            self.send_response(status)
            self.end_headers()
            self.wfile.write(b"ok" if status == 200 else b"error")

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", paths
    finally:
        server.shutdown()
        server.server_close()


def test_command_enables_the_warm_up_endpoint_and_binds_the_host() -> None:
    cmd = streamlit_command(app_file=APP_FILE, host="127.0.0.1", port=8502)
    assert cmd[cmd.index("--server.scriptHealthCheckEnabled") + 1] == "true"
    assert cmd[cmd.index("--server.address") + 1] == "127.0.0.1"
    assert cmd[cmd.index("--server.port") + 1] == "8502"


def test_local_url() -> None:
    assert local_url("127.0.0.1", 8501) == "http://127.0.0.1:8501"
    assert local_url("0.0.0.0", 80) == "http://127.0.0.1:80"
    assert local_url("::", 8501) == "http://[::1]:8501"
    assert local_url("localhost", 1) == "http://localhost:1"


def test_warm_up_reports_success_and_failure() -> None:
    with fake_server(200) as (url, paths):
        assert warm_up(url) is True
        assert paths == ["/_stcore/script-health-check"]
    with fake_server(503) as (url, _):  # the headless run raised
        assert warm_up(url) is False
    with fake_server(404) as (url, _):  # a Streamlit without the endpoint
        assert warm_up(url) is False
    assert warm_up(f"http://127.0.0.1:{_free_port()}", timeout_s=2) is False  # nobody there


def test_start_warm_up_waits_for_health_then_warms() -> None:
    results: list[bool] = []
    with fake_server(200) as (url, paths):
        start_warm_up(url, on_ready=results.append).join(timeout=30)
    assert results == [True]
    assert paths[0] == "/_stcore/health"
    assert paths[-1] == "/_stcore/script-health-check"


def test_wait_until_up_gives_up() -> None:
    assert wait_until_up(f"http://127.0.0.1:{_free_port()}", timeout_s=0.5) is False


def test_bad_port_is_an_input_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["app", "--port", "70000"]) == 2
    assert "--port" in capsys.readouterr().err


@pytest.mark.slow
def test_warm_up_runs_the_app_headless_on_a_real_server(demo_store: Path) -> None:
    db = demo_store  # as ensure_demo_store leaves it: no tuning file beside it
    port = _free_port()
    env = {**os.environ, "HOTSPOTS_DB": str(db)}
    env.pop("HOTSPOTS_PASSWORD", None)
    cmd = streamlit_command(app_file=APP_FILE, host="127.0.0.1", port=port)
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = local_url("127.0.0.1", port)
    try:
        assert wait_until_up(url, timeout_s=60)
        assert warm_up(url, timeout_s=120) is True  # app.py ran to the end without an error
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_a_bad_geography_file_stops_before_the_server(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "geo.toml"
    bad.write_text('[layers]\ndistricts = "saknas.geojson"\n', encoding="utf-8")
    code = run(["app", "--db", str(tmp_path / "s.gpkg"), "--geography", str(bad)])
    err = capsys.readouterr().err
    assert code == 2
    assert "saknas.geojson" in err
    assert not (tmp_path / "s.gpkg").exists()  # nothing started, nothing filled
