"""Routing on a geography's street network: walking loops and safe places to stop a car.

A built geography (``hotspots geography build``, :mod:`hotspots.spatial.build`) carries the
street network split at junctions (:attr:`hotspots.spatial.geography.Geography.streets`).
This module makes graphs of it (networkx), one per mode:

``walk``
    The edges flagged ``walk`` (footways, paths, steps, ordinary streets; no motorways),
    undirected: a patrol on foot may walk a one-way street both ways.
``drive``
    The edges flagged ``drive`` (motorways down to service roads), undirected; used to find
    places where a car can be stopped, not to route cars.

Nodes are the ends of the edges (ends closer than 1 cm are one node), edges weigh their
length in metres; components smaller than ``min_component_m`` of street (a footway cut off
at the municipality boundary, a courtyard) are left out when a larger one exists, so a stop is
never snapped onto an island of the network that leads nowhere. Graphs are cached per street
layer (:func:`network_of`): a geography builds each graph once per process.

:func:`route_loop` snaps stops onto the network (the nearest point of the nearest edge) and
walks from each stop to the next and back to the first along shortest paths; the line it
returns has every vertex on a street, and its length is the sum of the shortest paths.
:func:`safe_stop_sites` lists points along drivable roads where a traffic check can stop cars:
not on a bridge, in a tunnel or on a motorway/trunk road, and with a side street or a lay-by
(car park) near.

Everything is in the geography's projected metric CRS (EPSG:3006 for Sweden): metres.
Without a street layer (the authored demo geography) :func:`network_of` returns ``None`` and
callers draw straight lines.
"""

from __future__ import annotations

import itertools
import logging
import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import substring

from hotspots.core.errors import InputSchemaError, InsufficientDataError

__all__ = [
    "DEFAULT_WALKING_SPEED_KMH",
    "MIN_COMPONENT_M",
    "NO_SITE_HIGHWAYS",
    "NO_STOP_HIGHWAYS",
    "Mode",
    "Route",
    "Sites",
    "Snapped",
    "StreetNetwork",
    "network_of",
    "route_loop",
    "safe_stop_sites",
    "snap",
    "street_network",
    "walk_minutes",
]

logger = logging.getLogger(__name__)

Mode = Literal["walk", "drive"]

#: Ordinary walking pace, km/h (a patrol that pauses walks slower; callers pass their pace).
DEFAULT_WALKING_SPEED_KMH = 4.5

#: Components of the network with less street than this (metres) are left out, unless no
#: component is that long (then the longest is kept).
MIN_COMPONENT_M = 1000.0

#: OSM ``highway`` values where no car is stopped for a check (motorways and trunk roads).
NO_STOP_HIGHWAYS: frozenset[str] = frozenset({"motorway", "motorway_link", "trunk", "trunk_link"})

#: OSM ``highway`` values of drivable roads that are no place for a checkpoint though a car may
#: turn into them: ramps, service roads (driveways, parking aisles) and living streets.
NO_SITE_HIGHWAYS: frozenset[str] = NO_STOP_HIGHWAYS | frozenset(
    {"primary_link", "secondary_link", "tertiary_link", "service", "living_street"}
)

#: Ends of edges closer than this are one node, metres.
_NODE_TOLERANCE_M = 0.01

#: How far short of its start a loop that retraces a street ends (see :class:`Route`), metres.
_OPEN_M = 1e-6


# ------------------------------------------------------------------------------------------
# The network
# ------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class StreetNetwork:
    """A street graph and the lines of its edges.

    Attributes
    ----------
    mode
        ``"walk"`` or ``"drive"``.
    graph
        Undirected :class:`networkx.Graph`; nodes are ``0 .. n-1`` (rows of
        :attr:`node_xy`), each edge has ``length`` (metres) and ``edge`` (the row of
        :attr:`lines` it follows; of parallel edges the shortest).
    node_xy
        ``(n, 2)`` node coordinates, metres.
    lines
        The edge lines (LineStrings), each running from node :attr:`u` to node :attr:`v`.
    u, v
        End nodes of each line.
    length_m
        Length of each line, metres.
    component
        Connected component of each line (0 = the one with most street).
    attributes
        The street attributes of each line (``name``, ``ref``, ``highway``, ``kind``,
        ``bridge``, ``tunnel``), aligned with :attr:`lines`.
    tree
        Spatial index of :attr:`lines`.
    """

    mode: str
    graph: nx.Graph
    node_xy: np.ndarray
    lines: np.ndarray
    u: np.ndarray
    v: np.ndarray
    length_m: np.ndarray
    component: np.ndarray
    attributes: pd.DataFrame
    tree: shapely.STRtree

    @property
    def total_length_m(self) -> float:
        """Length of all its lines, metres."""
        return float(self.length_m.sum())


