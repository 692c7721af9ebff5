"""Shared fixtures: tiny EPSG:3006 frames, a seeded rng, the shared real data, a temp store,
a throwaway PostgreSQL/PostGIS server so store tests run against both backends, the demo store
made once per session, a ``hotspots app`` for tests that only look, and chromium (with
tests/app_server.py); the slowest modules are collected first (for parallel runs)."""

from __future__ import annotations

import atexit
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from app_server import (
    CHROMIUM,
    CHROMIUM_ARGS,
    NO_CHROMIUM,
    AppServer,
    copy_store,
    running_app,
)

from hotspots.core.schema import INCIDENT_COLUMNS, TIMEZONE
from hotspots.store.pg_cluster import PgServer, PgUnavailableError, find_pg, pg_base_dir

#: ../shared/data beside the project (read-only real data; absent on some machines).
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(12345)


@pytest.fixture
def shared_data() -> Path:
    """The shared real data folder; skips the test when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data not found at {SHARED_DATA} (../shared/data is absent here)")
    return SHARED_DATA


@pytest.fixture
def tmp_db(tmp_path: Path) -> Path:
    """Path of a store that does not exist yet."""
    return tmp_path / "store.gpkg"


@pytest.fixture
def make_incidents() -> Callable[..., gpd.GeoDataFrame]:
    """Build an incident frame in EPSG:3006 from x, y (metres), times and categories."""

    def _make(
        x: np.ndarray,
        y: np.ndarray,
        *,
        times: pd.DatetimeIndex | list[str] | None = None,
        categories: list[str] | str = "assault_public",
        crs: str = "EPSG:3006",
    ) -> gpd.GeoDataFrame:
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        n = len(x)
        if times is None:
            times = pd.date_range("2026-01-05 22:00", periods=n, freq="7D", tz=TIMEZONE)
        t = pd.DatetimeIndex(pd.to_datetime(times))
        if t.tz is None:
            t = t.tz_localize(TIMEZONE)
        cats = [categories] * n if isinstance(categories, str) else list(categories)
        frame = pd.DataFrame(
            {
                "id": [f"t{i}" for i in range(n)],
                "occurred_at": t.tz_convert(TIMEZONE),
                "occurred_until": pd.Series(pd.DatetimeIndex([pd.NaT] * n).tz_localize(TIMEZONE)),
                "time_precision": "exact",
                "category": cats,
                "source_category": cats,
                "precision": "exact",
                "source": "polis",
                "description": "",
                "import_id": "fixture",
                "source_id": None,
            }
        )
        for col, dtype in INCIDENT_COLUMNS.items():
            frame[col] = frame[col].astype(dtype)
        return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(x, y), crs=crs)

    return _make


@pytest.fixture
def lattice_points() -> np.ndarray:
    """An esda-style six-point fixture in EPSG:3006 metres around Stora torget, Karlstad
    (59.3806 N, 13.5025 E = E 414 921, N 6 583 390)."""
    return np.array(
        [
            (414_900.0, 6_583_400.0),
            (414_950.0, 6_583_400.0),
            (415_000.0, 6_583_450.0),
            (414_900.0, 6_583_500.0),
            (415_100.0, 6_583_500.0),
            (415_200.0, 6_583_600.0),
        ]
    )


# --- PostgreSQL + PostGIS: one throwaway cluster per pytest session ---------------------------
#
# ``pg_server`` starts a private cluster (initdb in a temporary directory, 127.0.0.1 on a free
# port, trust auth, durability off for speed) with a template database that has PostGIS;
# ``pg_url`` gives each test a fresh database copied from that template; ``store_db`` runs a
# store test once per backend. Where PostgreSQL or PostGIS is missing the tests skip, except
# under CI=true, where they fail: CI installs both (scripts/test.sh), so a skip there would
# hide a broken install. The cluster itself is hotspots.store.pg_cluster (benchmarks use it).


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def _pg_unavailable(reason: str) -> NoReturn:
    """Skip (fail under CI=true) because PostgreSQL/PostGIS cannot be used here."""
    if _in_ci():
        pytest.fail(
            f"{reason}\nCI=true: PostgreSQL/PostGIS must work on the CI machine (scripts/test.sh "
            "installs them as root); failing instead of skipping so a broken install is not "
            "hidden.",
            pytrace=False,
        )
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A throwaway PostgreSQL + PostGIS cluster for the whole session.

    Skips when PostgreSQL or PostGIS is missing (fails under CI=true). The server is stopped
    at the end of the session, and from an atexit handler should pytest die first.
    """
    try:
        server = PgServer(install=find_pg(), base=pg_base_dir())
    except PgUnavailableError as exc:
        _pg_unavailable(str(exc))
    atexit.register(server.stop)
    try:
        try:
            server.start()
        except PgUnavailableError as exc:
            _pg_unavailable(str(exc))
        yield server
    finally:
        server.stop()
        atexit.unregister(server.stop)


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """URL of a fresh database with PostGIS and no tables of its own; dropped afterwards."""
    name = pg_server.create_database()
    try:
        yield pg_server.url(name)
    finally:
        pg_server.drop_database(name)


