"""Benchmark: address geocoding speed and match rate on the real register, perturbed addresses.

The register is Lantmäteriet's Belägenhetsadresser for Karlstad (``../shared/data``, CC BY
4.0). ``--rows`` addresses of it (default 20,000, drawn with a seeded rng, with replacement
when more than the register holds) are written the way people write them, each with some of
these perturbations (independently, with the probabilities below):

* ``case``: upper or lower case;
* ``abbreviation``: ``gatan`` -> ``g.``, ``vägen`` -> ``v.`` (where the name ends so);
* ``typo``: one random edit in the street name (substitution, deletion, insertion or the
  swap of two neighbours), never in its first letter, made before any abbreviation;
* ``folded``: å/ä/ö written a/a/o;
* ``letter_spaced``: ``12 b`` for ``12B``; ``floor``: `` 1 tr`` after the number;
* ``no_postcode``: the postcode left out (else written ``652 24`` or ``65224``).

Each row is then scored against the register's own point: ``address`` (address precision,
within 1 m of the true point), ``street`` (street precision on the right street), ``wrong``
(a point on another street, or another number more than 1 m away) or ``rejected``.
Speed: rows per second of :meth:`Geocoder.geocode` on the whole column (each distinct address
is matched once), and the time to build the geocoder from the register.

Import: the same rows as a Swedish CSV (id, tidpunkt, kategori, adress, postnummer) imported
with ``hotspots import --addresses`` (:func:`hotspots.load.ingest.import_file` with the
geocoder) into a new GeoPackage store, rows per second end to end, with its counts; and, for
comparison, the same rows with their true x/y instead of the address (no geocoding).

The last line printed is one JSON object. Run:
``uv run python benchmarks/geocode_bench.py [--rows 20000] [--seed 1] [--no-import]``.
"""

from __future__ import annotations

import argparse
import json
import logging
import platform
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from hotspots.io.address_register import read_register
from hotspots.load.geocode import Geocoder, street_key
from hotspots.load.ingest import import_file

logger = logging.getLogger("geocode_bench")

REGISTER = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "data"
    / "karlstad"
    / "karlstad_addresses_lantmateriet.csv"
)

#: perturbation -> probability that a row gets it
PERTURBATIONS: dict[str, float] = {
    "case": 0.3,
    "abbreviation": 0.25,
    "typo": 0.2,
    "folded": 0.1,
    "letter_spaced": 0.3,
    "floor": 0.1,
    "no_postcode": 0.3,
}
_LETTERS = "abcdefghijklmnopqrstuvwxyzåäö"
_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "Å": "A", "Ä": "A", "Ö": "O"})


def _typo(name: str, rng: np.random.Generator) -> str:
    if len(name) < 4:
        return name
    i = int(rng.integers(1, len(name) - 1))
    op = int(rng.integers(4))
    c = _LETTERS[int(rng.integers(len(_LETTERS)))]
    if op == 0:
        return name[:i] + c + name[i + 1 :]
    if op == 1:
        return name[:i] + name[i + 1 :]
    if op == 2:
        return name[:i] + c + name[i:]
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]


def perturb(
    truth: pd.DataFrame, rng: np.random.Generator
) -> tuple[pd.Series, pd.Series, pd.DataFrame]:
    """Address and postcode cells for ``truth`` and which perturbations each row got."""
    n = len(truth)
    got = pd.DataFrame({k: rng.random(n) < p for k, p in PERTURBATIONS.items()})
    addresses: list[str] = []
    postcodes: list[str] = []
    for i, row in enumerate(truth.itertuples(index=False)):
        flags = got.iloc[i]
        name = str(row.street)
        if flags["typo"]:
            name = _typo(name, rng)
        if flags["abbreviation"]:
            if name.endswith("gatan"):
                name = name[: -len("atan")] + "."
            elif name.endswith("vägen"):
                name = name[: -len("ägen")] + "."
            else:
                got.iat[i, got.columns.get_loc("abbreviation")] = False
        if flags["folded"]:
            name = name.translate(_FOLD)
        number = str(row.number)
        letter = str(row.letter)
        if letter:
            number += (" " + letter.lower()) if flags["letter_spaced"] else letter
        text = f"{name} {number}"
        if flags["floor"]:
            text += ", 1 tr"
        if flags["case"]:
            text = text.upper() if rng.random() < 0.5 else text.lower()
        addresses.append(text)
        pc = str(row.postcode)
        if flags["no_postcode"] or not pc:
            postcodes.append("")
        else:
            postcodes.append(f"{pc[:3]} {pc[3:]}" if rng.random() < 0.5 else pc)
    return pd.Series(addresses), pd.Series(postcodes), got


def score(truth: pd.DataFrame, out: pd.DataFrame) -> pd.Series:
    """``address``, ``street``, ``wrong`` or ``rejected`` per row."""
    dist = np.hypot(out["x"].to_numpy() - truth["x"].to_numpy(), out["y"].to_numpy() - truth["y"])
    matched_street = out["matched"].fillna("").str.split(r" \d|,", n=1, regex=True).str[0]
    same_street = matched_street.map(street_key).to_numpy() == truth["street"].map(street_key)
    prec = out["precision"].fillna("").to_numpy()
    result = np.full(len(out), "wrong", dtype=object)
    result[prec == ""] = "rejected"
    result[(prec == "address") & (dist <= 1.0)] = "address"
    result[(prec == "street") & same_street] = "street"
    return pd.Series(result)


