"""The incident frame of the demo: precision, uncertain intervals and Swedish free text."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from hotspots.core.schema import INCIDENT_COLUMNS, TIMEZONE
from hotspots.demo.sampler import district_points
from hotspots.spatial.geography import Geography

__all__ = ["DESCRIPTIONS", "incident_frame"]


DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    "assault_public": (
        "Misshandel utanför krog, {plats}",
        "Bråk mellan flera personer, en skadad, {plats}",
        "Person slagen i ansiktet vid {plats}",
    ),
    "robbery": ("Personrån, mobiltelefon tagen, {plats}", "Rån mot person vid {plats}"),
    "threat_harassment": (
        "Olaga hot mot ordningsvakt, {plats}",
        "Ofredande av förbipasserande, {plats}",
        "Hotfull person, {plats}",
    ),
    "weapons": ("Person med kniv, brott mot knivlagen, {plats}",),
    "disorder": (
        "Ordningsstörning, högljudda personer, {plats}",
        "Störande grupp, {plats}",
    ),
    "vandalism": (
        "Klotter på fasad, {plats}",
        "Krossad busskur, {plats}",
        "Skadegörelse på parkbänkar och papperskorgar, {plats}",
    ),
    "motor_disorder": (
        "Bilar som spinner och kör i hög fart, {plats}",
        "Motorburen störning, samling av fordon, {plats}",
        "Mopeder som kör på gångvägar, {plats}",
    ),
    "unsafe_place": ("Rapport om otrygg plats, {plats}",),
    "drug_use": ("Narkotika, eget bruk, {plats}", "Innehav av narkotika, {plats}"),
    "drug_dealing": (
        "Misstänkt narkotikaförsäljning, {plats}",
        "Överlåtelse av narkotika iakttagen, {plats}",
    ),
    "dui": ("Rattfylleri, förare stoppad på {plats}", "Drograttfylleri, {plats}"),
    "intoxication": (
        "Berusad person omhändertagen (LOB), {plats}",
        "Förtäring av alkohol på allmän plats, {plats}",
    ),
    "domestic_violence": ("Våld i nära relation",),
    "sexual_offence": ("Sexualbrott",),
    "other": ("Övrigt ärende, {plats}", "Stöld, {plats}", "Upphittat gods, {plats}"),
}


def incident_frame(
    raw: pd.DataFrame, geo: Geography, rng: np.random.Generator, seed: int
) -> gpd.GeoDataFrame:
    """The incident frame (schema of :mod:`hotspots.core.schema`) of the components' raw rows.

    Rows are sorted by time; some get ``street`` or ``district`` precision (district rows
    move to a point inside their district), a third of the vandalism an uncertain interval,
    and every row a Swedish description naming its place.
    """
    n = len(raw)
    order = np.argsort(raw["occurred_at"].to_numpy(), kind="stable")
    raw = raw.iloc[order].reset_index(drop=True)

    # precision: some background rows are only known to the district or the street
    u = rng.uniform(size=n)
    comp = raw["component"].to_numpy()
    precision = np.full(n, "exact", dtype=object)
    precision[u < 0.35] = "address"
    bg = comp == "background"
    precision[bg & (u < 0.10)] = "street"
    precision[bg & (u < 0.04)] = "district"
    restricted = comp == "restricted"
    precision[restricted] = "address"
    precision[restricted & (u < 0.30)] = "district"
    x = raw["x"].to_numpy().copy()
    y = raw["y"].to_numpy().copy()
    district_rows = np.flatnonzero(precision == "district")
    if district_rows.size:
        points = district_points(geo)
        for i in district_rows:
            px, py = points.get(str(raw.at[i, "place"]), (x[i], y[i]))
            x[i], y[i] = px, py

    # vandalism found later: a third gets an uncertain interval of up to 12 hours
    until = pd.Series(pd.NaT, index=raw.index, dtype=f"datetime64[ns, {TIMEZONE}]")
    vand = (raw["category"].to_numpy() == "vandalism") & (rng.uniform(size=n) < 1 / 3)
    spans = pd.to_timedelta(rng.integers(2, 13, size=n), unit="h")
    until[vand] = raw["occurred_at"][vand] + spans[vand]

    categories = raw["category"].astype(str).to_numpy()
    # "Västra Torggatan (krogstråk)" -> "Västra Torggatan" in the free text
    places = raw["place"].astype(str).str.replace(r"\s*\(.*\)$", "", regex=True).to_numpy()
    pick = rng.uniform(size=n)
    descriptions = np.empty(n, dtype=object)
    for i in range(n):
        options = DESCRIPTIONS[categories[i]]
        text = options[int(pick[i] * len(options))]
        descriptions[i] = text.format(plats=places[i]) if "{plats}" in text else text

    frame = pd.DataFrame(
        {
            "id": [f"demo-{seed}-{i:06d}" for i in range(n)],
            "occurred_at": raw["occurred_at"],
            "occurred_until": until,
            "time_precision": "exact",
            "category": categories,
            "source_category": categories,
            "precision": precision,
            "source": raw["source"].astype(str).to_numpy(),
            "description": descriptions,
            "import_id": "",
            "source_id": None,
        }
    )
    for col, dtype in INCIDENT_COLUMNS.items():
        frame[col] = frame[col].astype(dtype)
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(x, y), crs=geo.crs)
