"""The CLI frame: exit codes and messages (0 ok, 2 bad input, 1 internal)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from hotspots.cli import run


def test_help_lists_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--help"]) == 0
    out = capsys.readouterr().out
    assert "import" in out
    assert "demo" in out


def test_unknown_command_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["no-such-command"]) == 2
    assert "no-such-command" in capsys.readouterr().err


def test_console_script_exit_code_and_no_traceback() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "hotspots", "import", "/nonexistent/file.csv"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "/nonexistent/file.csv" in proc.stderr


def test_version_is_the_installed_distributions() -> None:
    from importlib.metadata import version

    import hotspots

    assert hotspots.__version__ == version("hotspots")
    with pytest.raises(AttributeError, match="no attribute 'nonesuch'"):
        _ = hotspots.nonesuch  # type: ignore[attr-defined]
