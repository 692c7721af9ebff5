"""Seeded generator of realistic synthetic Karlstad incidents and survey marks.

The data are made up. They follow a documented planted structure, returned as ``truth`` so
that tests and the other modules can check that an analysis recovers it. With the default
``years=2`` (counts scale with ``years``):

Crime clusters (``kind="crime"``; Gaussian around the centre, ``radius_m`` = 2 sigma):

- **Nightlife** (about 3,600): violence and intoxication (``assault_public``,
  ``intoxication``, ``threat_harassment``, ``disorder``, ``weapons``, ``robbery``) around each
  nightlife street and venue within 1.5 km of the main square, on Friday and Saturday nights
  22:00-04:00 (``weekdays`` are the weekdays of the evening; the night runs past midnight, so
  hours 0-3 fall on Saturday and Sunday), slightly more in summer and December.
- **Drugs** (about 1,800): ``drug_dealing`` and ``drug_use`` near the station, the bus
  terminals and the two parks nearest the main square, 14:00-24:00 every day.
- **Youth** (about 2,000): ``vandalism``, ``disorder``, ``unsafe_place`` and
  ``threat_harassment`` near the youth centres, 17:00-24:00 on weekdays, less in July; a third of
  the vandalism has an uncertain interval (``occurred_until`` up to 12 h later).
- **Motor** (about 900): ``motor_disorder`` at car parks and harbours on May-August evenings,
  19:00-02:00, mostly Friday and Saturday.
- **Drink-driving** (about 600): ``dui`` along motorways and main roads within 1.5 km of the
  built-up area, Friday and Saturday nights 22:00-06:00 (``kind="road"``: ``x``/``y`` is the
  middle of the sampled roads and ``radius_m`` the distance to a road centre line).

Background (not in ``truth``): about 9,000 incidents of every public category spread over the
districts in proportion to their population (``population`` column, else area), half uniform
in the district and half around its centre, mostly daytime and evening; about 2,200 daytime
incidents around the main square and shopping centres; about 600 incidents of the restricted
categories (``domestic_violence``, ``sexual_offence``; under 4 %) in residential districts,
evenings and weekends. About 4 % of the background and 30 % of the restricted rows have
``district`` precision (located at a point inside the district), about 10 % ``street``.

Survey marks (about 1,500): ``trygghetsundersokning`` and ``medborgardialog`` marks near the
crime clusters (high ``unsafe`` with matching reasons: ``alkohol``/``grupperingar`` at the
nightlife streets, ``narkotika`` at the hubs, ``skadegorelse`` at the youth centres,
``trafik`` at car parks and roads), low-``unsafe`` marks spread over the districts, and three
planted places where crime is low but fear is high (``kind="fear"``: a pedestrian underpass
under the motorway, a dark footpath and a waterside path; ``unsafe`` 4-5, reason
``belysning``), chosen at least 1.2 km from every crime cluster.

Every point lies on land (points in water or outside the municipality are resampled). Times
are Europe/Stockholm. The period is ``years`` x 52 whole ISO weeks ending with the last
complete ISO week before ``end``.
"""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from hotspots.core.errors import InputSchemaError
from hotspots.demo.components import (
    background,
    centre_day,
    clusters,
    drink_driving,
    restricted,
)
from hotspots.demo.draws import hour_weights
from hotspots.demo.frames import incident_frame
from hotspots.demo.model import Component, DemoData, PlantedCluster
from hotspots.demo.sampler import Sampler, main_square
from hotspots.demo.survey import survey_marks
from hotspots.spatial.geography import Geography

__all__ = ["demo_period", "generate_demo"]


def demo_period(end: dt.date, *, years: int = 2) -> tuple[dt.date, dt.date]:
    """First day and the day after the last day of the demo data.

    The data end with the last complete ISO week before ``end`` and span ``years`` x 52 weeks.

    Returns
    -------
    tuple of date
        ``(start, stop)``: Mondays; ``stop`` is exclusive.
    """
    if years < 1:
        msg = f"years must be at least 1 (got {years})"
        raise InputSchemaError(msg)
    stop = end - dt.timedelta(days=end.weekday())
    start = stop - dt.timedelta(weeks=52 * years)
    return start, stop