@pytest.fixture(params=["gpkg", "postgis"], ids=["gpkg", "postgis"])
def store_db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A store that does not exist yet, once per backend: a GeoPackage path or a PostGIS URL."""
    if request.param == "gpkg":
        return str(tmp_path / "store.gpkg")
    return str(request.getfixturevalue("pg_url"))


#: Test modules that take a minute or more (real servers, browsers and processes; measured
#: with ``--durations``), run first: a parallel run (``-n 2 --dist loadfile``, as
#: scripts/test.sh runs the suite) then ends with short modules on both workers, not with one
#: of these running alone. The order of the other modules is kept.
SLOW_MODULES = (
    "test_store_concurrency.py",
    "test_app_auth.py",
    "test_journeys.py",
    "test_app_followup.py",
    "test_packaging.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark tests that need PostgreSQL ``postgres`` (so ``-m "not postgres"`` leaves them out);
    put the modules of :data:`SLOW_MODULES` first."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        postgis_param = callspec is not None and callspec.params.get("store_db") == "postgis"
        if postgis_param or "pg_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgres)
    rank = {name: k for k, name in enumerate(SLOW_MODULES)}
    items.sort(key=lambda item: rank.get(item.path.name, len(SLOW_MODULES)))  # stable


# --- the synthetic town of the privacy, map and export tests ---------------------------------


@pytest.fixture(scope="session")
def town_incidents() -> gpd.GeoDataFrame:
    """The incidents of the synthetic town (tests/privacy_town.py), one frame per session.

    Planted clusters in Örebro, a restricted category, a lone robbery far from the rest, and a
    script in every description; shared, so a test must not change it.
    """
    from privacy_town import incidents  # imported on first use: it builds the town

    return incidents()  # type: ignore[return-value]


# --- the app (AppTest) ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def app_script() -> Path:
    """The Streamlit entry script, app.py, for ``AppTest.from_file``."""
    return Path(__file__).resolve().parents[1] / "app.py"


def _make_app_store(path: Path) -> Path:
    """A small store in Örebro (outside the demo geography): a violence cluster at night, a
    drug cluster by day, a restricted cluster, background; descriptions hold a script."""
    from hotspots.core.config import HourWindow
    from hotspots.demo.synthetic import PlantedCluster, planted_incidents
    from hotspots.store import open_store

    x0, y0 = 514_000.0, 6_570_000.0
    clusters = [
        PlantedCluster(x0 + 600.0, y0 + 400.0, radius_m=60.0, n=80, category="assault_public"),
        PlantedCluster(
            x0 + 2600.0, y0 + 2200.0, radius_m=60.0, n=80, hours=HourWindow(13, 18),
            weekdays=(0, 1, 2, 3, 4), category="drug_dealing",
        ),
        PlantedCluster(x0 + 1500.0, y0 + 2800.0, radius_m=50.0, n=20, category="sexual_offence"),
    ]  # fmt: skip
    frame = planted_incidents(
        clusters,
        background_n=300,
        bounds=(x0, y0, x0 + 3000.0, y0 + 3000.0),
        days=364,
        seed=7,
        background_categories=["disorder", "vandalism", "assault_public", "drug_use"],
    )
    frame["description"] = pd.array(
        ['<script>alert("x")</script> ${1+1}'] * len(frame), dtype="string"
    )
    open_store(path).upsert_incidents(frame, provenance={"file_name": "synthetic.csv"})
    return path


@pytest.fixture(scope="session")
def make_app_store() -> Callable[[Path], Path]:
    """Build the app tests' store (see :func:`_make_app_store`) at a path; returns the path."""
    return _make_app_store


