"""Address geocoding against an address register (Lantmäteriet's Belägenhetsadresser).

Swedish addresses are written many ways: ``Drottningg. 12 B, 1 tr``, ``DROTTNINGGATAN 12b``,
``drottninggatan 12 b 652 24 Karlstad``. :func:`normalise_address` reads such text into a
street key, a number, a letter, a postcode and a town; :class:`Geocoder` then looks the street
up in the register, exactly or with a fuzzy match (rapidfuzz), and returns

- a :class:`Match` of precision ``address``: the register's point for the number (and letter;
  a letter the register lacks falls back to the number without it), or of precision
  ``street``: a representative point of the street's addresses, when no number is given or
  the register lacks it;
- or a :class:`Rejection` whose reason names the closest candidates.

A street name found in several post towns is resolved by the postcode or the town when
given; without them it is rejected as ambiguous unless the candidates lie within
:data:`SAME_STREET_M` of each other (one street crossing a post town boundary).

:func:`street_in_text` finds a street name in free text (a Polisen event's summary or body)
and resolves it to ``street`` precision only where it is unambiguous within the event's
municipality.

Everything here is pure computation on an :class:`~hotspots.io.address_register.AddressRegister`
in memory; reading the register is :func:`hotspots.io.address_register.read_register`, and
:func:`open_geocoder` reads one and builds its geocoder (``--addresses FILE[#LAYER]``);
:func:`geography_geocoder` builds one from the ``addresses`` layer of a geography GeoPackage
(``hotspots geography build --addresses``), credited as its ``layers`` table says.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
from pyproj import CRS
from rapidfuzz import fuzz, process

from hotspots.core.errors import InputFileError
from hotspots.io.address_register import ADDRESS_LAYER, AddressRegister, read_register
from hotspots.load.address_text import (
    ParsedAddress,
    normalise_address,
    normalise_postcode,
    street_key,
    town_key,
)
from hotspots.spatial.crs import DEFAULT_METRIC_CRS

__all__ = [
    "MIN_SCORE",
    "SAME_STREET_M",
    "Geocoder",
    "Match",
    "ParsedAddress",
    "Rejection",
    "geography_geocoder",
    "normalise_address",
    "normalise_postcode",
    "open_geocoder",
    "street_in_text",
    "street_key",
]

#: Lowest rapidfuzz ratio (0-100) at which a street name counts as the same street.
MIN_SCORE = 85.0
#: A better fuzzy candidate must beat the next different one by this many points.
_MARGIN = 3.0
#: Same-named streets in different post towns closer than this (metres) are one street.
SAME_STREET_M = 1000.0
#: How many candidates a rejection names.
_N_CANDIDATES = 3


@dataclass(frozen=True, slots=True)
class Match:
    """A geocoded address.

    Attributes
    ----------
    x, y
        The point, metres in the register's CRS.
    precision
        ``address`` (the register's point for the number) or ``street`` (a representative
        point of the street's addresses).
    street
        The street as the register writes it.
    number
        The matched number and letter (``"12B"``), or ``""`` at street precision.
    post_town
        The street's post town in the register.
    score
        How well the street name matched, 0-100 (100: exact after normalisation).
    """

    x: float
    y: float
    precision: str
    street: str
    number: str
    post_town: str
    score: float


@dataclass(frozen=True, slots=True)
class Rejection:
    """An address that could not be geocoded.

    Attributes
    ----------
    reason
        Why, with the closest candidates named.
    candidates
        The closest register streets (``"Drottninggatan, Karlstad"``), best first.
    """

    reason: str
    candidates: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Street:
    """One street (a street name within one post town) of the register."""

    name: str
    town: str
    town_key: str
    municipality_key: str
    postcodes: frozenset[str]
    points: dict[tuple[int, str], tuple[float, float]]
    rep: tuple[float, float]
    n: int

    @property
    def label(self) -> str:
        return f"{self.name}, {self.town}" if self.town else self.name


def _map_unique(values: pd.Series, func: object) -> pd.Series:
    """``values.map(func)``, computing ``func`` once per distinct value."""
    codes, uniques = pd.factorize(values)
    mapped = np.array([func(v) for v in uniques], dtype=object)  # type: ignore[operator]
    return pd.Series(mapped[codes] if len(codes) else [], index=values.index, dtype=object)


def _representative(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """The address point nearest the mean of the street's points (so it lies on the street)."""
    cx, cy = float(np.mean(x)), float(np.mean(y))
    i = int(np.argmin((x - cx) ** 2 + (y - cy) ** 2))
    return float(x[i]), float(y[i])


class Geocoder:
    """Geocode addresses against an address register.

    Parameters
    ----------
    register
        The address points (see :func:`hotspots.io.address_register.read_register`).
    min_score
        Lowest fuzzy score (rapidfuzz ``ratio`` on :func:`street_key`, 0-100) accepted for
        a street name that does not match exactly.

    Examples
    --------
    >>> geocoder = Geocoder(register)  # doctest: +SKIP
    >>> geocoder.match("Drottningg.", "12 b", postcode="652 24")  # doctest: +SKIP
    Match(x=..., y=..., precision='address', street='Drottninggatan', number='12B', ...)
    """

    def __init__(self, register: AddressRegister, *, min_score: float = MIN_SCORE) -> None:
        self.register = register
        self.min_score = float(min_score)
        frame = register.frame
        keys = _map_unique(frame["street"].fillna("").astype(str), street_key)
        towns = frame["post_town"].fillna("").astype(str)
        town_keys = _map_unique(towns, town_key)
        munis = _map_unique(frame["municipality"].fillna("").astype(str), town_key)
        numbers = frame["number"].to_numpy(dtype=float, na_value=np.nan)
        letters = frame["letter"].fillna("").astype(str).to_numpy()
        xs = frame["x"].to_numpy(dtype=float)
        ys = frame["y"].to_numpy(dtype=float)
        streets: dict[str, list[_Street]] = {}
        groups = (
            pd.DataFrame({"key": keys, "town": town_keys})
            .groupby(["key", "town"], sort=True)
            .indices
        )
        for (key, town), idx in groups.items():
            if not key:
                continue
            points: dict[tuple[int, str], tuple[float, float]] = {}
            for i in idx:
                if np.isfinite(numbers[i]):
                    points.setdefault((int(numbers[i]), letters[i]), (float(xs[i]), float(ys[i])))
            first = idx[0]
            streets.setdefault(str(key), []).append(
                _Street(
                    name=str(frame["street"].iat[first]),
                    town=str(towns.iat[first]),
                    town_key=str(town),
                    municipality_key=str(munis.iat[first]),
                    postcodes=frozenset(str(p) for p in frame["postcode"].iloc[idx] if p),
                    points=points,
                    rep=_representative(xs[idx], ys[idx]),
                    n=len(idx),
                )
            )
        self._streets = streets
        self._keys: list[str] = sorted(streets)
        self._by_postcode: dict[str, list[str]] = {}
        self._by_town: dict[str, list[str]] = {}
        for key, group in streets.items():
            for s in group:
                for pc in s.postcodes:
                    self._by_postcode.setdefault(pc, []).append(key)
                if s.town_key:
                    self._by_town.setdefault(s.town_key, []).append(key)
        self._town_names = {s.town_key for g in streets.values() for s in g if s.town_key}
        self._streets_of: dict[str, dict[str, list[_Street]]] = {}

    @property
    def crs(self) -> CRS:
        """CRS of the points returned (the register's metric CRS)."""
        return self.register.crs

    # --------------------------------------------------------------------------------------
    def match(
        self,
        street: str,
        number: str | int | None = None,
        postcode: str | None = None,
        town: str | None = None,
    ) -> Match | Rejection:
        """Geocode one address.

        Parameters
        ----------
        street
            The street, possibly with the number, letter, postcode and town in it
            (``"Drottningg. 12 b, 652 24 Karlstad"``).
        number
            The number with an optional letter (``"12B"``, ``"12 b"``, ``12``); when ``None``
            it is read from ``street``.
        postcode
            The postcode (``"652 24"`` or ``"65224"``), if known.
        town
            The post town, if known.

        Returns
        -------
        Match or Rejection
            Precision ``address`` or ``street``, or the reason with the closest candidates.
        """
        parsed = normalise_address(street)
        num, letter = parsed.number, parsed.letter
        if number is not None and str(number).strip():
            m = re.match(r"^\s*(\d{1,5})\s*([A-Za-zÅÄÖåäö])?", str(number))
            if m:
                num, letter = int(m.group(1)), (m.group(2) or "").upper()
        pc = normalise_postcode(postcode) or parsed.postcode
        tk = town_key(town) or town_key(parsed.town)
        if not parsed.key:
            return Rejection(f"no street name in {street!r}")
        found = self._find_key(parsed.key, pc, tk, num, shown=parsed.street)
        if isinstance(found, Rejection):
            return found
        key, score = found
        chosen = self._choose_street(self._streets[key], num, letter, pc, tk)
        if isinstance(chosen, Rejection):
            return chosen
        return self._locate(chosen, num, letter, score)

    def _find_key(
        self, key: str, postcode: str, town: str, num: int | None, *, shown: str
    ) -> tuple[str, float] | Rejection:
        """The register key of the street: exact, else the best fuzzy match.

        Fuzzy candidates that score about as well as the best (within :data:`_MARGIN`) are
        told apart by the number and the postcode: when exactly one of them has both (or the
        number, when no postcode is given), it wins; otherwise the address is ambiguous.
        """
        if key in self._streets:
            return key, 100.0
        for short, full in (("g", "gatan"), ("v", "vagen")):  # "Karlbergsv 3", "Drottningg 2"
            if key.endswith(short) and key[: -len(short)] + full in self._streets:
                return key[: -len(short)] + full, 100.0
        local: list[str] = []
        if postcode and postcode in self._by_postcode:
            local = self._by_postcode[postcode]
        elif town and town in self._by_town:
            local = self._by_town[town]
        if local:  # a typo within the right postcode or town: a slightly lower bar
            best = self._fuzzy(key, sorted(set(local)), self.min_score - 10.0, num, postcode)
            if best is not None:
                return best
        best = self._fuzzy(key, self._keys, self.min_score, num, postcode)
        if best is not None:
            return best
        cands = self._candidates(key, local or self._keys)
        near = "; closest: " + " | ".join(cands) if cands else ""
        return Rejection(f"street {shown!r} not in the address register{near}", cands)

    def _fuzzy(
        self, key: str, choices: list[str], cutoff: float, num: int | None, postcode: str
    ) -> tuple[str, float] | None:
        top = process.extract(key, choices, scorer=fuzz.ratio, limit=5, score_cutoff=cutoff)
        if not top:
            return None
        close = [(str(c), float(s)) for c, s, _ in top if top[0][1] - s < _MARGIN]
        if len(close) == 1:
            return close[0]
        if num is None:
            return None  # several streets fit about as well: leave it to the rejection

        def fits(cand: str) -> bool:
            return any(
                (not postcode or postcode in s.postcodes) and any(k[0] == num for k in s.points)
                for s in self._streets[cand]
            )

        fitting = [c for c in close if fits(c[0])]
        return fitting[0] if len(fitting) == 1 else None

    def _candidates(self, key: str, choices: list[str]) -> tuple[str, ...]:
        top = process.extract(key, choices, scorer=fuzz.ratio, limit=_N_CANDIDATES)
        out: list[str] = []
        for cand, score, _ in top:
            s = self._streets[cand][0]
            out.append(f"{s.label} ({score:.0f})")
        return tuple(out)

    def _choose_street(
        self, streets: list[_Street], num: int | None, letter: str, postcode: str, town: str
    ) -> _Street | Rejection:
        if len(streets) == 1:
            return streets[0]
        pool = streets
        if postcode:
            pool = [s for s in streets if postcode in s.postcodes] or pool
        if town and len(pool) > 1:
            pool = [s for s in pool if s.town_key == town] or pool
        if len(pool) > 1 and num is not None:
            with_number = [s for s in pool if any(k[0] == num for k in s.points)]
            pool = with_number or pool
        if len(pool) == 1:
            return pool[0]
        reps = np.array([s.rep for s in pool])
        spread = float(np.max(np.hypot(*(reps - reps.mean(axis=0)).T))) * 2.0
        if spread <= SAME_STREET_M:
            return max(pool, key=lambda s: s.n)
        labels = tuple(s.label for s in pool)
        return Rejection(
            f"street {pool[0].name!r} is in several post towns ({', '.join(labels)}); "
            "give postnummer or postort",
            labels,
        )

    @staticmethod
    def _locate(street: _Street, num: int | None, letter: str, score: float) -> Match:
        if num is not None:
            hit = street.points.get((num, letter))
            label = f"{num}{letter}"
            if hit is None:  # a letter the register lacks: the number without it, or any
                hit = street.points.get((num, ""))
                label = str(num)
            if hit is None:
                same = sorted(k for k in street.points if k[0] == num)
                if same:
                    hit = street.points[same[0]]
                    label = f"{same[0][0]}{same[0][1]}"
            if hit is not None:
                return Match(hit[0], hit[1], "address", street.name, label, street.town, score)
        x, y = street.rep
        return Match(x, y, "street", street.name, "", street.town, score)

    # --------------------------------------------------------------------------------------
    def geocode(
        self,
        address: pd.Series,
        *,
        postcode: pd.Series | None = None,
        town: pd.Series | None = None,
    ) -> pd.DataFrame:
        """Geocode a column of address cells (each distinct address is matched once).

        Parameters
        ----------
        address
            Address cells (street, number and letter; may carry postcode and town).
        postcode, town
            Optional columns aligned with ``address``.

        Returns
        -------
        pandas.DataFrame
            Aligned with ``address``: ``x``, ``y`` (metres in the register's CRS, NaN when
            rejected), ``precision`` (``address``, ``street`` or ``<NA>``), ``matched`` (the
            register's street and number) and ``reason`` (``<NA>`` when matched).
        """
        n = len(address)
        blank = pd.Series("", index=address.index, dtype="string")
        parts = pd.DataFrame(
            {
                "a": address.astype("string").fillna(""),
                "p": (postcode.astype("string").fillna("") if postcode is not None else blank),
                "t": (town.astype("string").fillna("") if town is not None else blank),
            }
        )
        codes, uniques = pd.MultiIndex.from_frame(parts).factorize()
        xs = np.full(len(uniques), np.nan)
        ys = np.full(len(uniques), np.nan)
        prec: list[str | None] = [None] * len(uniques)
        matched: list[str | None] = [None] * len(uniques)
        reason: list[str | None] = [None] * len(uniques)
        for j, (a, p, t) in enumerate(uniques):
            if not str(a).strip():
                reason[j] = "missing address"
                continue
            out = self.match(str(a), postcode=str(p) or None, town=str(t) or None)
            if isinstance(out, Match):
                xs[j], ys[j], prec[j] = out.x, out.y, out.precision
                matched[j] = f"{out.street} {out.number}".strip() + (
                    f", {out.post_town}" if out.post_town else ""
                )
            else:
                reason[j] = out.reason
        take = np.asarray(codes)
        return pd.DataFrame(
            {
                "x": xs[take] if n else np.array([], dtype=float),
                "y": ys[take] if n else np.array([], dtype=float),
                "precision": pd.array([prec[i] for i in take], dtype="string"),
                "matched": pd.array([matched[i] for i in take], dtype="string"),
                "reason": pd.array([reason[i] for i in take], dtype="string"),
            },
            index=address.index,
        )

    # --------------------------------------------------------------------------------------
    def streets_of(self, municipality: str) -> dict[str, list[_Street]]:
        """Street key -> the register's streets of that name within ``municipality``."""
        mk = town_key(municipality)
        cached = self._streets_of.get(mk)
        if cached is not None:
            return cached
        out: dict[str, list[_Street]] = {}
        for key, group in self._streets.items():
            inside = [s for s in group if s.municipality_key == mk]
            if inside:
                out[key] = inside
        self._streets_of[mk] = out
        return out

    def streets_in_texts(
        self, texts: Sequence[pd.Series], *, municipality: pd.Series
    ) -> pd.DataFrame:
        """:func:`street_in_text` for each row (each distinct row once).

        Parameters
        ----------
        texts
            Aligned text columns in order of trust (a Polisen event's summary, then its
            body).
        municipality
            The municipality of each row (a Polisen event's ``location.name``).

        Returns
        -------
        pandas.DataFrame
            Aligned with ``municipality``: ``x``, ``y`` (metres in the register's CRS, NaN
            where no single street is named), ``precision`` (``street`` or ``<NA>``),
            ``matched`` (the street and its post town) and ``reason`` (``<NA>`` when
            matched).
        """
        index = municipality.index
        columns = {f"t{i}": pd.Series(c.to_numpy(), index=index) for i, c in enumerate(texts)}
        parts = pd.DataFrame(columns | {"m": municipality}).astype("string").fillna("")
        codes, uniques = pd.MultiIndex.from_frame(parts).factorize()
        xs = np.full(len(uniques), np.nan)
        ys = np.full(len(uniques), np.nan)
        matched: list[str | None] = [None] * len(uniques)
        reason: list[str | None] = [None] * len(uniques)
        for j, row in enumerate(uniques):
            *words, muni = (str(v) for v in row)
            out = street_in_text(words, municipality=muni, geocoder=self)
            if isinstance(out, Match):
                xs[j], ys[j] = out.x, out.y
                matched[j] = f"{out.street}, {out.post_town}" if out.post_town else out.street
            else:
                reason[j] = out.reason
        take = np.asarray(codes, dtype=np.intp)
        found = np.isfinite(xs)
        return pd.DataFrame(
            {
                "x": xs[take],
                "y": ys[take],
                "precision": pd.array(np.where(found, "street", None)[take], dtype="string"),
                "matched": pd.array(np.asarray(matched, dtype=object)[take], dtype="string"),
                "reason": pd.array(np.asarray(reason, dtype=object)[take], dtype="string"),
            },
            index=index,
        )

    @property
    def town_keys(self) -> frozenset[str]:
        """The folded post town names of the register."""
        return frozenset(self._town_names)


#: Endings of a word that names a street (folded), so that a district, a village or a lake
#: of the same name as an address area is not taken for a street.
STREET_ENDINGS: tuple[str, ...] = (
    "gatan",
    "vagen",
    "leden",
    "granden",
    "grand",
    "stigen",
    "torget",
    "allen",
    "backen",
    "platsen",
    "straket",
    "esplanaden",
    "promenaden",
    "kajen",
    "gangen",
    "slingan",
    "ringen",
    "bron",
    "gata",
    "vag",
    "torg",
    "gang",
    "plan",
)

_WORD = re.compile(r"[0-9A-Za-zÅÄÖåäöÉé][0-9A-Za-zÅÄÖåäöÉé:\-]*")


def _mentions(text: str, keys: Iterable[str], *, max_words: int = 3) -> dict[str, str]:
    """Street keys (of ``keys``) named in ``text``, with the words as written.

    A mention starts with a capital letter or a digit (``Drottninggatan``, ``Östra
    Torggatan``, ``1:a Villagatan``) and ends with a street word (:data:`STREET_ENDINGS`).
    """
    wanted = set(keys)
    words = [(m.group(0), m.start()) for m in _WORD.finditer(text)]
    found: dict[str, str] = {}
    for i, (first, _) in enumerate(words):
        if not (first[0].isupper() or first[0].isdigit()):
            continue
        for n in range(1, max_words + 1):
            if i + n > len(words):
                break
            phrase = " ".join(w for w, _ in words[i : i + n])
            key = street_key(phrase)
            if key in wanted and key.endswith(STREET_ENDINGS):
                found.setdefault(key, phrase)
    return found


def street_in_text(
    text: str | Sequence[str], *, municipality: str, geocoder: Geocoder
) -> Match | Rejection:
    """Resolve a street named in free text to ``street`` precision, only where unambiguous.

    Used for Polisen events, whose position is only the municipality's centroid: when the
    summary or body names exactly one street of the event's municipality, and that street
    name means one street there (or the text also names the post town that tells which),
    the event gets the street's representative point at precision ``street``.

    Parameters
    ----------
    text
        The event's text, or its texts in order of trust (summary, then body): the first
        text that names any street of the municipality decides.
    municipality
        The event's municipality (``location.name`` of the event, e.g. ``"Karlstad"``).
    geocoder
        A geocoder over a register that covers the municipality.

    Returns
    -------
    Match or Rejection
        A ``street`` match, or why not: no street named, several streets named, or a street
        name found in several post towns of the municipality.
    """
    streets = geocoder.streets_of(municipality)
    if not streets:
        return Rejection(f"no streets of the municipality {municipality!r} in the register")
    texts = [text] if isinstance(text, str) else list(text)
    found: dict[str, str] = {}
    used = ""
    for part in texts:
        found = _mentions(str(part or ""), streets)
        if found:
            used = str(part)
            break
    if not found:
        return Rejection("no street of the municipality named in the text")
    if len(found) > 1:
        names = tuple(sorted(found.values()))
        return Rejection(f"several streets named ({', '.join(names)}); ambiguous", names)
    key = next(iter(found))
    group = streets[key]
    if len(group) > 1:
        folded = street_key(used)
        named = [s for s in group if s.town_key and s.town_key in folded.replace(key, "")]
        if len(named) == 1:
            group = named
        else:
            reps = np.array([s.rep for s in group])
            spread = float(np.max(np.hypot(*(reps - reps.mean(axis=0)).T))) * 2.0
            if spread > SAME_STREET_M:
                labels = tuple(s.label for s in group)
                return Rejection(
                    f"{group[0].name!r} is in several post towns of {municipality} "
                    f"({', '.join(labels)}); ambiguous",
                    labels,
                )
    best = max(group, key=lambda s: s.n)
    return Match(best.rep[0], best.rep[1], "street", best.name, "", best.town, 100.0)


def open_geocoder(
    register: str | Path,
    *,
    crs: str | None = None,
    metric_crs: str = DEFAULT_METRIC_CRS,
    min_score: float = MIN_SCORE,
) -> Geocoder:
    """Read an address register and build its geocoder.

    Parameters
    ----------
    register
        A CSV or GeoPackage register (Lantmäteriet's Belägenhetsadresser or one like it),
        a geography GeoPackage with an ``addresses`` layer, or ``FILE.gpkg#LAYER``.
    crs
        CRS of a text register's x/y columns (default EPSG:3006).
    metric_crs
        Projected CRS (metres) of the points returned.
    min_score
        Lowest fuzzy street-name score accepted, 0-100.

    Raises
    ------
    InputFileError
        The register cannot be read (see :func:`hotspots.io.address_register.read_register`).
    """
    text = str(register)
    path, sep, layer = text.rpartition("#") if "#" in text else (text, "", "")
    if sep and not Path(text).exists():
        found = read_register(Path(path), crs=crs, metric_crs=metric_crs, layer=layer or None)
    else:
        found = read_register(Path(text), crs=crs, metric_crs=metric_crs)
    return Geocoder(found, min_score=min_score)


def geography_geocoder(
    geography: str | Path,
    *,
    metric_crs: str = DEFAULT_METRIC_CRS,
    min_score: float = MIN_SCORE,
) -> Geocoder | None:
    """The geocoder of a geography GeoPackage's ``addresses`` layer, if it has one.

    Parameters
    ----------
    geography
        A geography (``hotspots geography build``; ``--geography``): a GeoPackage, or a
        TOML file of layer overrides (which holds no addresses).
    metric_crs
        Projected CRS (metres) of the points returned.
    min_score
        Lowest fuzzy street-name score accepted, 0-100.

    Returns
    -------
    Geocoder or None
        The geocoder, its register credited as the geography's ``layers`` table says
        (``"Lantmäteriet (CC BY 4.0)"``); ``None`` for a TOML file or a GeoPackage without
        an ``addresses`` layer.

    Raises
    ------
    InputFileError
        The file is missing or cannot be read.
    """
    path = Path(geography)
    if not path.is_file():
        raise InputFileError(path, "geography not found; give the path of a geography GeoPackage")
    if path.suffix.lower() != ".gpkg":
        return None
    try:
        names = [str(n) for n in pyogrio.list_layers(path)[:, 0]]
    except Exception as exc:  # GDAL's errors: not a GeoPackage it can read
        raise InputFileError(path, f"cannot be read as a GeoPackage ({exc})") from exc
    if ADDRESS_LAYER not in names:
        return None
    register = read_register(path, metric_crs=metric_crs, layer=ADDRESS_LAYER)
    if "layers" in names:
        table = pyogrio.read_dataframe(path, layer="layers", read_geometry=False)
        row = table[table["layer"] == ADDRESS_LAYER]
        if len(row):
            credit = f"{row['attribution'].iloc[0]} ({row['licence'].iloc[0]})"
            register = replace(register, attribution=credit)
    return Geocoder(register, min_score=min_score)