def generate_demo(
    geography: Geography,
    *,
    seed: int = 2026,
    end: dt.date,
    years: int = 2,
) -> DemoData:
    """Generate the synthetic Karlstad incidents and survey marks.

    Parameters
    ----------
    geography
        Base layers (the demo geography, or official layers with the same place kinds).
    seed
        Seed of the random generator; the same seed gives the same data.
    end
        The data end with the last complete ISO week before this date (the CLI passes today).
    years
        Length in years of 52 ISO weeks.

    Returns
    -------
    DemoData
        ``incidents`` (incident frame, schema of :mod:`hotspots.core.schema`, ``import_id`` empty),
        ``survey`` (survey frame) and ``truth`` (the planted clusters).
    """
    rng = np.random.default_rng(seed)
    start, stop = demo_period(end, years=years)
    days = pd.date_range(start, stop - dt.timedelta(days=1), freq="D")
    scale = years / 2.0
    sampler = Sampler(geography, rng)
    parts: list[pd.DataFrame] = []
    truth: list[PlantedCluster] = []

    centre = main_square(geography)
    central_places = geography.places[geography.places.distance(shapely.Point(centre)) <= 1500.0]

    # --- nightlife ---------------------------------------------------------------------
    night = central_places[central_places["kind"].isin(["nightlife_street", "venue"])]
    comp = Component(
        "nightlife",
        round(3600 * scale),
        {
            "assault_public": 0.38,
            "intoxication": 0.30,
            "threat_harassment": 0.14,
            "disorder": 0.12,
            "weapons": 0.03,
            "robbery": 0.03,
        },
        {22: 0.10, 23: 0.16, 24: 0.22, 25: 0.22, 26: 0.18, 27: 0.12},
        (0, 0, 0, 0, 1, 1, 0),
        (0.9, 0.9, 0.95, 1.0, 1.05, 1.15, 1.2, 1.15, 1.0, 0.95, 0.95, 1.15),
        {"polis": 0.85, "vaktare": 0.15},
    )
    parts.append(clusters(sampler, comp, night, sigma_m=60.0, days=days, stop=stop, truth=truth))

    # --- drugs near hubs and parks -----------------------------------------------------------
    hubs = geography.places_of("station", "bus_terminal")
    parks = geography.places_of("park")
    drug_parks = parks.iloc[
        np.argsort(parks.distance(shapely.Point(centre)).to_numpy(), kind="stable")
    ]
    drug_parks = drug_parks.iloc[:2]  # the two parks nearest the main square
    drug_places = gpd.GeoDataFrame(pd.concat([hubs, drug_parks]), crs=geography.crs)
    comp = Component(
        "drugs",
        round(1800 * scale),
        {"drug_dealing": 0.6, "drug_use": 0.4},
        hour_weights(14, (1, 1, 1.2, 1.4, 1.6, 1.8, 1.8, 1.6, 1.3, 1.0)),
        (1, 1, 1, 1, 1.2, 1.2, 0.9),
        (0.85, 0.85, 0.9, 1.0, 1.1, 1.15, 1.1, 1.1, 1.05, 1.0, 0.95, 0.9),
        {"polis": 0.8, "kollektivtrafik": 0.1, "vaktare": 0.1},
    )
    parts.append(
        clusters(sampler, comp, drug_places, sigma_m=70.0, days=days, stop=stop, truth=truth)
    )

    # --- youth hangouts --------------------------------------------------------------------
    youth = geography.places_of("youth_centre")
    comp = Component(
        "youth",
        round(2000 * scale),
        {"vandalism": 0.5, "disorder": 0.3, "unsafe_place": 0.08, "threat_harassment": 0.12},
        hour_weights(17, (0.6, 1.0, 1.4, 1.6, 1.5, 1.1, 0.7)),
        (1, 1, 1, 1, 1.2, 0, 0),
        (1.0, 1.0, 1.0, 1.0, 1.1, 0.9, 0.4, 0.7, 1.1, 1.1, 1.1, 1.0),
        {"polis": 0.4, "kommun": 0.35, "bostadsbolag": 0.25},
    )
    parts.append(clusters(sampler, comp, youth, sigma_m=80.0, days=days, stop=stop, truth=truth))

    # --- motor disorder at car parks and harbours in summer ------------------------------
    car_parks = geography.places_of("car_park", "harbour")
    comp = Component(
        "motor",
        round(900 * scale),
        {"motor_disorder": 0.9, "disorder": 0.1},
        {19: 0.6, 20: 1.0, 21: 1.4, 22: 1.6, 23: 1.4, 24: 1.0, 25: 0.6},
        (0.6, 0.6, 0.6, 0.8, 1.6, 1.6, 0.8),
        (0, 0, 0, 0, 0.7, 1.0, 1.2, 1.0, 0, 0, 0, 0),
        {"polis": 0.7, "allmanhet": 0.2, "kommun": 0.1},
    )
    parts.append(
        clusters(sampler, comp, car_parks, sigma_m=50.0, days=days, stop=stop, truth=truth)
    )

    # --- drink-driving along main roads --------------------------------------------------------
    parts.append(drink_driving(sampler, round(600 * scale), days=days, stop=stop, truth=truth))

    # --- background everywhere people live, and daytime centre -------------------------------
    parts.append(background(sampler, round(9000 * scale), days=days, stop=stop))
    parts.append(centre_day(sampler, round(2200 * scale), central_places, days=days, stop=stop))
    parts.append(restricted(sampler, round(600 * scale), days=days, stop=stop))

    incidents = incident_frame(pd.concat(parts, ignore_index=True), geography, rng, seed)
    survey, fear = survey_marks(sampler, truth, scale=scale, start=start, stop=stop, seed=seed)
    truth.extend(fear)
    return DemoData(incidents, survey, truth)
