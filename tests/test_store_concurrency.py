"""Several commands on one store at once, and commands killed half-way, on both backends.

Every test runs real ``hotspots`` processes (no mocks): concurrent imports into a new and an
existing store, ``kill -9`` at many points of an import (the commit included) followed by
every kind of command, 20 concurrent ``actions add``, reads while an import holds the store,
and a lock held past the busy timeout.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from hotspots.store import open_store

APP = Path(__file__).resolve().parents[1] / "app.py"

pytestmark = pytest.mark.slow

#: Karlstad's centre in SWEREF 99 TM metres.
E0, N0 = 413_600.0, 6_584_200.0


def _write_csv(path: Path, n: int, *, seed: int, prefix: str = "r") -> Path:
    """An incidents CSV of ``n`` rows with ids ``<prefix><k>`` (x/y in EPSG:3006)."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2025-01-06 00:00")
    frame = pd.DataFrame(
        {
            "id": [f"{prefix}{k}" for k in range(n)],
            "occurred_at": (
                start + pd.to_timedelta(rng.integers(0, 300 * 24 * 60, n), unit="min")
            ).strftime("%Y-%m-%dT%H:%M"),
            "category": rng.choice(["assault_public", "vandalism", "drug_use"], n),
            "x": np.round(E0 + rng.normal(0, 800, n), 1),
            "y": np.round(N0 + rng.normal(0, 800, n), 1),
        }
    )
    frame.to_csv(path, index=False)
    return path


def _hotspots(*args: str) -> list[str]:
    return [sys.executable, "-m", "hotspots", *args]


def _run(*args: str, timeout: float = 300, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **env}
    return subprocess.run(
        _hotspots(*args), capture_output=True, text=True, timeout=timeout, env=full_env,
        check=False,
    )


def _start(*args: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        _hotspots(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, **env},
    )


def _counts(out: str) -> dict[str, int]:
    """The ``name: number`` lines of an import's output."""
    counts: dict[str, int] = {}
    for line in out.splitlines():
        key, _, value = line.strip().partition(": ")
        if value.strip().isdigit():
            counts[key] = int(value)
    return counts


def _closes(counts: dict[str, int]) -> bool:
    parts = ("inserted", "updated", "unchanged", "merged")
    return counts["accepted"] == sum(counts.get(k, 0) for k in parts)


def _no_internal_error(proc: subprocess.CompletedProcess[str]) -> None:
    assert "internal error" not in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr


def _stray_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".tmp", ".creating")))


@pytest.fixture
def app_test(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], AppTest]:
    """Run app.py (Streamlit's AppTest, in this process) on the store ``db``."""

    def _open(db: str) -> AppTest:
        monkeypatch.setenv("HOTSPOTS_DB", db)
        at = AppTest.from_file(str(APP), default_timeout=180)
        return at.run()

    return _open


def test_concurrent_imports_into_a_new_store_all_land(store_db: str, tmp_path: Path) -> None:
    files = [_write_csv(tmp_path / f"f{k}.csv", 2_000, seed=k, prefix=f"f{k}-") for k in range(4)]
    procs = [_start("import", str(f), "--db", store_db) for f in files]
    results = [(p.wait(timeout=300), *p.communicate()) for p in procs]
    for code, out, err in results:
        assert code == 0, err
        counts = _counts(out)
        assert counts["accepted"] == counts["inserted"] == 2_000, out
    store = open_store(store_db)
    assert len(store.incidents()) == 8_000
    assert sorted(store.imports()["file_name"]) == [f.name for f in files]
    assert store.check().problems == []
    if not store_db.startswith("postgresql"):
        assert _stray_files(tmp_path) == []


def test_concurrent_imports_into_an_existing_store(store_db: str, tmp_path: Path) -> None:
    base = _write_csv(tmp_path / "base.csv", 3_000, seed=1, prefix="b")
    assert _run("import", str(base), "--db", store_db).returncode == 0
    # the same rows again (unchanged), overlapping new rows, and disjoint rows, all at once
    other = _write_csv(tmp_path / "other.csv", 3_000, seed=2, prefix="o")
    procs = [
        _start("import", str(base), "--db", store_db),
        _start("import", str(other), "--db", store_db),
        _start("import", str(other), "--db", store_db),
    ]
    outs = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        counts = _counts(out)
        assert _closes(counts), out
        outs.append(counts)
    assert outs[0]["unchanged"] == 3_000
    # one of the two imports of other.csv inserted its rows, the other found them unchanged
    assert sorted((outs[1]["inserted"], outs[2]["inserted"])) == [0, 3_000]
    assert len(open_store(store_db).incidents()) == 6_000


def test_twenty_concurrent_action_adds_get_twenty_distinct_ids(store_db: str) -> None:
    assert _run("db", "init", "--db", store_db).returncode == 0
    procs = [
        _start(
            "actions", "add", "--db", store_db, "--problem", "violence", "--actor", "polis",
            "--action", "fotpatrull", "--note", f"patrull {k}", "--point", f"{E0 + k},{N0}",
            "--date", "2026-11-20",
        )
        for k in range(20)
    ]
    printed = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        printed.append(out.split(":")[0])
    assert len(set(printed)) == 20
    actions = open_store(store_db).read_layer("actions")
    assert len(actions) == 20
    assert sorted(actions["id"]) == sorted(printed)
    assert sorted(actions["note"]) == sorted(f"patrull {k}" for k in range(20))


