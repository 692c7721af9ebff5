"""The EST lägesbild: the meeting's situational picture as a data structure (no rendering).

:func:`build_lagesbild` composes the pure parts (period comparison, hotspot analysis, planner,
emerging hotspots, actions log and effect follow-up, survey summary) into a :class:`Lagesbild`
whose tables have the privacy profile applied; :func:`lagesbild_for_store` reads them from a
store first. The documents (PDF, HTML) are drawn by :mod:`hotspots.render.report`, and the
map content passes the privacy gate (:func:`hotspots.render.privacy.apply_privacy`) there.
Swedish by default, English with ``lang="en"``.

Privacy: ``internal`` (default) shows everything except restricted categories on places;
``public`` drops restricted categories entirely, suppresses counts below 5, shows no incident
points, no planner suggestions, and actions only as district, kind and status.

Windows: the hotspot map and top places use the *hotspot window*, four complete weeks ending
with the report period (or the period itself when it is at least 28 days long), so one quiet
or busy week does not redraw the map; the emerging analysis uses the 12 weeks ending with the
period's last ISO week.

A period must have ended and must overlap the data: a week still running, or one before or
after all incidents, is an :class:`~hotspots.core.errors.InputSchemaError` that names the
latest complete week with data (a period the data end inside gets a note instead); the
windows and checks live in :mod:`hotspots.est.lagesbild_periods`, the tables in
:mod:`hotspots.est.lagesbild_tables`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import geopandas as gpd
import pandas as pd

from hotspots.core.config import TIMEZONE, AnalysisConfig
from hotspots.core.errors import InputSchemaError, InsufficientDataError
from hotspots.core.i18n import t
from hotspots.core.periods import (
    Period,
    last_complete_week,
)
from hotspots.engine.placement import (
    DEFAULT_SNAP_TO_LAND_M,
    PlacementCounts,
    left_out_text,
    moved_text,
    place_selected,
)
from hotspots.est.actions import due_follow_ups, load_actions, open_actions
from hotspots.est.compare import Comparison, compare_periods
from hotspots.est.emerging import EmergingResult, emerging_hotspots
from hotspots.est.lagesbild_harm import HarmPicture, harm_picture
from hotspots.est.lagesbild_nearrepeat import NearRepeatPicture, near_repeat_picture
from hotspots.est.lagesbild_periods import (
    check_period,
    dates_text,
    hotspot_config,
    hotspot_window,
    latest_week,
    local_now,
)
from hotspots.est.lagesbild_tables import (
    MIN_PUBLIC_COUNT,
    SurveySummary,
    effects_table,
    emerging_table,
    public_actions,
    survey_summary,
    top_places,
)
from hotspots.forecast.analysis import run_analysis
from hotspots.planning import PlanOptions, make_plan
from hotspots.spatial.geography import default_geography
from hotspots.store import open_store

if TYPE_CHECKING:
    from hotspots.engine.harm_weights import HarmWeights
    from hotspots.est.followup import FollowUp
    from hotspots.spatial.geography import Geography

__all__ = [
    "EMERGING_WEEKS",
    "MIN_PUBLIC_COUNT",
    "Lagesbild",
    "SurveySummary",
    "build_lagesbild",
    "check_period",
    "hotspot_config",
    "hotspot_window",
    "lagesbild_for_store",
    "latest_week",
]

Language = Literal["sv", "en"]
Privacy = Literal["internal", "public"]

#: Weeks of the emerging-hotspot cube.
EMERGING_WEEKS = 12


# ------------------------------------------------------------------------------ the picture


@dataclass(frozen=True)
class Lagesbild:
    """Everything the EST report shows; its tables have the privacy profile applied.

    Attributes
    ----------
    period
        The report period.
    lang, privacy
        Language (``sv``/``en``) and privacy profile (``internal``/``public``).
    generated_at
        When the picture was built (local time).
    data_version
        The store's data version, when known.
    parameters
        Everything needed to reproduce the picture (windows, analysis and emerging
        parameters, alpha, privacy).
    comparison
        Counts and change tests (public: restricted rows dropped, small counts suppressed).
    hotspot_window
        The window of the hotspot analysis (see :func:`hotspot_window`).
    analysis
        The hotspot analysis over the hotspot window
        (:class:`hotspots.engine.analysis.HotspotResult`), or ``None`` when there were too
        few incidents. Not privacy-filtered: maps draw it through
        :func:`hotspots.render.privacy.apply_privacy` with :attr:`privacy`.
    plan
        The planner's suggestions for the week after the period (internal only), or ``None``.
    top_places
        The top crime hotspots: ``rank``, ``district``, ``incidents`` (window),
        ``in_period``, ``categories``, ``window``, ``days``, ``significance``, ``crime_fear``,
        ``proposals`` (planner suggestions; internal only), ``geometry``.
    emerging
        The emerging-hotspot result, or ``None`` when it could not be computed.
    emerging_table
        The cells with a pattern, most urgent first: ``cls``, ``label``, ``district``,
        ``near``, ``near_m``, ``cells``, ``incidents``, ``last_week``, ``hot_weeks``,
        ``trend``.
    actions_open, follow_ups
        Open actions and follow-ups due within a week of the period's end (public: only
        ``district``, ``action``, ``actor``, ``problem``, ``status`` of ongoing and done ones).
    effects
        Effect follow-up of started actions: ``id``, ``place``, ``action``, the six counts,
        ``wdq``, ``interpretation``, ``warnings``.
    survey
        The survey summary, or ``None`` without survey marks.
    geography
        The base layers used for the maps (or ``None``).
    action_points
        Action locations for the map (internal only, else ``None``).
    notes
        Remarks for the reader (e.g. why a section is empty, how many of the period's
        incidents the map leaves out).
    followup
        The follow-up of the citizen promise (planned against delivered patrols, their
        effect), or ``None`` without tracks; attached by
        :func:`hotspots.dosage.followup.with_followup`.
    harm
        The harm hotspots beside the count hotspots, or ``None`` without harm weights.
    near_repeat
        The zones of raised risk after recent incidents, or ``None``.
    placement
        How many of the period's incidents the hotspot analysis leaves out (outside the
        study area, in water) or moved onto land from just off a shore; counts only (every
        profile); ``None`` without a geography.
    """

    period: Period
    lang: Language
    privacy: Privacy
    generated_at: dt.datetime
    data_version: str | None
    parameters: dict[str, Any]
    comparison: Comparison
    hotspot_window: Period
    analysis: Any | None
    plan: Any | None
    top_places: gpd.GeoDataFrame
    emerging: EmergingResult | None
    emerging_table: pd.DataFrame
    actions_open: pd.DataFrame
    follow_ups: pd.DataFrame
    effects: pd.DataFrame
    survey: SurveySummary | None
    geography: Any | None
    action_points: gpd.GeoDataFrame | None
    notes: tuple[str, ...] = field(default_factory=tuple)
    followup: FollowUp | None = None
    harm: HarmPicture | None = None
    near_repeat: NearRepeatPicture | None = None
    placement: PlacementCounts | None = None

    @property
    def title(self) -> str:
        """Title of the report."""
        return t("report_title", self.lang)


def _check_options(privacy: str, lang: str) -> None:
    if privacy not in ("internal", "public"):
        msg = f"--privacy: {privacy!r} is not a profile; use internal or public"
        raise InputSchemaError(msg)
    if lang not in ("sv", "en"):
        msg = f"--lang: {lang!r} is not a language; use sv or en"
        raise InputSchemaError(msg)


def _parameters(
    period: Period,
    comparison: Comparison,
    window: Period,
    incidents: gpd.GeoDataFrame,
    *,
    result: Any | None,
    em: EmergingResult | None,
    plan: Any | None,
    privacy: Privacy,
    lang: Language,
) -> dict[str, Any]:
    params: dict[str, Any] = {
        "period": period.label,
        "period_dates": dates_text(period),
        "period_hours": period.hours,
        "previous": comparison.previous.label,
        "year_earlier": comparison.year_earlier.label,
        "hotspot_window": window.label,
        "alpha": comparison.alpha,
        "privacy": privacy,
        "lang": lang,
        "n_incidents_period": int(period.contains(incidents["occurred_at"]).sum()),
    }
    if result is not None:
        for key in (
            "kernel",
            "bandwidth_m",
            "cell_m",
            "coverage",
            "metric_crs",
            "study_area_km2",
            "n_incidents",
        ):
            if key in result.parameters:
                params[f"analysis_{key}"] = result.parameters[key]
    if em is not None:
        params.update({f"emerging_{k}": v for k, v in em.parameters.items()})
    if plan is not None:
        params["plan_week"] = plan.week
    return params


def _placement_notes(counts: PlacementCounts, *, privacy: Privacy, lang: Language) -> list[str]:
    """The period's incidents the map leaves out and those moved onto land, in words.

    Counts only; the internal profile is also told where their list is.
    """
    left_out = left_out_text(counts, lang, period=True)
    moved = moved_text(counts, lang)
    if left_out and privacy == "internal":
        left_out = f"{left_out} {t('placement_list_where', lang)}"
    return [text for text in (left_out, moved) if text]


def build_lagesbild(
    incidents: gpd.GeoDataFrame,
    *,
    period: Period,
    geography: Geography | None,
    survey: gpd.GeoDataFrame | None = None,
    actions: gpd.GeoDataFrame | None = None,
    config: AnalysisConfig | None = None,
    privacy: Privacy = "internal",
    lang: Language = "sv",
    top_n: int = 5,
    emerging_weeks: int = EMERGING_WEEKS,
    data_version: str | None = None,
    generated_at: dt.datetime | None = None,
    weights: HarmWeights | None = None,
) -> Lagesbild:
    """Build the lägesbild for ``period`` (pure: no file I/O).

    Parameters
    ----------
    incidents
        Every incident (restricted categories included: they are counted in the internal
        tables only), metric CRS.
    period
        The report period (see :mod:`hotspots.core.periods`); it must have ended by
        ``generated_at`` and overlap the incidents.
    geography
        Base layers (districts, land, places); ``None`` leaves out districts and maps' base.
    survey
        Survey marks, or ``None``.
    actions
        The actions log (see :mod:`hotspots.est.actions`), or ``None``.
    config
        Analysis options of the hotspot map (its period filter is replaced by the hotspot
        window); default :class:`~hotspots.core.config.AnalysisConfig`.
    privacy
        ``"internal"`` or ``"public"``.
    lang
        ``"sv"`` or ``"en"``.
    top_n
        Number of top places.
    emerging_weeks
        Weeks of the emerging-hotspot cube (at least 10).
    data_version
        The store's data version, shown on the cover.
    generated_at
        Time stamp of the cover and "today" of the period check (default now, local time).
    weights
        Harm weights (:func:`hotspots.engine.harm_weights.load_weights`): the picture then
        holds harm hotspots beside the count hotspots (:attr:`Lagesbild.harm`) and the
        planner ranks by harm; ``None`` counts incidents.

    Returns
    -------
    Lagesbild

    Raises
    ------
    InputSchemaError
        For an unknown profile or language, and for a period that has not ended or lies
        outside the data (see :func:`check_period`).
    """
    _check_options(privacy, lang)
    generated = generated_at or local_now()
    check_period(period, incidents, today=generated.date())
    notes: list[str] = []
    if (
        geography is not None
        and incidents.crs is not None
        and not incidents.crs.equals(geography.crs)
    ):
        incidents = incidents.to_crs(geography.crs)
    last_day = incidents["occurred_at"].max().tz_convert(TIMEZONE).date()
    if last_day < period.last_day:
        notes.append(
            t(
                "report_note_incomplete",
                lang,
                last=last_day.isoformat(),
                end=period.last_day.isoformat(),
            )
        )

    # 1. Comparison tables.
    districts = None
    if geography is not None and len(incidents):
        districts = geography.district_of(incidents.geometry)
    comparison = compare_periods(incidents, period, districts=districts, lang=lang)
    if privacy == "public":
        comparison = comparison.public(min_count=MIN_PUBLIC_COUNT)

    # 2. Hotspots over the hotspot window, and the planner's suggestions for the next week:
    # of the incidents on the study area's land (those just off a shore moved onto it, the
    # others counted in a note, as the CLI and the app do).
    window = hotspot_window(period)
    window_config = hotspot_config(window, base=config)
    placement = place_selected(incidents, window_config.filters, geography)
    counts = None
    if placement is not None and geography is not None:
        counts = PlacementCounts.of(
            placement,
            snap_to_land_m=DEFAULT_SNAP_TO_LAND_M,
            study_area=geography.study_area,
            since=period.start_ts,
            until=period.end_ts,
        )
        notes.extend(_placement_notes(counts, privacy=privacy, lang=lang))
    result = plan = None
    marks = None
    if survey is not None and len(survey):
        marks = survey.to_crs(incidents.crs) if incidents.crs is not None else survey
    try:
        result = run_analysis(
            incidents if placement is None else placement.kept,
            config=window_config,
            geography=geography,
            survey=marks,
        )
    except InsufficientDataError as exc:
        notes.append(t("report_note_no_analysis", lang, reason=exc))
    y, w, _ = period.end.isocalendar()
    if result is not None and geography is not None and privacy == "internal":
        try:
            plan = make_plan(
                result,
                geography=geography,
                incidents=incidents,
                survey=marks,
                options=PlanOptions(week=f"{y}-W{w:02d}", lang=lang),
                weights=weights,
            )
        except (InputSchemaError, InsufficientDataError) as exc:
            notes.append(t("report_note_no_plan", lang, reason=exc))
    if result is not None:
        top = top_places(
            result,
            plan,
            period=period,
            incidents=incidents,
            privacy=privacy,
            lang=lang,
            top_n=top_n,
        )
    else:
        top = gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=incidents.crs))

    harm = None
    if result is not None and weights is not None:
        harm = harm_picture(
            result, weights, geography=geography, privacy=privacy, top_n=max(top_n, 5)
        )

    # 3. Emerging hotspots over the weeks ending with the period's last ISO week.
    end_week = last_complete_week(period.end_ts - pd.Timedelta(seconds=1))
    em = None
    em_table = pd.DataFrame()
    try:
        em = emerging_hotspots(
            incidents,
            end_week=end_week,
            n_weeks=emerging_weeks,
            study_area=geography.land if geography is not None else None,
            align=result.grid if result is not None else None,
        )
        em_table = emerging_table(em, geography=geography, privacy=privacy, lang=lang)
    except (InputSchemaError, InsufficientDataError) as exc:
        notes.append(t("report_note_no_emerging", lang, reason=exc))

    # 3b. Raised risk after recent incidents (near repeats), significant categories only.
    near = None
    try:
        near = near_repeat_picture(
            incidents, period=period, geography=geography, privacy=privacy, lang=lang
        )
    except (InputSchemaError, InsufficientDataError) as exc:
        notes.append(t("report_near_repeat_not_computed", lang, reason=exc))

    # 4. Actions and follow-ups.
    open_a = due = effects = pd.DataFrame()
    points = None
    if actions is not None and len(actions):
        acts = actions
        if (
            incidents.crs is not None
            and acts.crs is not None
            and not acts.crs.equals(incidents.crs)
        ):
            acts = acts.to_crs(incidents.crs)
        if privacy == "internal":
            open_a = open_actions(acts)
            due = due_follow_ups(acts, on=period.last_day, horizon_days=7)
            effects = effects_table(acts, incidents, period=period, geography=geography, lang=lang)
            points = open_a
        else:
            open_a = public_actions(acts, geography=geography)

    # 5. Survey.
    summary = None
    if survey is not None and len(survey):
        summary = survey_summary(
            survey,
            geography=geography,
            hotspots=None if result is None else result.hotspots,
            privacy=privacy,
            lang=lang,
        )

    return Lagesbild(
        period=period,
        lang=lang,
        privacy=privacy,
        generated_at=generated,
        data_version=data_version,
        parameters=_parameters(
            period,
            comparison,
            window,
            incidents,
            result=result,
            em=em,
            plan=plan,
            privacy=privacy,
            lang=lang,
        )
        | ({} if counts is None else {f"period_{k}": v for k, v in counts.parameters().items()}),
        comparison=comparison,
        hotspot_window=window,
        analysis=result,
        plan=plan,
        top_places=top,
        emerging=em,
        emerging_table=em_table,
        actions_open=open_a,
        follow_ups=due,
        effects=effects,
        survey=summary,
        geography=geography,
        action_points=points,
        notes=tuple(notes),
        harm=harm,
        near_repeat=near,
        placement=counts,
    )


def lagesbild_for_store(
    store: Any,
    *,
    period: Period | None = None,
    privacy: Privacy = "internal",
    lang: Language = "sv",
    config: AnalysisConfig | None = None,
    geography: Geography | None = None,
    top_n: int = 5,
    generated_at: dt.datetime | None = None,
    weights: HarmWeights | None = None,
) -> Lagesbild:
    """Read incidents, survey and actions from a store and build the lägesbild.

    The entry point for the CLI (and any caller that has a store rather than frames).

    Parameters
    ----------
    store
        A store, the path of its GeoPackage or a ``postgresql://`` URL
        (see :func:`hotspots.store.open_store`).
    period
        The report period; default the latest week that has ended and has data
        (:func:`latest_week`).
    privacy, lang, config, top_n, generated_at, weights
        As for :func:`build_lagesbild`.
    geography
        Base layers; default the demo geography in the store's CRS.

    Raises
    ------
    InputSchemaError
        When the store does not exist, or the period has not ended or has no data.
    InsufficientDataError
        When no period is given and no week with incidents has ended.
    """
    st = open_store(store)
    if not st.exists():
        msg = (
            f"--db: no store at {st.location}; import data with `hotspots import` "
            "or run `hotspots demo`"
        )
        raise InputSchemaError(msg)
    incidents = st.incidents()
    if period is None:
        period = latest_week(incidents, today=(generated_at or local_now()).date())
        if period is None:
            msg = "no week with incidents has ended yet to choose as the period; give --week"
            raise InsufficientDataError(msg)
    crs = (config.metric_crs if config is not None else None) or st.crs or incidents.crs
    geo = geography if geography is not None else default_geography(str(crs))
    if incidents.crs is not None and not incidents.crs.equals(geo.crs):
        incidents = incidents.to_crs(geo.crs)
    survey = st.survey()
    return build_lagesbild(
        incidents,
        period=period,
        geography=geo,
        survey=survey if len(survey) else None,
        actions=load_actions(st, crs=geo.crs),
        config=config,
        privacy=privacy,
        lang=lang,
        top_n=top_n,
        data_version=st.data_version(),
        generated_at=generated_at,
        weights=weights,
    )
