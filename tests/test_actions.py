from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point, box

from hotspots.core.errors import InputSchemaError
from hotspots.est.actions import (
    add_action,
    close_action,
    closed_on,
    due_follow_ups,
    edit_action,
    empty_actions,
    load_actions,
    open_actions,
    place_label,
    save_actions,
)
from hotspots.store import open_store

TORGET = Point(413_650.0, 6_584_250.0)


def _one() -> tuple[gpd.GeoDataFrame, str]:
    return add_action(
        empty_actions(),
        date="2026-11-20",
        place_kind="place",
        place_ref="Stora torget",
        problem="violence",
        actor="Polis",
        action="fotpatrull",
        geometry=TORGET,
        follow_up=dt.date(2026, 12, 4),
        note="Fre-lör 22-03",
    )


def test_add_assigns_ids_and_normalises() -> None:
    frame, first = _one()
    assert first == "A-0001"
    frame, second = add_action(
        frame,
        date=dt.date(2026, 11, 21),
        place_kind="district",
        place_ref="Kronoparken",
        problem="Otrygga miljöer",  # Swedish label of the area
        actor="housing company",  # English alias
        action="Belysning",
        geometry=Point(416_000.0, 6_585_000.0),
        status="ongoing",
    )
    assert second == "A-0002"
    row = frame.set_index("id").loc["A-0002"]
    assert row["problem"] == "unsafe"
    assert row["actor"] == "bostadsbolag"
    assert row["action"] == "belysning"
    assert row["status"] == "pågår"
    assert row["date"] == "2026-11-21"
    assert frame.loc[0, "actor"] == "polis"
    assert frame.loc[0, "follow_up"] == "2026-12-04"
    assert frame.crs.to_epsg() == 3006


def _add_with(field: str, value: object, **options: object) -> None:
    """Add a valid action but for ``field`` set to ``value``."""
    kwargs: dict[str, object] = {
        "date": "2026-11-20",
        "place_kind": "point",
        "place_ref": "x",
        "problem": "violence",
        "actor": "polis",
        "action": "fotpatrull",
        "geometry": TORGET,
    }
    kwargs[field] = value
    add_action(empty_actions(), **kwargs, **options)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("field", "value", "match"),
    [
        ("actor", "grannen", "actor: 'grannen' is not one of polis"),
        ("action", "hoppas", "use annat with a note"),
        ("problem", "domestic_violence", "restricted category"),
        ("problem", "nonsense", "neither a problem area"),
        ("date", "20/11/2026", "YYYY-MM-DD"),
        ("status", "maybe", "status: 'maybe'"),
        ("follow_up", "2026-11-01", "before the action date"),
        ("geometry", box(0, 0, 1, 1), "a point is required"),
        ("place_kind", "city", "place_kind"),
    ],
)
def test_validation_errors_name_the_field(field: str, value: object, match: str) -> None:
    with pytest.raises(InputSchemaError, match=match):
        _add_with(field, value, lang="en")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("actor", "grannen", "Aktör: 'grannen' är inte något av polis, kommun"),
        ("action", "hoppas", "; välj annat och skriv en anteckning för allt annat"),
        ("problem", "domestic_violence", "Problem: 'domestic_violence' är en skyddad kategori"),
        ("problem", "nonsense", "Problem: 'nonsense' är varken ett problemområde"),
        ("date", "20/11/2026", "Datum: '20/11/2026' är inget datum; skriv ÅÅÅÅ-MM-DD"),
        ("date", "", "Datum: måste fyllas i"),
        ("status", "maybe", "Status: 'maybe' är inte något av planerad, pågår, klar, avbruten"),
        ("follow_up", "2026-11-01", "Uppföljning: 2026-11-01 är före åtgärdens datum 2026-11-20"),
        ("geometry", box(0, 0, 1, 1), "Läge: en punkt behövs"),
        ("place_kind", "city", "Platstyp: 'city' är inte något av"),
    ],
)
def test_validation_errors_are_swedish_by_default(field: str, value: object, message: str) -> None:
    """The app's form shows these: Swedish unless English is asked for."""
    with pytest.raises(InputSchemaError) as caught:
        _add_with(field, value)
    assert message in str(caught.value)
    assert not re.search(r"\b(is|not one of|required|before the action)\b", str(caught.value))


def test_edit_and_close_errors_in_swedish_and_english() -> None:
    frame, aid = _one()
    with pytest.raises(
        InputSchemaError, match=r"^åtgärd 'A-0042' finns inte \(senaste id: A-0001\)"
    ):
        edit_action(frame, "A-0042", {"status": "klar"})
    with pytest.raises(
        InputSchemaError, match=r"^action 'A-0042' not found \(latest ids: A-0001\)"
    ):
        edit_action(frame, "A-0042", {"status": "klar"}, lang="en")
    with pytest.raises(
        InputSchemaError, match=r"^åtgärd A-0001: Status: 'kanske' är inte något av"
    ):
        edit_action(frame, aid, {"status": "kanske"})
    fixed = r"^åtgärd A-0001: Id kan inte ändras; det som kan ändras: Åtgärd, Aktör, Datum"
    with pytest.raises(InputSchemaError, match=fixed):
        edit_action(frame, aid, {"id": "A-9"})
    with pytest.raises(InputSchemaError, match=r"^Status: 'pågår' stänger inte en åtgärd"):
        close_action(frame, aid, status="pågår")
    with pytest.raises(InputSchemaError, match=r"^åtgärd A-0001: Stängd: 2026-11-01 är före"):
        close_action(frame, aid, closed=dt.date(2026, 11, 1))
    with pytest.raises(InputSchemaError, match=r"^status: 'pågår' is not a closing status"):
        close_action(frame, aid, status="pågår", lang="en")


