from __future__ import annotations

import json
from pathlib import Path

import pytest

from hotspots.cli import run
from hotspots.est.actions import load_actions


def _add(db: Path | str, *extra: str) -> int:
    return run(
        [
            "actions",
            "add",
            "--db",
            str(db),
            "--problem",
            "violence",
            "--actor",
            "polis",
            "--action",
            "fotpatrull",
            "--date",
            "2026-11-20",
            *extra,
        ]
    )


def test_add_edit_list_close(store_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _add(store_db, "--point", "413650,6584250", "--name", "Stora torget") == 0
    assert "A-0001" in capsys.readouterr().out
    assert _add(store_db, "--district", "Kronoparken", "--follow-up", "2026-12-04") == 0
    assert "A-0002" in capsys.readouterr().out
    frame = load_actions(store_db)
    assert frame["id"].tolist() == ["A-0001", "A-0002"]
    assert frame.loc[1, "place_kind"] == "district"
    assert frame.loc[1, "place_ref"] == "Kronoparken"
    assert frame.loc[0, "geometry"].x == pytest.approx(413650.0)

    code = run(
        [
            "actions",
            "edit",
            "A-0001",
            "--db",
            store_db,
            "--status",
            "pågår",
            "--note",
            "fre-lör 22-03",
            "--follow-up",
            "2026-12-11",
        ]
    )
    assert code == 0
    assert "pågår" in capsys.readouterr().out
    frame = load_actions(store_db)
    assert frame.loc[0, "status"] == "pågår"
    assert frame.loc[0, "follow_up"] == "2026-12-11"

    assert run(["actions", "list", "--db", store_db, "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["id"] for r in rows] == ["A-0001", "A-0002"]
    assert rows[0]["note"] == "fre-lör 22-03"

    assert run(["actions", "close", "A-0002", "--db", store_db, "--date", "2026-11-30"]) == 0
    capsys.readouterr()
    assert run(["actions", "list", "--db", store_db]) == 0
    out = capsys.readouterr().out
    assert "A-0001" in out
    assert "A-0002" not in out  # closed
    assert run(["actions", "list", "--db", store_db, "--status", "klar"]) == 0
    out = capsys.readouterr().out
    assert "A-0002" in out
    assert "stängd 2026-11-30" in out
    assert run(["actions", "list", "--db", store_db, "--status", "all", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows[1]["closed"] == "2026-11-30"
    assert rows[0]["closed"] is None
    assert all(r["created"] and r["updated"] for r in rows)
    assert run(["actions", "list", "--db", store_db, "--due", "2026-12-05"]) == 0
    assert "A-0001" in capsys.readouterr().out  # follow-up 2026-12-11 within a week


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ((), "give exactly one location"),
        (("--point", "1,2", "--district", "Rud"), "give exactly one location"),
        (("--district", "Atlantis"), "not a known district"),
        (("--point", "abc"), "not two numbers"),
        (("--lonlat", "200,95"), "not LON,LAT"),
    ],
)
def test_add_errors_exit_2(
    tmp_db: Path, capsys: pytest.CaptureFixture[str], extra: tuple[str, ...], message: str
) -> None:
    assert _add(tmp_db, *extra) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1


def test_bad_values_exit_2(tmp_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run(
        [
            "actions",
            "add",
            "--db",
            str(tmp_db),
            "--problem",
            "violence",
            "--actor",
            "grannen",
            "--action",
            "fotpatrull",
            "--point",
            "413650,6584250",
        ]
    )
    assert code == 2
    assert "actor: 'grannen' is not one of" in capsys.readouterr().err
    assert run(["actions", "edit", "A-0009", "--db", str(tmp_db), "--status", "klar"]) == 2
    assert "not found" in capsys.readouterr().err
    assert run(["actions", "edit", "A-0009", "--db", str(tmp_db)]) == 2
    assert "nothing to change" in capsys.readouterr().err
