"""Period comparison for the lägesbild: counts now vs the previous period and a year earlier.

Counts are tabulated per problem area, per category and per district for the report period,
the previous equal period and the same period a year earlier (see :mod:`hotspots.core.periods`).
Each change is tested against chance with the *conditional binomial test for two Poisson
counts*: if the counts are Poisson with rates proportional to the exposures (elapsed hours),
then given their sum ``n = c + r`` the current count is ``Binomial(n, e_c / (e_c + e_r))`` under
"no change"; the exact two-sided p-value comes from :func:`scipy.stats.binomtest`. With equal
exposures this is the classic test of ``c`` vs ``r`` with ``p0 = 1/2``.

A plain-language verdict says whether the change is more than the usual random swing, so the
meeting does not chase noise. With many rows some will pass by chance (about one in twenty at
p < 0.05); the report says so.

Restricted categories are counted in the internal area and category tables only; the district
table never holds them, and :meth:`Comparison.public` drops them entirely and suppresses small
counts.

References
----------
Przyborowski, J. & Wilenski, H. (1940). Homogeneity of results in testing samples from
Poisson series. *Biometrika* 31, 313-323.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Literal

import pandas as pd
from scipy.stats import binomtest

from hotspots.core.errors import InputSchemaError
from hotspots.core.periods import Period
from hotspots.core.taxonomy import CATEGORIES, PROBLEM_AREA_LABELS, is_restricted, label

__all__ = [
    "DEFAULT_ALPHA",
    "MIN_PUBLIC_COUNT",
    "ChangeTest",
    "Comparison",
    "Verdict",
    "change_test",
    "compare_periods",
    "count_table",
    "verdict_text",
]

Verdict = Literal["increase", "decrease", "no_change", "no_data"]
Language = Literal["sv", "en"]

#: Significance level of the verdicts.
DEFAULT_ALPHA = 0.05
#: Counts below this are suppressed in the public profile.
MIN_PUBLIC_COUNT = 5

_AREA_ORDER: tuple[str, ...] = ("violence", "unsafe", "drugs_alcohol", "other", "restricted")
_TOTAL_KEY = "total"


@dataclass(frozen=True, slots=True)
class ChangeTest:
    """Result of the conditional binomial test of a current count against a reference count.

    Attributes
    ----------
    current, reference
        The two counts.
    exposure_current, exposure_reference
        Their exposures (hours observed).
    expected
        The reference count scaled to the current exposure: what "no change" predicts.
    change
        ``current - expected`` (incidents).
    ratio
        ``current / expected`` (``nan`` when ``expected`` is 0).
    p_value
        Exact two-sided p-value of "same rate" (1.0 when both counts are 0).
    verdict
        ``increase`` / ``decrease`` when ``p_value < alpha``, else ``no_change``; ``no_data``
        when both counts are 0.
    """

    current: int
    reference: int
    exposure_current: float
    exposure_reference: float
    expected: float
    change: float
    ratio: float
    p_value: float
    verdict: Verdict

    @property
    def change_pct(self) -> float:
        """Relative change in percent (``nan`` when nothing was expected)."""
        return (self.ratio - 1.0) * 100.0 if math.isfinite(self.ratio) else math.nan


def change_test(
    current: int,
    reference: int,
    *,
    exposure_current: float = 1.0,
    exposure_reference: float = 1.0,
    alpha: float = DEFAULT_ALPHA,
) -> ChangeTest:
    """Test whether ``current`` differs from ``reference`` by more than Poisson noise.

    Parameters
    ----------
    current, reference
        Non-negative counts.
    exposure_current, exposure_reference
        Length of each period (hours, or any unit as long as both share it).
    alpha
        Significance level of the verdict.

    Returns
    -------
    ChangeTest
        Counts, expected count, change, exact p-value and verdict.

    Raises
    ------
    InputSchemaError
        For negative counts or non-positive exposures.
    """
    c, r = int(current), int(reference)
    if c < 0 or r < 0:
        msg = f"counts must be non-negative (got current={current}, reference={reference})"
        raise InputSchemaError(msg)
    if not (exposure_current > 0 and exposure_reference > 0):
        msg = f"exposures must be positive (got {exposure_current} and {exposure_reference} hours)"
        raise InputSchemaError(msg)
    expected = r * exposure_current / exposure_reference
    ratio = c / expected if expected > 0 else math.nan
    n = c + r
    if n == 0:
        return ChangeTest(
            c, r, exposure_current, exposure_reference, 0.0, 0.0, math.nan, 1.0, "no_data"
        )
    p0 = exposure_current / (exposure_current + exposure_reference)
    p_value = float(binomtest(c, n, p0, alternative="two-sided").pvalue)
    p_value = min(1.0, p_value)
    verdict: Verdict
    if p_value < alpha:
        verdict = "increase" if c > expected else "decrease"
    else:
        verdict = "no_change"
    return ChangeTest(
        c,
        r,
        float(exposure_current),
        float(exposure_reference),
        float(expected),
        float(c - expected),
        float(ratio),
        p_value,
        verdict,
    )


_VERDICTS: dict[str, dict[str, str]] = {
    "increase": {
        "sv": "Ökning, troligen mer än slumpen",
        "en": "Increase, probably more than chance",
    },
    "clear_increase": {"sv": "Tydlig ökning", "en": "Clear increase"},
    "decrease": {
        "sv": "Minskning, troligen mer än slumpen",
        "en": "Decrease, probably more than chance",
    },
    "clear_decrease": {"sv": "Tydlig minskning", "en": "Clear decrease"},
    "no_change": {"sv": "Normal variation", "en": "Normal variation"},
    "no_data": {"sv": "Inga händelser", "en": "No incidents"},
    "suppressed": {"sv": "För få för att redovisa", "en": "Too few to show"},
}


def verdict_text(verdict: str, p_value: float | None = None, lang: Language = "sv") -> str:
    """Plain-language verdict; ``p < 0.01`` turns an increase or decrease into a clear one."""
    key = verdict
    if verdict in ("increase", "decrease") and p_value is not None and p_value < 0.01:
        key = f"clear_{verdict}"
    texts = _VERDICTS.get(key)
    return texts[lang] if texts else verdict


def _count_in(frame: pd.DataFrame, period: Period, key: pd.Series) -> pd.Series:
    inside = period.contains(frame["occurred_at"]).to_numpy(dtype=bool)
    return key[inside].value_counts()


def count_table(
    incidents: pd.DataFrame,
    periods: dict[str, Period],
    key: pd.Series,
    *,
    keys: list[str] | None = None,
) -> pd.DataFrame:
    """Count incidents per value of ``key`` inside each period.

    Parameters
    ----------
    incidents
        Frame with ``occurred_at`` (tz-aware).
    periods
        Column name -> period.
    key
        Grouping value per incident (same index as ``incidents``); missing values are skipped.
    keys
        Row order; keys absent from the data get zero counts. Default: keys seen in any period.

    Returns
    -------
    pandas.DataFrame
        Index = keys, one int column per period.
    """
    cols = {name: _count_in(incidents, p, key) for name, p in periods.items()}
    table = pd.DataFrame(cols).fillna(0).astype("int64")
    if keys is not None:
        table = table.reindex(keys, fill_value=0)
    return table


@dataclass(frozen=True, slots=True)
class Comparison:
    """Counts and change tests for the report period.

    Attributes
    ----------
    period, previous, year_earlier
        The three periods compared.
    areas
        One row per problem area plus ``total`` (public categories): see :meth:`_tested`.
    categories
        One row per category seen in any of the three periods.
    districts
        One row per district (public categories only), or ``None`` without geography.
    alpha
        Significance level of the verdicts.
    privacy
        ``"internal"`` or ``"public"`` (restricted rows dropped, small counts suppressed).

    Notes
    -----
    Every table has the columns ``key``, ``label``, ``restricted``, ``current``, ``previous``,
    ``year_earlier``, and for ``prev`` and ``year``: ``expected_*``, ``change_*``,
    ``change_pct_*``, ``p_*``, ``verdict_*``. In the public profile suppressed counts are
    ``NA`` and their tests blank, with ``verdict_* = "suppressed"``.
    """

    period: Period
    previous: Period
    year_earlier: Period
    areas: pd.DataFrame
    categories: pd.DataFrame
    districts: pd.DataFrame | None
    alpha: float = DEFAULT_ALPHA
    privacy: Literal["internal", "public"] = "internal"

    def public(self, *, min_count: int = MIN_PUBLIC_COUNT) -> Comparison:
        """The public version: no restricted rows, counts below ``min_count`` suppressed."""
        return replace(
            self,
            areas=_suppress(self.areas, min_count),
            categories=_suppress(self.categories, min_count),
            districts=None if self.districts is None else _suppress(self.districts, min_count),
            privacy="public",
        )

    def significant(self) -> pd.DataFrame:
        """Rows of every table whose change against either reference is significant."""
        frames = []
        for name, table in (
            ("area", self.areas),
            ("category", self.categories),
            ("district", self.districts),
        ):
            if table is None or table.empty:
                continue
            hit = table["verdict_prev"].isin(["increase", "decrease"]) | table["verdict_year"].isin(
                ["increase", "decrease"]
            )
            frames.append(table[hit].assign(table=name))
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _suppress(table: pd.DataFrame, min_count: int) -> pd.DataFrame:
    out = table[~table["restricted"].astype(bool)].copy()
    count_cols = ["current", "previous", "year_earlier"]
    small = {c: out[c] < min_count for c in count_cols}
    for ref, col in (("prev", "previous"), ("year", "year_earlier")):
        hide = small["current"] | small[col]
        for stat in ("expected", "change", "change_pct", "p"):
            out[f"{stat}_{ref}"] = out[f"{stat}_{ref}"].astype("float64").mask(hide)
        out[f"verdict_{ref}"] = out[f"verdict_{ref}"].mask(hide, "suppressed")
    for c in count_cols:
        out[c] = out[c].astype("Int64").mask(small[c])
    return out.reset_index(drop=True)


def _tested(
    counts: pd.DataFrame,
    *,
    periods: tuple[Period, Period, Period],
    labels: dict[str, str],
    restricted: dict[str, bool],
    alpha: float,
) -> pd.DataFrame:
    cur, prev, year = periods
    rows = []
    for key, row in counts.iterrows():
        rec: dict[str, object] = {
            "key": key,
            "label": labels.get(str(key), str(key)),
            "restricted": bool(restricted.get(str(key), False)),
            "current": int(row["current"]),
            "previous": int(row["previous"]),
            "year_earlier": int(row["year_earlier"]),
        }
        for ref, col, ref_period in (("prev", "previous", prev), ("year", "year_earlier", year)):
            t = change_test(
                int(row["current"]),
                int(row[col]),
                exposure_current=cur.hours,
                exposure_reference=ref_period.hours,
                alpha=alpha,
            )
            rec[f"expected_{ref}"] = t.expected
            rec[f"change_{ref}"] = t.change
            rec[f"change_pct_{ref}"] = t.change_pct
            rec[f"p_{ref}"] = t.p_value
            rec[f"verdict_{ref}"] = t.verdict
        rows.append(rec)
    columns = [
        "key",
        "label",
        "restricted",
        "current",
        "previous",
        "year_earlier",
        *(
            f"{stat}_{ref}"
            for ref in ("prev", "year")
            for stat in ("expected", "change", "change_pct", "p", "verdict")
        ),
    ]
    return pd.DataFrame(rows, columns=columns)


def compare_periods(
    incidents: pd.DataFrame,
    period: Period,
    *,
    districts: pd.Series | None = None,
    alpha: float = DEFAULT_ALPHA,
    lang: Language = "sv",
) -> Comparison:
    """Compare counts in ``period`` with the previous period and the same period a year earlier.

    Parameters
    ----------
    incidents
        Incident frame (all categories, restricted included; see :mod:`hotspots.core.schema`).
    period
        The report period.
    districts
        District name per incident (same index), e.g. from ``Geography.district_of``; missing
        values (no district known) are left out of the district table.
    alpha
        Significance level of the verdicts.
    lang
        Language of the row labels.

    Returns
    -------
    Comparison
        The internal comparison; call :meth:`Comparison.public` for the public profile.

    Raises
    ------
    InputSchemaError
        When ``occurred_at`` or ``category`` is missing or times are not tz-aware.
    """
    for col in ("occurred_at", "category"):
        if col not in incidents:
            msg = f"incidents: column {col!r} is missing; see hotspots.core.schema.INCIDENT_COLUMNS"
            raise InputSchemaError(msg)
    if len(incidents) and getattr(incidents["occurred_at"].dt, "tz", None) is None:
        msg = "incidents: occurred_at must be tz-aware (Europe/Stockholm)"
        raise InputSchemaError(msg)
    previous, year_earlier = period.previous(), period.year_earlier()
    periods = {"current": period, "previous": previous, "year_earlier": year_earlier}
    triple = (period, previous, year_earlier)
    cats = incidents["category"].astype("string")
    area_of = {c.code: c.area for c in CATEGORIES}
    restricted_mask = cats.map(lambda c: is_restricted(str(c))).astype(bool)

    # Categories: every category seen in any of the three periods, in taxonomy order.
    cat_counts = count_table(incidents, periods, cats)
    order = [c.code for c in CATEGORIES if c.code in cat_counts.index]
    order += [str(k) for k in cat_counts.index if str(k) not in order]
    cat_counts = cat_counts.reindex(order, fill_value=0)
    categories = _tested(
        cat_counts,
        periods=triple,
        labels={k: label(k, lang) for k in order},
        restricted={k: is_restricted(k) for k in order},
        alpha=alpha,
    )

    # Areas: the problem areas, restricted (internal only), and the public total.
    areas_key = cats.map(lambda c: area_of.get(str(c), "other"))
    area_counts = count_table(incidents, periods, areas_key, keys=list(_AREA_ORDER))
    total = count_table(
        incidents[~restricted_mask.to_numpy()],
        periods,
        pd.Series(_TOTAL_KEY, index=incidents.index[~restricted_mask.to_numpy()]),
        keys=[_TOTAL_KEY],
    )
    area_counts = pd.concat([area_counts, total])
    area_counts = area_counts[
        (area_counts.sum(axis=1) > 0)
        | area_counts.index.isin(["violence", "unsafe", "drugs_alcohol", _TOTAL_KEY])
    ]
    total_label = "Totalt (ej skyddade kategorier)" if lang == "sv" else "Total (public categories)"
    area_labels = {k: v[lang] for k, v in PROBLEM_AREA_LABELS.items()} | {_TOTAL_KEY: total_label}
    areas = _tested(
        area_counts,
        periods=triple,
        labels=area_labels,
        restricted={"restricted": True},
        alpha=alpha,
    )

    district_table: pd.DataFrame | None = None
    if districts is not None:
        public = ~restricted_mask.to_numpy()
        dkey = districts.astype("string").reindex(incidents.index)
        d_counts = count_table(incidents[public], periods, dkey[public])
        d_counts = d_counts.sort_values(["current", "previous"], ascending=False)
        district_table = _tested(
            d_counts,
            periods=triple,
            labels={},
            restricted={},
            alpha=alpha,
        )
    return Comparison(
        period=period,
        previous=previous,
        year_earlier=year_earlier,
        areas=areas,
        categories=categories,
        districts=district_table,
        alpha=alpha,
    )