def import_figures(
    truth: pd.DataFrame, addresses: pd.Series, postcodes: pd.Series, geocoder: Geocoder
) -> dict[str, object]:
    """Time ``import --addresses`` of the rows, and the same rows with x/y, into new stores."""
    n = len(truth)
    base = pd.DataFrame(
        {
            "id": [f"b{i}" for i in range(n)],
            "tidpunkt": "2026-01-03 22:10",
            "kategori": "misshandel",
        }
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        by_address = folder / "adresser.csv"
        base.assign(adress=addresses, postnummer=postcodes).to_csv(by_address, sep=";", index=False)
        by_xy = folder / "xy.csv"
        base.assign(x=truth["x"].round(2), y=truth["y"].round(2)).to_csv(
            by_xy, sep=";", index=False
        )
        t0 = time.perf_counter()
        summary = import_file(by_address, db=folder / "a.gpkg", geocoder=geocoder)
        address_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        plain = import_file(by_xy, db=folder / "x.gpkg")
        xy_s = time.perf_counter() - t0
    closes = summary.accepted == (
        summary.inserted + summary.updated + summary.unchanged + summary.merged
    )
    return {
        "rows": n,
        "import_addresses_s": round(address_s, 3),
        "import_addresses_rows_per_s": round(n / address_s, 1),
        "import_xy_s": round(xy_s, 3),
        "import_xy_rows_per_s": round(n / xy_s, 1),
        "accepted": summary.accepted,
        "rejected": summary.rejected,
        "located_by_address": dict(summary.located_by_address),
        "counts_close": bool(closes and summary.accepted + summary.rejected == n),
        "xy_accepted": plain.accepted,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--register", type=Path, default=REGISTER)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--no-import", action="store_true", help="skip timing hotspots import --addresses"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if not args.register.is_file():
        msg = f"register not found: {args.register} (give --register FILE)"
        raise SystemExit(msg)

    t0 = time.perf_counter()
    register = read_register(args.register)
    read_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    geocoder = Geocoder(register)
    build_s = time.perf_counter() - t0

    rng = np.random.default_rng(args.seed)
    pool = register.frame[register.frame["number"].notna()].reset_index(drop=True)
    pick = rng.choice(len(pool), args.rows, replace=args.rows > len(pool))
    truth = pool.iloc[pick].reset_index(drop=True)
    addresses, postcodes, flags = perturb(truth, rng)

    t0 = time.perf_counter()
    out = geocoder.geocode(addresses, postcode=postcodes)
    geocode_s = time.perf_counter() - t0
    outcome = score(truth, out)

    def shares(mask: pd.Series | np.ndarray) -> dict[str, float]:
        sub = outcome[np.asarray(mask)]
        counts = sub.value_counts(normalize=True)
        return {
            k: round(float(counts.get(k, 0.0)), 4)
            for k in ("address", "street", "wrong", "rejected")
        }

    clean = ~flags.drop(columns=["case", "letter_spaced", "floor"]).any(axis=1)
    by_kind = {kind: shares(flags[kind]) for kind in PERTURBATIONS}
    by_kind["none_that_change_the_name_or_postcode"] = shares(clean)
    overall = shares(np.ones(len(outcome), dtype=bool))
    result = {
        "benchmark": "geocode",
        "register_rows": len(register),
        "rows": args.rows,
        "distinct_rows": int(pd.MultiIndex.from_arrays([addresses, postcodes]).nunique()),
        "seed": args.seed,
        "read_register_s": round(read_s, 3),
        "build_geocoder_s": round(build_s, 3),
        "geocode_s": round(geocode_s, 3),
        "rows_per_s": round(args.rows / geocode_s, 1),
        "located": round(overall["address"] + overall["street"], 4),
        "overall": overall,
        "by_perturbation": by_kind,
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    if not args.no_import:
        result["import"] = import_figures(truth, addresses, postcodes, geocoder)
        imp = result["import"]
        logger.info(
            "import --addresses: %d rows in %.2f s: %.0f rows/s (%d accepted %s, %d rejected); "
            "the same rows with x/y: %.0f rows/s",
            imp["rows"],
            imp["import_addresses_s"],
            imp["import_addresses_rows_per_s"],
            imp["accepted"],
            imp["located_by_address"],
            imp["rejected"],
            imp["import_xy_rows_per_s"],
        )
    logger.info(
        "register: %d address points (read %.2f s, geocoder %.2f s)", len(register), read_s, build_s
    )
    logger.info(
        "geocoded %d rows in %.2f s: %.0f rows/s", args.rows, geocode_s, args.rows / geocode_s
    )
    logger.info("%-40s %8s %8s %8s %8s", "rows with", "address", "street", "wrong", "rejected")
    for kind, s in {"all": overall, **by_kind}.items():
        logger.info(
            "%-40s %8.1f %8.1f %8.1f %8.1f",
            kind,
            100 * s["address"],
            100 * s["street"],
            100 * s["wrong"],
            100 * s["rejected"],
        )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