@pytest.mark.parametrize(
    ("kind", "ref", "sv", "en"),
    [
        ("hotspot", "Hotspot 2 (Centrum), 2026-10-26–2026-11-22",
         "Brottskoncentration 2 (Centrum), 2026-10-26–2026-11-22",
         "Hotspot 2 (Centrum), 2026-10-26–2026-11-22"),
        ("hotspot", "Brottskoncentration 7", "Brottskoncentration 7", "Hotspot 7"),
        ("hotspot", "Torget vid hotspot 3", "Torget vid hotspot 3", "Torget vid hotspot 3"),
        ("district", "Hotspot 1", "Hotspot 1", "Hotspot 1"),  # a district's own name
        ("place", "Stora torget", "Stora torget", "Stora torget"),
        ("point", None, "", ""),
    ],
)  # fmt: skip
def test_a_hotspot_place_is_named_in_the_readers_language(
    kind: str, ref: object, sv: str, en: str
) -> None:
    assert place_label(kind, ref, "sv") == sv
    assert place_label(kind, ref, "en") == en


def test_edit_and_close() -> None:
    frame, aid = _one()
    frame = edit_action(frame, aid, {"status": "pågår", "follow_up": "2026-12-11"})
    assert frame.loc[0, "status"] == "pågår"
    assert frame.loc[0, "follow_up"] == "2026-12-11"
    frame = edit_action(frame, aid, {"follow_up": "none"})
    assert frame.loc[0, "follow_up"] is None
    with pytest.raises(InputSchemaError, match="cannot edit id"):
        edit_action(frame, aid, {"id": "A-9"}, lang="en")
    with pytest.raises(InputSchemaError, match="not found"):
        edit_action(frame, "A-0042", {"status": "klar"}, lang="en")
    with pytest.raises(InputSchemaError, match="action A-0001: status"):
        edit_action(frame, aid, {"status": "kanske"}, lang="en")
    closed = close_action(frame, aid, closed=dt.date(2026, 12, 12), note="Lugnare helger")
    assert closed.loc[0, "status"] == "klar"
    assert closed.loc[0, "closed"] == "2026-12-12"
    assert closed.loc[0, "note"] == "Fre-lör 22-03 Lugnare helger"
    assert open_actions(closed).empty
    with pytest.raises(InputSchemaError, match="closed: 2026-11-01 is before"):
        close_action(frame, aid, closed=dt.date(2026, 11, 1), lang="en")
    reopened = edit_action(closed, aid, {"status": "pågår"})
    assert reopened.loc[0, "closed"] is None
    assert len(open_actions(reopened)) == 1
    with pytest.raises(InputSchemaError, match="not a closing status"):
        close_action(frame, aid, status="pågår", lang="en")


def test_created_updated_and_closed_are_kept_in_local_time() -> None:
    stockholm = dt.timezone(dt.timedelta(hours=1))
    t_add = dt.datetime(2026, 11, 20, 9, 5, tzinfo=dt.UTC)  # 10:05 in Stockholm (CET)
    frame, aid = add_action(
        empty_actions(), date="2026-11-20", place_kind="place", place_ref="Stora torget",
        problem="violence", actor="polis", action="fotpatrull", geometry=TORGET, now=t_add,
    )  # fmt: skip
    assert frame.loc[0, "created"] == "2026-11-20T10:05"
    assert frame.loc[0, "updated"] == "2026-11-20T10:05"
    assert frame.loc[0, "closed"] is None
    t_edit = dt.datetime(2026, 11, 27, 14, 30, tzinfo=stockholm)
    frame = edit_action(frame, aid, {"note": "EST 27/11: fortsätt"}, now=t_edit)
    assert frame.loc[0, "created"] == "2026-11-20T10:05"
    assert frame.loc[0, "updated"] == "2026-11-27T14:30"
    t_close = dt.datetime(2026, 12, 4, 23, 30, tzinfo=dt.UTC)  # already 5 December locally
    frame = close_action(frame, aid, now=t_close)
    assert frame.loc[0, "closed"] == "2026-12-05"
    assert frame.loc[0, "updated"] == "2026-12-05T00:30"
    # an action logged after the fact as done is closed on the day it is logged
    done, _ = add_action(
        frame, date="2026-11-01", place_kind="point", place_ref="x", problem="unsafe",
        actor="kommun", action="belysning", geometry=TORGET, status="klar", now=t_edit,
    )  # fmt: skip
    assert done.loc[1, "closed"] == "2026-11-27"
    for column in ("created", "updated", "closed"):
        with pytest.raises(InputSchemaError, match=f"cannot edit {column}"):
            edit_action(frame, aid, {column: "2026-01-01"}, lang="en")


