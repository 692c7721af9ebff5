"""Addresses in the geography: ``geography build --addresses`` writes the register as the
layer ``addresses`` (clipped to the municipality, Lantmäteriet CC BY 4.0 in the ``layers``
table), and ``hotspots import --geography FILE.gpkg`` locates rows by it when no
``--addresses`` is given; with the real register (../shared/data) where present."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import pytest
from numpy.testing import assert_allclose
from osm_town import write_town_pbf
from register_csv import stored_points, write_csv, write_register

from hotspots.cli import run
from hotspots.core.errors import InputFileError
from hotspots.io.address_register import read_register
from hotspots.load.geocode import geography_geocoder
from hotspots.spatial.build import BUILD_LAYERS

#: rows 2-6: address, street, unknown street, Storgatan (one left after the clip), none
INCIDENTS = """id;tidpunkt;kategori;adress;postnummer
1;2026-01-03 22:10;misshandel;Drottningg. 12 b, 1 tr;652 24
2;2026-01-04 01:10;rån;KUNGSGATAN;
3;2026-01-04 02:10;rån;Drakgränd 4;
4;2026-01-04 03:10;rån;Storgatan 1;
5;2026-01-04 04:10;rån;;
"""


@pytest.fixture(scope="module")
def pbf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_town_pbf(tmp_path_factory.mktemp("osm") / "town.osm.pbf")


@pytest.fixture
def register(tmp_path: Path) -> Path:
    """register_csv.REGISTER; Molkom's Storgatan lies outside the town's municipality
    (412-416 km E, 6581-6585 km N) and is clipped away."""
    return write_register(tmp_path)


@pytest.fixture
def incidents(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "brott.csv", INCIDENTS)


def _build(pbf: Path, out: Path, *extra: str) -> int:
    return run(["geography", "build", str(pbf), "--out", str(out), *extra])


def test_build_writes_the_register_as_a_layer_with_its_licence(
    pbf: Path, register: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "geo.gpkg"
    assert _build(pbf, out, "--addresses", str(register)) == 0
    printed = capsys.readouterr().out
    names = [str(n) for n in pyogrio.list_layers(out)[:, 0]]
    assert names == [*BUILD_LAYERS, "addresses", "layers"]
    addresses = pyogrio.read_dataframe(out, layer="addresses")
    assert addresses.crs.to_epsg() == 3006
    assert addresses["street"].tolist() == ["Drottninggatan"] * 3 + ["Kungsgatan"] * 2 + [
        "Storgatan"
    ]
    assert addresses["number"].tolist() == ["12", "12", "14", "7", "9", "1"]
    assert addresses["letter"].tolist() == ["", "B", "", "", "", ""]
    assert set(addresses["post_town"]) == {"Karlstad"}  # Molkom is outside: clipped
    assert_allclose(addresses.geometry.x, [413000, 413005, 413020, 413500, 413510, 414000])
    row = pyogrio.read_dataframe(out, layer="layers").set_index("layer").loc["addresses"]
    assert (row["source"], row["licence"], row["attribution"], row["features"]) == (
        "register.csv",
        "CC BY 4.0",
        "Lantmäteriet",
        6,
    )
    assert "Lantmäteriet (CC BY 4.0)" in printed
    # without --clip the register is kept whole
    whole = tmp_path / "whole.gpkg"
    assert _build(pbf, whole, "--addresses", str(register), "--no-clip") == 0
    assert len(pyogrio.read_dataframe(whole, layer="addresses")) == 7


def test_import_with_the_geography_locates_addresses(
    pbf: Path,
    register: Path,
    incidents: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    geo = tmp_path / "geo.gpkg"
    assert _build(pbf, geo, "--addresses", str(register)) == 0
    capsys.readouterr()
    db = tmp_path / "s.gpkg"
    assert run(["import", str(incidents), "--db", str(db), "--geography", str(geo)]) == 0
    printed = capsys.readouterr().out
    assert "accepted: 3" in printed
    assert "rejected: 2" in printed
    assert "located by address: 3 (address 2, street 1)" in printed
    assert "addresses: Lantmäteriet (CC BY 4.0)" in printed
    stored = stored_points(db)
    assert stored["id"].tolist() == ["1", "2", "4"]
    assert stored["precision"].tolist() == ["address", "street", "address"]
    # 12 B is its own point; Kungsgatan without a number: its address point nearest the
    # mean (7); Storgatan 1 is one street once Molkom's is clipped away
    assert stored["x"].tolist() == [413005.0, 413500.0, 414000.0]
    assert stored["y"].tolist() == [6583000.0, 6583200.0, 6583000.0]


def test_addresses_option_wins_and_the_environment_is_read(  # noqa: PLR0917 - fixtures
    pbf: Path,
    register: Path,
    incidents: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    geo = tmp_path / "geo.gpkg"
    assert _build(pbf, geo, "--addresses", str(register)) == 0
    moved = tmp_path / "moved.csv"  # the same register 100 m east
    frame = pd.read_csv(register, sep=";", dtype=str)
    frame["x"] = (frame["x"].astype(float) + 100).astype(int).astype(str)
    frame.to_csv(moved, sep=";", index=False)
    db = tmp_path / "a.gpkg"
    args = ["import", str(incidents), "--db", str(db), "--geography", str(geo)]
    assert run([*args, "--addresses", str(moved)]) == 0
    assert stored_points(db)["x"].tolist()[0] == 413105.0
    # HOTSPOTS_GEOGRAPHY names the geography when --geography is not given
    monkeypatch.setenv("HOTSPOTS_GEOGRAPHY", str(geo))
    capsys.readouterr()
    env_db = tmp_path / "e.gpkg"
    assert run(["import", str(incidents), "--db", str(env_db)]) == 0
    assert "located by address: 3" in capsys.readouterr().out
    assert stored_points(env_db)["x"].tolist() == [413005.0, 413500.0, 414000.0]


def test_a_geography_without_addresses_locates_nothing(
    pbf: Path, incidents: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    geo = tmp_path / "geo.gpkg"
    assert _build(pbf, geo) == 0
    assert geography_geocoder(geo) is None
    toml = tmp_path / "geo.toml"
    toml.write_text('[layers]\ndistricts = "x.geojson"\n', encoding="utf-8")
    assert geography_geocoder(toml) is None
    with pytest.raises(InputFileError, match="geography not found"):
        geography_geocoder(tmp_path / "none.gpkg")
    capsys.readouterr()
    db = tmp_path / "s.gpkg"
    assert run(["import", str(incidents), "--db", str(db), "--geography", str(geo)]) == 2
    err = capsys.readouterr().err
    assert "holds addresses: give an address register with --addresses FILE" in err
    assert "--geography FILE.gpkg built with --addresses" in err
    assert not db.exists()


def test_register_licence_and_attribution_can_be_stated(
    pbf: Path, register: Path, tmp_path: Path
) -> None:
    geo = tmp_path / "geo.gpkg"
    extra = ["--addresses-licence", "CC0 1.0", "--addresses-attribution", "Testkommun"]
    assert _build(pbf, geo, "--addresses", str(register), *extra) == 0
    geocoder = geography_geocoder(geo)
    assert geocoder is not None
    assert geocoder.register.attribution == "Testkommun (CC0 1.0)"
    assert len(geocoder.register) == 6


def test_a_bad_register_fails_before_anything_is_written(
    pbf: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("gata;nummer\nDrottninggatan;12\n", encoding="utf-8")
    out = tmp_path / "geo.gpkg"
    assert _build(pbf, out, "--addresses", str(bad)) == 2
    assert "has no point columns" in capsys.readouterr().err
    assert not out.exists()


# ------------------------------------------------------------------------------------------
# the real register (Lantmäteriet, CC BY 4.0) and the real municipality outline (SCB, CC0)
# ------------------------------------------------------------------------------------------
@pytest.mark.shared_data
def test_real_register_built_into_a_geography_and_used_by_an_import(
    shared_data: Path, pbf: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    karlstad = shared_data / "karlstad"
    reg_path = karlstad / "karlstad_addresses_lantmateriet.csv"
    geo = tmp_path / "karlstad.gpkg"
    code = _build(
        pbf,
        geo,
        "--layer", f"municipality={karlstad / 'karlstad_municipality_from_deso.geojson'}",
        "--licence", "municipality=CC0 1.0",
        "--attribution", "municipality=SCB",
        "--addresses", str(reg_path),
    )  # fmt: skip
    assert code == 0, capsys.readouterr().err
    capsys.readouterr()
    register = read_register(reg_path)  # one point per address (duplicates dropped)
    addresses = pyogrio.read_dataframe(geo, layer="addresses")
    # the register holds Karlstad's addresses: (nearly) all lie inside its outline
    assert 0.995 * len(register) <= len(addresses) <= len(register)
    table = pyogrio.read_dataframe(geo, layer="layers").set_index("layer")
    assert table.loc["addresses", "source"] == reg_path.name
    assert table.loc["addresses", "attribution"] == "Lantmäteriet"

    frame = addresses[addresses["number"].notna() & addresses["kind"].eq("address")]
    rng = np.random.default_rng(15)
    truth = frame.iloc[rng.choice(len(frame), 150, replace=False)].reset_index(drop=True)
    cells = (truth["street"] + " " + truth["number"] + truth["letter"]).tolist()
    lines = ["id;tidpunkt;kategori;adress;postnummer"]
    lines += [
        f"r{i};2026-01-03 22:10;rån;{c};{p}"
        for i, (c, p) in enumerate(zip(cells, truth["postcode"], strict=True))
    ]
    lines.append("x1;2026-01-03 22:10;rån;Påhittade Gatan 3;")
    src = tmp_path / "real.csv"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "s.gpkg"
    assert run(["import", str(src), "--db", str(db), "--geography", str(geo)]) == 0
    printed = capsys.readouterr().out
    assert "accepted: 150" in printed
    assert "rejected: 1" in printed
    assert "addresses: Lantmäteriet (CC BY 4.0)" in printed
    stored = stored_points(db).set_index("id").loc[[f"r{i}" for i in range(150)]]
    assert set(stored["precision"]) == {"address"}
    assert_allclose(stored["x"], truth.geometry.x.round(3), atol=0.01)
    assert_allclose(stored["y"], truth.geometry.y.round(3), atol=0.01)


def test_geocode_with_the_geography_locates_as_the_import_does(  # noqa: PLR0917 - fixtures
    pbf: Path,
    register: Path,
    incidents: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``hotspots geocode FILE --geography GEO.gpkg``: the same points as the import's."""
    monkeypatch.delenv("HOTSPOTS_GEOGRAPHY", raising=False)
    geo = tmp_path / "geo.gpkg"
    assert _build(pbf, geo, "--addresses", str(register)) == 0
    out = tmp_path / "located.csv"
    capsys.readouterr()
    assert run(["geocode", str(incidents), "--out", str(out), "--geography", str(geo)]) == 0
    printed = capsys.readouterr().out
    assert "5 rows: 2 at address precision, 1 at street precision, 2 rejected" in printed
    assert "addresses: Lantmäteriet (CC BY 4.0)" in printed
    located = pd.read_csv(out, sep=";", dtype=str, encoding="utf-8-sig")
    assert located["id"].tolist() == ["1", "2", "4"]
    assert located["precision"].tolist() == ["address", "street", "address"]
    xs = [float(v.replace(",", ".")) for v in located["x"]]
    assert xs == [413005.0, 413500.0, 414000.0]
    # neither a register nor a geography: one line saying what to give, exit 2
    assert run(["geocode", str(incidents), "--out", str(tmp_path / "x.csv")]) == 2
    assert "--addresses FILE" in capsys.readouterr().err
    # a geography without addresses says how to build one
    bare = tmp_path / "bare.gpkg"
    assert _build(pbf, bare) == 0
    capsys.readouterr()
    assert run(["geocode", str(incidents), "--out", str(out), "--geography", str(bare)]) == 2
    assert "has no addresses layer" in capsys.readouterr().err
