"""The console script's ``main()`` ends like any Python program: it raises SystemExit with the
exit code, so atexit handlers run and a program that embeds it carries on."""

from __future__ import annotations

import gc
import subprocess
import sys
import textwrap

import pytest

from hotspots.cli import main

_EMBEDDED = textwrap.dedent(
    """
    import atexit, sys
    atexit.register(lambda: print("atexit ran", flush=True))
    from hotspots.cli import main
    for argv in (["hotspots", "--help"], ["hotspots", "import", "/nonexistent/file.csv"]):
        sys.argv = argv
        try:
            main()
        except SystemExit as exc:
            print("exit", exc.code, flush=True)
    print("still running", flush=True)
    """
)


def test_main_raises_system_exit_with_the_code(capsys: pytest.CaptureFixture[str]) -> None:
    thresholds = gc.get_threshold()
    argv = sys.argv
    sys.argv = ["hotspots", "no-such-command"]
    try:
        with pytest.raises(SystemExit) as caught:
            main()
    finally:
        sys.argv = argv
    assert caught.value.code == 2
    assert "no-such-command" in capsys.readouterr().err
    assert gc.get_threshold() == thresholds  # the process's collector is left as it was


def test_an_embedding_program_carries_on_and_its_atexit_handlers_run() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", _EMBEDDED], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    lines = [line for line in proc.stdout.splitlines() if line in {"exit 0", "exit 2"}]
    assert lines == ["exit 0", "exit 2"]
    assert proc.stdout.splitlines()[-2:] == ["still running", "atexit ran"]
