"""The map of delivered patrol time per place (the follow-up of the citizen promise).

The plans' places over the report period (:attr:`hotspots.est.followup.FollowUp.places`),
each area filled by the minutes delivered there (GPS presence and logged activities) in fixed
classes, so maps of different periods compare; a place that was planned but got nothing is
grey. Every place carries its number of the report's table. Drawn by the one static-map
renderer (:func:`hotspots.render.static_map.render_static_map`) on an A4 landscape page.

Only the internal profile has places (:meth:`~hotspots.est.followup.FollowUp.public` drops
them), so the public report has no such map.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
from matplotlib.figure import Figure

from hotspots.core.errors import InputSchemaError
from hotspots.core.i18n import t
from hotspots.est.followup import FollowUp
from hotspots.est.lagesbild import Lagesbild
from hotspots.render.report.document import num
from hotspots.render.static_map import BackdropSource, Overlay, render_static_map

__all__ = [
    "DOSAGE_BREAKS_MIN",
    "DOSAGE_COLOURS",
    "NONE_COLOUR",
    "dosage_classes",
    "dosage_drawable",
    "dosage_figure",
    "dosage_map",
]

#: Lower bounds of the classes of delivered minutes (the first class starts above 0).
DOSAGE_BREAKS_MIN: tuple[float, ...] = (0.0, 30.0, 60.0, 120.0, 240.0)
#: Fill of each class, light to dark (ColorBrewer YlGnBu).
DOSAGE_COLOURS: tuple[str, ...] = ("#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494")
#: Fill of a place that was planned but got no time.
NONE_COLOUR = "#bdbdbd"


def dosage_drawable(lb: Lagesbild) -> bool:
    """Whether the lägesbild has a follow-up with places to map."""
    return lb.followup is not None and bool(len(lb.followup.places))


def dosage_classes(minutes: np.ndarray) -> np.ndarray:
    """Class of each delivered time: ``-1`` for none, else the index of its class."""
    m = np.nan_to_num(np.asarray(minutes, dtype=float), nan=0.0)
    cls = np.searchsorted(np.asarray(DOSAGE_BREAKS_MIN), m, side="right") - 1
    return np.where(m > 0, cls, -1)


def _class_label(k: int, lang: str) -> str:
    low = DOSAGE_BREAKS_MIN[k]
    if k + 1 < len(DOSAGE_BREAKS_MIN):
        first = 1 if low == 0 else int(low)
        return t(
            "followup_map_class",
            lang,  # type: ignore[arg-type]
            low=first,
            high=int(DOSAGE_BREAKS_MIN[k + 1]) - 1,
        )
    return t("followup_map_class_top", lang, low=int(low))  # type: ignore[arg-type]


def _overlays(places: gpd.GeoDataFrame, lang: str) -> list[Overlay]:
    cls = dosage_classes(places["delivered_minutes"].to_numpy(dtype=float))
    out = []
    none = places[cls == -1]
    if len(none):
        out.append(Overlay(none, t("followup_map_none", lang), NONE_COLOUR, text_column="label"))  # type: ignore[arg-type]
    for k, colour in enumerate(DOSAGE_COLOURS):
        part = places[cls == k]
        if len(part):
            out.append(Overlay(part, _class_label(k, lang), colour, text_column="label"))
    return out


def dosage_map(
    places: gpd.GeoDataFrame,
    *,
    geography: Any | None,
    lang: str,
    title: str,
    settings: list[tuple[str, str]],
    backdrop: BackdropSource | None = None,
) -> Figure:
    """The places coloured by delivered minutes and numbered by ``label`` (an A4 page).

    Parameters
    ----------
    places
        Areas (metres) with ``label`` and ``delivered_minutes``.
    geography
        Base layers, or ``None``.
    lang
        ``sv`` or ``en``.
    title
        The map's title.
    settings
        The side panel's lines.
    backdrop
        A basemap under the map (:data:`hotspots.render.static_map.BackdropSource`).
    """
    return render_static_map(
        None,
        geography=geography,
        lang=lang,  # type: ignore[arg-type]
        title=title,
        overlays=_overlays(places, lang),
        settings=settings,
        crs=places.crs,
        backdrop=backdrop,
    )


def dosage_figure(lb: Lagesbild, backdrop: BackdropSource | None = None) -> Figure:
    """The plans' places coloured by delivered minutes, numbered as in the report's table.

    Raises
    ------
    InputSchemaError
        When the lägesbild has no follow-up places.
    """
    follow: FollowUp | None = lb.followup
    if follow is None or not len(follow.places):
        msg = f"no dosage map for {lb.period.label}: no follow-up places (no tracks or plans)"
        raise InputSchemaError(msg)
    lang = lb.lang
    places = follow.places
    total = follow.period_total()["delivered_minutes"]  # each minute once, not the places' sum
    hours = follow.patrol_hours_per_week
    settings = [
        (t("period", lang), f"{lb.period.label}"),
        (t("followup_weeks_column", lang), ", ".join(follow.weeks)),
        (t("followup_map_minutes", lang), f"{num(total, lang)} min"),
        (t("followup_suggestions", lang), num(len(places), lang)),
        (t("method", lang), t("followup_map_sources", lang)),
        (t("profile", lang), t(f"profile_{lb.privacy}", lang)),
    ]
    if hours is not None:
        settings.insert(2, (t("app_patrol_hours", lang), num(hours, lang, digits=0)))
    title = t("followup_map_title", lang, period=lb.period.label)
    return dosage_map(
        places, geography=lb.geography, lang=lang, title=title, settings=settings, backdrop=backdrop
    )