def test_open_and_due_follow_ups() -> None:
    frame, _ = _one()  # follow-up 2026-12-04
    frame, _ = add_action(
        frame,
        date="2026-10-01",
        place_kind="point",
        place_ref="Gång- och cykeltunnel",
        problem="unsafe",
        actor="kommun",
        action="röjning",
        geometry=Point(414_000.0, 6_583_000.0),
        follow_up="2026-11-10",
        status="klar",
    )
    frame, _ = add_action(
        frame,
        date="2026-10-01",
        place_kind="point",
        place_ref="Parken",
        problem="drugs_alcohol",
        actor="polis",
        action="annat",
        geometry=Point(414_500.0, 6_583_000.0),
        follow_up="2026-11-10",
        status="avbruten",
    )
    assert open_actions(frame)["id"].tolist() == ["A-0001"]
    due = due_follow_ups(frame, on=dt.date(2026, 11, 23), horizon_days=7)
    assert due["id"].tolist() == ["A-0002"]  # overdue; A-0001 is 11 days off; A-0003 cancelled
    assert bool(due.loc[0, "overdue"])
    due = due_follow_ups(frame, on=dt.date(2026, 11, 30), horizon_days=7)
    assert due["id"].tolist() == ["A-0002", "A-0001"]


def test_store_round_trip(tmp_db: Path) -> None:
    assert load_actions(tmp_db).empty
    frame, aid = _one()
    save_actions(tmp_db, frame)
    back = load_actions(tmp_db)
    assert back["id"].tolist() == [aid]
    assert back.loc[0, "date"] == "2026-11-20"
    assert back.loc[0, "follow_up"] == "2026-12-04"
    assert back.loc[0, "place_ref"] == "Stora torget"
    assert back.loc[0, "note"] == "Fre-lör 22-03"
    assert back.geometry.iloc[0].equals_exact(TORGET, 1e-6)
    assert back.loc[0, "created"] == frame.loc[0, "created"]
    closed = close_action(back, aid, closed=dt.date(2026, 12, 1))
    save_actions(open_store(tmp_db), closed)
    again = load_actions(open_store(tmp_db))
    assert again.loc[0, "status"] == "klar"
    assert again.loc[0, "closed"] == "2026-12-01"


def test_a_store_from_before_the_audit_columns_is_read_and_upgraded(tmp_db: Path) -> None:
    """Stores written before created/updated/closed existed: read, then migrated on save."""
    import sqlite3

    frame, aid = _one()
    frame = close_action(frame, aid, closed=dt.date(2026, 12, 12))
    save_actions(tmp_db, frame)
    con = sqlite3.connect(tmp_db)
    for column in ("created", "updated", "closed"):
        con.execute(f'ALTER TABLE actions DROP COLUMN "{column}"')
    # the earlier version kept the closing date in the note
    con.execute("UPDATE actions SET note = note || ' [stängd 2026-12-12]'")
    con.commit()
    con.close()
    old = load_actions(tmp_db)
    assert old.loc[0, "closed"] == "2026-12-12"  # recovered from the note
    assert old.loc[0, "created"] is None
    assert closed_on(old.loc[0, "note"]) == "2026-12-12"
    save_actions(tmp_db, edit_action(old, aid, {"note": "uppföljd"}))
    con = sqlite3.connect(tmp_db)
    columns = {row[1] for row in con.execute("PRAGMA table_info(actions)")}
    con.close()
    assert {"created", "updated", "closed"} <= columns
    upgraded = load_actions(tmp_db)
    assert upgraded.loc[0, "closed"] == "2026-12-12"
    assert upgraded.loc[0, "updated"] is not None


@pytest.mark.parametrize(("lang", "word"), [("sv", "Brottskoncentration 2"), ("en", "Hotspot 2")])
def test_the_lagesbild_names_a_hotspot_action_in_its_language(lang: str, word: str) -> None:
    from types import SimpleNamespace

    from hotspots.render.report.sections_followup import _follow_ups, _open_actions

    frame, _ = add_action(
        empty_actions(), date="2026-11-20", place_kind="hotspot",
        place_ref="Hotspot 2 (Centrum), 2026-10-26–2026-11-22", problem="violence",
        actor="polis", action="fotpatrull", geometry=TORGET, follow_up="2026-11-27",
    )  # fmt: skip
    lb = SimpleNamespace(
        lang=lang,
        actions_open=open_actions(frame),
        follow_ups=due_follow_ups(frame, on=dt.date(2026, 11, 24)),
    )
    for table in (_open_actions(lb), _follow_ups(lb)):  # type: ignore[arg-type]
        assert f"{word} (Centrum), 2026-10-26–2026-11-22" in table.rows[0]  # type: ignore[union-attr]