# --- real servers, the demo store and the browser (tests/app_server.py) ----------------------
#
# Making the demo store, starting ``hotspots app`` and launching chromium each cost seconds;
# the demo store is made once per session and copied, a server runs once per set of settings,
# and chromium is launched once per session (each test opens a context of its own).


class _Chromium:
    """Debian's chromium driven by Playwright's sync API, launched on first use.

    Kept open from one test module to the next while the next one uses it; closed before a
    module that does not (:func:`pytest_runtest_teardown`): while Playwright's sync API runs,
    this thread's asyncio loop counts as running, and ``asyncio.run`` in another test fails.
    """

    def __init__(self) -> None:
        self._playwright: Any = None
        self._browser: Any = None

    def get(self) -> Any:
        """The browser, launched now if it is not running."""
        if self._browser is None:
            if not CHROMIUM.exists():
                pytest.skip(NO_CHROMIUM)
            sync_api = pytest.importorskip("playwright.sync_api")
            self._playwright = sync_api.sync_playwright().start()
            self._browser = self._playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
            )
        return self._browser

    def close(self) -> None:
        """Close the browser and stop Playwright (nothing when it is not running)."""
        if self._browser is not None:
            try:
                self._browser.close()
            finally:
                self._playwright.stop()
                self._browser = self._playwright = None


_CHROMIUM = _Chromium()


@pytest.fixture(scope="module")
def browser() -> Any:
    """Headless chromium (Debian's, via Playwright), shared by consecutive test modules.

    A test opens its own context (``browser.new_context``) or page and closes it. Skips where
    chromium or Playwright is absent.
    """
    return _CHROMIUM.get()


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    """After a module's last test (its fixtures torn down), close chromium unless the next
    module uses it too."""
    if nextitem is not None and nextitem.module is item.module:  # type: ignore[attr-defined]
        return
    if nextitem is None or "browser" not in getattr(nextitem, "fixturenames", ()):
        _CHROMIUM.close()


@pytest.fixture(scope="session")
def demo_store_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo store (:func:`hotspots.demo.store.load_demo`, default seed, data to last week),
    made once per session, as ``ensure_demo_store`` makes it. Never written to: a test copies
    it (:func:`app_server.copy_store`, or the ``demo_store`` fixture)."""
    from hotspots.demo.store import load_demo

    folder = tmp_path_factory.mktemp("demo-template")
    db = folder / "store.gpkg"
    load_demo(db, out_dir=folder / "demo")
    return db


@pytest.fixture(scope="session")
def tuned_demo_store_template(
    tmp_path_factory: pytest.TempPathFactory, demo_store_template: Path
) -> Path:
    """The demo store with its tuning file holding the opening map's bandwidth, as
    ``hotspots app`` leaves it after its first start; once per session, never written to."""
    from hotspots.cli.app_cmd import prepare_opening_bandwidth

    db = copy_store(demo_store_template, tmp_path_factory.mktemp("tuned-demo-template"))
    prepare_opening_bandwidth(db)
    return db


@pytest.fixture
def demo_store(tmp_path: Path, demo_store_template: Path) -> Path:
    """A copy of the demo store of this test's own: ``tmp_path / "store.gpkg"``."""
    return copy_store(demo_store_template, tmp_path)


@pytest.fixture(scope="session")
def demo_app(
    tmp_path_factory: pytest.TempPathFactory, tuned_demo_store_template: Path
) -> Iterator[AppServer]:
    """``hotspots app`` on a copy of the tuned demo store (no accounts), for the session.

    For tests that only look: none may write to its store (import, actions, accounts).
    """
    db = copy_store(tuned_demo_store_template, tmp_path_factory.mktemp("demo-app"))
    with running_app(db) as server:
        yield server


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Chromium is closed however the session ends (an interrupted run included)."""
    _CHROMIUM.close()