def _flag(frame: pd.DataFrame, column: str, default: bool) -> np.ndarray:
    if column not in frame:
        return np.full(len(frame), default, dtype=bool)
    values = frame[column]
    if values.dtype == bool:
        return values.to_numpy()
    text = values.astype("string").str.strip().str.casefold().fillna("")
    return text.isin(["1", "true", "yes", "t"]).to_numpy(dtype=bool)


def _text(frame: pd.DataFrame, column: str, default: str = "") -> np.ndarray:
    if column not in frame:
        return np.full(len(frame), default, dtype=object)
    return frame[column].astype("string").fillna(default).to_numpy(dtype=object)


def street_network(
    streets: gpd.GeoDataFrame,
    *,
    mode: Mode,
    min_component_m: float = MIN_COMPONENT_M,
) -> StreetNetwork | None:
    """The graph of the ``walk`` or ``drive`` edges of a street layer.

    Parameters
    ----------
    streets
        Lines in a projected metric CRS, split at junctions (a built geography's
        ``streets`` layer). The ``walk``/``drive`` column picks the edges of ``mode``; a
        layer without it counts every line.
    mode
        ``"walk"`` or ``"drive"``.
    min_component_m
        Components with less street than this (metres) are left out when a longer one exists.

    Returns
    -------
    StreetNetwork or None
        ``None`` when no line of ``mode`` is left.

    Raises
    ------
    InputSchemaError
        When ``mode`` is not ``walk`` or ``drive``, or ``streets`` is not in a projected CRS.
    """
    if mode not in ("walk", "drive"):
        msg = f"mode: {mode!r} is not a network mode; use walk or drive"
        raise InputSchemaError(msg)
    if streets.crs is None or not streets.crs.is_projected:
        msg = (
            f"streets must be in a projected metric CRS (got {streets.crs}); "
            "reproject them, e.g. to EPSG:3006"
        )
        raise InputSchemaError(msg)
    picked = streets[_flag(streets, mode, default=True)]
    picked = picked[~(picked.geometry.isna() | picked.geometry.is_empty)]
    parts = picked.explode(index_parts=False)
    parts = parts[parts.geom_type == "LineString"]
    parts = parts[parts.geometry.length > 0].reset_index(drop=True)
    if len(parts) == 0:
        return None
    lines = parts.geometry.to_numpy()
    first = shapely.get_point(lines, 0)
    last = shapely.get_point(lines, -1)
    ends = np.vstack([shapely.get_coordinates(first), shapely.get_coordinates(last)])
    keys = np.round(ends / _NODE_TOLERANCE_M).astype(np.int64)
    uniq, inverse = np.unique(keys, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    node_xy = np.zeros((len(uniq), 2))
    node_xy[inverse] = ends
    n = len(lines)
    u, v = inverse[:n], inverse[n:]
    length = shapely.length(lines).astype(float)

    # components by street length: keep the ones long enough (or the longest)
    probe = nx.Graph()
    probe.add_nodes_from(range(len(node_xy)))
    probe.add_edges_from(zip(u.tolist(), v.tolist(), strict=True))
    comp_of_node = np.zeros(len(node_xy), dtype=np.int64)
    for label, nodes in enumerate(nx.connected_components(probe)):
        comp_of_node[list(nodes)] = label
    comp = comp_of_node[u]
    comp_len = np.bincount(comp, weights=length)
    keep_comp = comp_len >= min(min_component_m, float(comp_len.max()))
    keep = keep_comp[comp]
    if not keep.all():
        logger.info(
            "%s network: %d of %d lines in %d small components left out",
            mode,
            int((~keep).sum()),
            n,
            int((~keep_comp).sum()),
        )
    # renumber components by street length, longest first
    order = np.argsort(-comp_len, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    lines, u, v, length, comp = lines[keep], u[keep], v[keep], length[keep], rank[comp[keep]]
    parts = parts[keep].reset_index(drop=True)

    graph = nx.Graph()
    for i in np.argsort(length, kind="stable"):  # shortest first: parallel edges keep it
        a, b = int(u[i]), int(v[i])
        if a != b and not graph.has_edge(a, b):
            graph.add_edge(a, b, length=float(length[i]), edge=int(i))
    attributes = pd.DataFrame(
        {
            "name": _text(parts, "name"),
            "ref": _text(parts, "ref"),
            "highway": _text(parts, "highway"),
            "kind": _text(parts, "kind", "street"),
            "bridge": _flag(parts, "bridge", default=False),
            "tunnel": _flag(parts, "tunnel", default=False),
        }
    )
    return StreetNetwork(
        mode=mode,
        graph=graph,
        node_xy=node_xy,
        lines=lines,
        u=u.astype(np.int64),
        v=v.astype(np.int64),
        length_m=length,
        component=comp.astype(np.int64),
        attributes=attributes,
        tree=shapely.STRtree(lines),
    )


#: (id of the street frame, mode) -> (weak reference to the frame, its network or None)
_CACHE: dict[tuple[int, str], tuple[weakref.ref[Any], StreetNetwork | None]] = {}
_CACHE_LOCK = threading.Lock()


def network_of(geography: Any, mode: Mode = "walk") -> StreetNetwork | None:
    """The ``mode`` network of a geography's street layer, built once and cached.

    The cache is keyed by the street layer itself (held weakly), so a geography and its
    copies cut to a study area share one graph, and the graph goes when the layer goes.

    Parameters
    ----------
    geography
        A :class:`~hotspots.spatial.geography.Geography` (or anything with ``streets``).
    mode
        ``"walk"`` or ``"drive"``.

    Returns
    -------
    StreetNetwork or None
        ``None`` when the geography has no street layer (the demo geography) or no line of
        ``mode``.
    """
    streets = getattr(geography, "streets", None)
    if streets is None or len(streets) == 0:
        return None
    key = (id(streets), str(mode))
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
        if hit is not None and hit[0]() is streets:
            return hit[1]
    network = street_network(streets, mode=mode)
    with _CACHE_LOCK:
        for gone in [k for k, (ref, _) in _CACHE.items() if ref() is None]:
            del _CACHE[gone]
        _CACHE[key] = (weakref.ref(streets), network)
    return network


# ------------------------------------------------------------------------------------------
# Snapping and routing
# ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Snapped:
    """Points moved onto the nearest edge of a network.

    Attributes
    ----------
    xy
        ``(n, 2)`` points on the network, metres.
    edge
        Row of :attr:`StreetNetwork.lines` each point lies on.
    offset_m
        Distance along that line from its first vertex, metres.
    moved_m
        How far each point was moved, metres.
    component
        Connected component of each point's edge.
    """

    xy: np.ndarray
    edge: np.ndarray
    offset_m: np.ndarray
    moved_m: np.ndarray
    component: np.ndarray


def snap(network: StreetNetwork, xy: np.ndarray) -> Snapped:
    """Move each point to the nearest point of the nearest line of ``network``.

    Parameters
    ----------
    network
        The network.
    xy
        ``(n, 2)`` coordinates in the network's CRS, metres.

    Returns
    -------
    Snapped
    """
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    if len(xy) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Snapped(np.zeros((0, 2)), empty, np.zeros(0), np.zeros(0), empty)
    pts = shapely.points(xy)
    (ip, il), dist = network.tree.query_nearest(pts, return_distance=True, all_matches=False)
    order = np.argsort(ip, kind="stable")
    edge = np.asarray(il, dtype=np.int64)[order]
    lines = network.lines[edge]
    offset = shapely.line_locate_point(lines, pts)
    on = shapely.get_coordinates(shapely.line_interpolate_point(lines, offset))
    return Snapped(
        xy=on,
        edge=edge,
        offset_m=np.asarray(offset, dtype=float),
        moved_m=np.asarray(dist, dtype=float)[order],
        component=network.component[edge],
    )


@dataclass(frozen=True)
class Route:
    """A walking loop along the network.

    Attributes
    ----------
    line
        The loop as a LineString from the first stop through the others and back (a Point
        for a single stop); every vertex lies on a street. Metres. A loop that walks a
        street more than once (out to a stop and back) ends a micrometre short of its start:
        GEOS buffers an exactly closed line as a ring, and for such a loop that ring buffer
        lost half of a 100 m catchment; the open line buffers whole.
    length_m
        Length of the loop, metres: the sum of :attr:`leg_m`.
    walk_minutes
        Walking time at the speed asked for, minutes (stops not included).
    stops_xy
        ``(n, 2)`` the stops on the network, in visiting order.
    leg_m
        Length of each leg (stop ``i`` to stop ``i + 1``, the last back to the first), metres.
    moved_m
        How far each stop was moved onto the network, metres.
    """

    line: LineString | Point
    length_m: float
    walk_minutes: float
    stops_xy: np.ndarray
    leg_m: tuple[float, ...]
    moved_m: np.ndarray


def walk_minutes(length_m: float, walking_speed_kmh: float = DEFAULT_WALKING_SPEED_KMH) -> float:
    """Minutes to walk ``length_m`` metres at ``walking_speed_kmh``.

    Examples
    --------
    >>> walk_minutes(1500.0, 4.5)
    20.0
    """
    if not walking_speed_kmh > 0:
        msg = f"walking_speed_kmh must be a positive speed in km/h (got {walking_speed_kmh})"
        raise InputSchemaError(msg)
    return float(length_m) / (walking_speed_kmh * 1000.0 / 60.0)


def _ends(network: StreetNetwork, edge: int, offset: float) -> list[tuple[int, float, float]]:
    """The two ends of ``edge`` seen from a point at ``offset``: (node, distance, offset)."""
    length = float(network.length_m[edge])
    return [(int(network.u[edge]), offset, 0.0), (int(network.v[edge]), length - offset, length)]


def _piece(line: LineString, start: float, end: float) -> np.ndarray:
    """Coordinates of ``line`` from ``start`` to ``end`` metres along it (reversed: end < start)."""
    if abs(end - start) <= 1e-9:
        return np.zeros((0, 2))
    part = substring(line, start, end)
    return np.asarray(part.coords, dtype=float)[:, :2]


def _edge_coords(network: StreetNetwork, a: int, b: int) -> np.ndarray:
    """Coordinates of the graph edge from node ``a`` to node ``b``, in that direction."""
    i = int(network.graph.edges[a, b]["edge"])
    coords = np.asarray(network.lines[i].coords, dtype=float)[:, :2]
    return coords if int(network.u[i]) == a else coords[::-1]


def _leg(network: StreetNetwork, a: Snapped, i: int, j: int) -> tuple[float, list[np.ndarray]]:
    """Shortest walk from snapped point ``i`` to ``j``: its length and coordinate pieces."""
    ea, eb = int(a.edge[i]), int(a.edge[j])
    oa, ob = float(a.offset_m[i]), float(a.offset_m[j])
    best = np.inf
    pieces: list[np.ndarray] = []
    if ea == eb:  # along the shared edge
        best = abs(oa - ob)
        pieces = [_piece(network.lines[ea], oa, ob)]
    for na, da, at_a in _ends(network, ea, oa):
        for nb, db, at_b in _ends(network, eb, ob):
            if da + db >= best:
                continue
            if na == nb:
                dist, path = 0.0, [na]
            else:
                try:
                    dist, path = nx.bidirectional_dijkstra(network.graph, na, nb, weight="length")
                except (nx.NetworkXNoPath, nx.NodeNotFound):
                    continue
            total = da + float(dist) + db
            if total < best - 1e-9:
                best = total
                pieces = [_piece(network.lines[ea], oa, at_a)]
                pieces += [_edge_coords(network, p, q) for p, q in itertools.pairwise(path)]
                pieces.append(_piece(network.lines[eb], at_b, ob))
    if not np.isfinite(best):
        msg = (
            f"stops at {a.xy[i].round(1).tolist()} and {a.xy[j].round(1).tolist()} are not "
            "connected by the network; route each connected group of stops on its own"
        )
        raise InsufficientDataError(msg)
    return float(best), pieces


def _join(pieces: Sequence[np.ndarray], start: np.ndarray) -> np.ndarray:
    """One coordinate run from ``start`` through ``pieces``, without repeated points."""
    out = [np.asarray(start, dtype=float).reshape(1, 2)]
    for piece in pieces:
        if len(piece):
            out.append(piece)
    coords = np.vstack(out)
    step = np.hypot(*np.diff(coords, axis=0).T)
    keep = np.concatenate([[True], step > 1e-9])
    return coords[keep]


def route_loop(
    network: StreetNetwork,
    stops_xy: np.ndarray,
    *,
    walking_speed_kmh: float = DEFAULT_WALKING_SPEED_KMH,
) -> Route:
    """Walk from stop to stop in the order given and back to the first, along the network.

    Each stop is snapped onto the nearest line of ``network``; each leg is a shortest path
    (networkx bidirectional Dijkstra between the ends of the two stops' lines, or along one
    line when both lie on it).

    Parameters
    ----------
    network
        The walking network (:func:`network_of`).
    stops_xy
        ``(n, 2)`` stops in visiting order, metres, n >= 1.
    walking_speed_kmh
        Walking speed, km/h, for :attr:`Route.walk_minutes`.

    Returns
    -------
    Route

    Raises
    ------
    InsufficientDataError
        When two stops lie in different components of the network (group the stops by
        :attr:`Snapped.component` first).
    InputSchemaError
        When there is no stop, or the speed is not positive.
    """
    xy = np.asarray(stops_xy, dtype=float).reshape(-1, 2)
    if len(xy) == 0:
        msg = "a walking loop needs at least one stop"
        raise InputSchemaError(msg)
    walk_minutes(0.0, walking_speed_kmh)  # checks the speed
    at = snap(network, xy)
    if len(xy) == 1:
        return Route(
            line=Point(at.xy[0]),
            length_m=0.0,
            walk_minutes=0.0,
            stops_xy=at.xy,
            leg_m=(),
            moved_m=at.moved_m,
        )
    legs: list[float] = []
    pieces: list[np.ndarray] = []
    for i in range(len(xy)):
        dist, leg = _leg(network, at, i, (i + 1) % len(xy))
        legs.append(dist)
        pieces.extend(leg)
    coords = _join(pieces, at.xy[0])
    if len(coords) < 2:  # every stop at one place
        return Route(Point(at.xy[0]), 0.0, 0.0, at.xy, tuple(legs), at.moved_m)
    coords[-1] = coords[0]  # closed exactly
    line = LineString(coords)
    if not line.is_simple:  # see Route.line: end a micrometre short, along the last step
        back = coords[-2] - coords[-1]
        coords[-1] = coords[-1] + _OPEN_M * back / np.hypot(*back)
        line = LineString(coords)
    length = float(sum(legs))
    return Route(
        line=line,
        length_m=length,
        walk_minutes=walk_minutes(length, walking_speed_kmh),
        stops_xy=at.xy,
        leg_m=tuple(legs),
        moved_m=at.moved_m,
    )


# ------------------------------------------------------------------------------------------
# Where a car can be stopped
# ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Sites:
    """Points along drivable roads where a traffic check can stop cars.

    Attributes
    ----------
    xy
        ``(n, 2)`` points on the roads, metres.
    edge
        Row of the drive network's lines each point lies on.
    name, ref
        Street name and road number of that line (empty when none).
    highway
        Its OSM ``highway`` value (the road class: ``primary``, ``residential``, ...).
    kind
        Its road kind (``primary``, ``secondary``, ``street``).
    side_m
        Distance to the nearest side street (along the road to a junction with another
        drivable road) or lay-by/car park (straight), metres.
    """

    xy: np.ndarray
    edge: np.ndarray
    name: np.ndarray
    ref: np.ndarray
    highway: np.ndarray
    kind: np.ndarray
    side_m: np.ndarray


def safe_stop_sites(
    geography: Any,
    *,
    step_m: float = 40.0,
    side_street_m: float = 150.0,
    water: BaseGeometry | None = None,
) -> Sites | None:
    """Points every ``step_m`` along drivable roads where a car can be stopped safely.

    A road qualifies when it is not a bridge or a tunnel, not a motorway or trunk road
    (:data:`NO_STOP_HIGHWAYS`, or road kind ``motorway``), nor a ramp, service road or
    living street (:data:`NO_SITE_HIGHWAYS`), and the point is not over water; a point
    qualifies when a side street (a junction of three or more drivable roads other than
    motorways and trunk roads, service roads included, reached along the road) or a lay-by
    or car park (a place of kind ``car_park``, OSM ``amenity=parking``, in a straight line)
    lies within ``side_street_m``.

    Parameters
    ----------
    geography
        A :class:`~hotspots.spatial.geography.Geography` with a street layer.
    step_m
        Spacing of the points along each road, metres.
    side_street_m
        Farthest side street or lay-by, metres.
    water
        Water to keep clear of (3 m); the geography's water by default.

    Returns
    -------
    Sites or None
        ``None`` when the geography has no drivable network (then callers site checks on its
        roads layer as before).
    """
    network = network_of(geography, "drive")
    if network is None:
        return None
    attrs = network.attributes
    highway = attrs["highway"].astype(str).to_numpy()
    no_stop = np.isin(highway, list(NO_STOP_HIGHWAYS)) | (attrs["kind"].to_numpy() == "motorway")
    no_site = no_stop | np.isin(highway, list(NO_SITE_HIGHWAYS))
    ok_edge = ~(no_site | attrs["bridge"].to_numpy(bool) | attrs["tunnel"].to_numpy(bool))

    # side streets: junctions of 3+ drivable edges that are not motorway/trunk
    ordinary = ~no_stop & (network.u != network.v)
    degree = np.bincount(
        np.concatenate([network.u[ordinary], network.v[ordinary]]),
        minlength=len(network.node_xy),
    )
    junctions = np.flatnonzero(degree >= 3).tolist()
    to_junction: dict[int, float] = {}
    if junctions:
        to_junction = nx.multi_source_dijkstra_path_length(
            network.graph, junctions, cutoff=side_street_m, weight="length"
        )

    # samples along the qualifying edges
    edges = np.flatnonzero(ok_edge)
    offs: list[np.ndarray] = []
    for i in edges:
        length = float(network.length_m[i])
        d = np.arange(step_m / 2.0, length, step_m)
        offs.append(d if len(d) else np.array([length / 2.0]))
    if not offs:
        return _no_sites()
    counts = np.array([len(d) for d in offs])
    edge = np.repeat(edges, counts)
    offset = np.concatenate(offs)
    xy = shapely.get_coordinates(shapely.line_interpolate_point(network.lines[edge], offset))

    length = network.length_m[edge]
    du = np.array([to_junction.get(int(n), np.inf) for n in network.u[edge]]) + offset
    dv = np.array([to_junction.get(int(n), np.inf) for n in network.v[edge]]) + length - offset
    side = np.minimum(du, dv)
    places = getattr(geography, "places", None)
    if places is not None and len(places) and "kind" in places:
        parks = places[places["kind"].astype(str) == "car_park"].geometry.to_numpy()
        if len(parks):
            tree = shapely.STRtree(parks)
            (ip, _), dist = tree.query_nearest(
                shapely.points(xy), max_distance=side_street_m, return_distance=True
            )
            near = np.full(len(xy), np.inf)
            np.minimum.at(near, ip, dist)
            side = np.minimum(side, near)
    keep = side <= side_street_m
    wet = water if water is not None else getattr(geography, "water", None)
    if wet is not None and not wet.is_empty:
        zone = wet.buffer(3.0)
        shapely.prepare(zone)
        keep &= ~np.asarray(shapely.contains_xy(zone, xy[:, 0], xy[:, 1]), dtype=bool)
    edge, xy, side = edge[keep], xy[keep], side[keep]
    return Sites(
        xy=xy,
        edge=edge,
        name=attrs["name"].to_numpy(dtype=object)[edge],
        ref=attrs["ref"].to_numpy(dtype=object)[edge],
        highway=highway[edge],
        kind=attrs["kind"].astype(str).to_numpy()[edge],
        side_m=side,
    )


def _no_sites() -> Sites:
    empty = np.zeros(0, dtype=object)
    return Sites(
        xy=np.zeros((0, 2)),
        edge=np.zeros(0, dtype=np.int64),
        name=empty,
        ref=empty,
        highway=empty,
        kind=empty,
        side_m=np.zeros(0),
    )