@pytest.mark.parametrize("point", ["chunk", "commit", "committed", "random"])
def test_an_import_killed_anywhere_loses_nothing(
    store_db: str, tmp_path: Path, point: str, rng: np.random.Generator
) -> None:
    base = _write_csv(tmp_path / "base.csv", 1_000, seed=3, prefix="b")
    assert _run("import", str(base), "--db", store_db).returncode == 0
    store = open_store(store_db)
    before = store.incidents()
    big = _write_csv(tmp_path / "big.csv", 120_000, seed=4, prefix="g")
    if point == "random":
        victims = []
        for delay in rng.uniform(0.5, 6.0, 3):
            proc = _start("import", str(big), "--db", store_db)
            time.sleep(delay)
            proc.send_signal(signal.SIGKILL)
            proc.communicate(timeout=60)
            victims.append(proc.returncode)
        committed = len(store.incidents()) != len(before)
    else:
        killed = _run("import", str(big), "--db", store_db, HOTSPOTS_KILL_AT=point)
        assert killed.returncode == -signal.SIGKILL
        committed = point == "committed"
    after = store.incidents()
    # all or nothing: the killed import either committed whole or left the store as it was
    assert len(after) == len(before) + (120_000 if committed else 0)
    assert after.iloc[: len(before)]["id"].tolist() == before["id"].tolist()
    # every kind of command works on the store afterwards
    check = _run("db", "check", "--json", "--db", store_db)
    assert check.returncode == 0, check.stdout + check.stderr
    assert json.loads(check.stdout)["ok"]
    again = _run("import", str(big), "--db", store_db)
    _no_internal_error(again)
    assert again.returncode == 0, again.stderr
    counts = _counts(again.stdout)
    assert _closes(counts)
    assert counts["inserted"] + counts["unchanged"] == 120_000
    added = _run(
        "actions", "add", "--db", store_db, "--problem", "violence", "--actor", "polis",
        "--action", "fotpatrull", "--point", f"{E0},{N0}",
    )
    assert added.returncode == 0, added.stderr
    detect = _run("detect", "--db", store_db, "--out", str(tmp_path / "h.geojson"))
    _no_internal_error(detect)
    assert detect.returncode == 0, detect.stderr
    assert len(store.incidents()) == 121_000
    if not store_db.startswith("postgresql"):
        assert _stray_files(tmp_path) == []


def _hold_import(store_db: str, tmp_path: Path) -> subprocess.Popen[str]:
    """A real import that has written a chunk and holds the write lock until told to go on."""
    script = tmp_path / "hold.py"
    script.write_text(
        "import sys\n"
        "import geopandas as gpd\n"
        "from hotspots.io import read_file\n"
        "from hotspots.store import open_store\n"
        f"frame, _ = read_file({str(tmp_path / 'held.csv')!r}, kind='incidents')\n"
        f"store = open_store({store_db!r})\n"
        "with store.importing('incidents', provenance={'file_name': 'held.csv'}) as imp:\n"
        "    imp.add(frame)\n"
        "    print('holding', flush=True)\n"
        "    sys.stdin.readline()\n"
        "print('done', flush=True)\n",
        encoding="utf-8",
    )
    _write_csv(tmp_path / "held.csv", 500, seed=9, prefix="h")
    proc = subprocess.Popen(
        [sys.executable, str(script)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": os.getcwd()},
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.strip() == "holding", proc.stderr.read() if proc.stderr else ""
    return proc


def test_a_lock_held_past_the_timeout_is_a_clear_message(
    store_db: str, tmp_path: Path
) -> None:
    base = _write_csv(tmp_path / "base.csv", 200, seed=5, prefix="b")
    assert _run("import", str(base), "--db", store_db).returncode == 0
    holder = _hold_import(store_db, tmp_path)
    try:
        busy = _run("import", str(base), "--db", store_db, "--busy-timeout", "1")
        assert busy.returncode == 2
        assert busy.stderr.count("\n") == 1
        assert "store is busy: an import is running (since " in busy.stderr
        assert "try again" in busy.stderr
        add = _run(
            "actions", "add", "--db", store_db, "--problem", "violence", "--actor", "polis",
            "--action", "fotpatrull", "--point", f"{E0},{N0}", "--busy-timeout", "0.5",
        )
        assert add.returncode == 2
        assert "store is busy" in add.stderr
        # readers do not wait: they see the last committed state
        check = _run("db", "check", "--json", "--db", store_db)
        assert json.loads(check.stdout)["counts"]["incidents"] == 200
    finally:
        out, err = holder.communicate("\n", timeout=120)
    assert holder.returncode == 0, err
    assert "done" in out
    assert len(open_store(store_db).incidents()) == 700


def test_the_app_on_a_busy_store_shows_it_and_adds_no_demo(
    store_db: str, tmp_path: Path, app_test: Callable[[str], AppTest]
) -> None:
    base = _write_csv(tmp_path / "base.csv", 300, seed=6, prefix="b")
    assert _run("import", str(base), "--db", store_db).returncode == 0
    holder = _hold_import(store_db, tmp_path)
    try:
        at = app_test(store_db)
        assert not at.exception, at.exception
        assert len(open_store(store_db).incidents()) == 300
    finally:
        holder.communicate("\n", timeout=120)
    store = open_store(store_db)
    assert len(store.incidents()) == 800
    assert "demo" not in " ".join(store.imports()["file_name"].astype(str))


def test_the_app_never_fills_a_file_that_is_not_a_store(
    tmp_path: Path, app_test: Callable[[str], AppTest]
) -> None:
    bad = tmp_path / "store.gpkg"
    bad.write_bytes(b"not a store " * 100)
    at = app_test(str(bad))
    shown = " ".join(e.value for e in at.error)
    assert "cannot be read as a hotspots store" in shown
    assert bad.read_bytes() == b"not a store " * 100
