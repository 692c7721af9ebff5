"""The audit log: who logged in, looked at and exported what, imported, changed what.

Brottsdatalagen (2018:1177) asks for a log of access to personal data.

Entries are appended to the store's ``audit`` table, each hash-chained to the one before, so
an edited or deleted entry is found by :func:`verify`. Retention (:func:`apply_retention`)
deletes entries older than a number of months and logs that it did.
"""

from __future__ import annotations

import atexit
import datetime as dt
import logging
import threading
import time
from collections.abc import Mapping
from typing import Any

import pandas as pd

from hotspots.core.errors import HotspotsError
from hotspots.store import StoreRef, open_store
from hotspots.store._audit import first_break
from hotspots.store.base import utc_now_text

__all__ = ["AuditWriter", "apply_retention", "log_event", "verify"]

logger = logging.getLogger(__name__)


def log_event(
    store: StoreRef, user: str, event: str, detail: Mapping[str, Any] | None = None
) -> int:
    """Append one event; returns its ``seq``."""
    return open_store(store).append_audit([{"user": user, "event": event, "detail": detail or {}}])[
        0
    ]


def verify(store: StoreRef) -> tuple[int, str] | None:
    """The first broken entry (``seq``, reason) of the log, or ``None`` when it is intact."""
    frame: pd.DataFrame = open_store(store).audit_log()
    return first_break(frame.to_dict("records"))


def apply_retention(
    store: StoreRef, *, months: int, user: str = "", now: dt.datetime | None = None
) -> int:
    """Delete entries older than ``months`` months (30.44 days each); the deletion is logged.

    Returns
    -------
    int
        Entries deleted.
    """
    if months < 1:
        msg = f"retention: months must be 1 or more (got {months})"
        raise ValueError(msg)
    moment = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    cutoff = moment - dt.timedelta(days=30.44 * months)
    before = cutoff.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    deleted = open_store(store).prune_audit(before=before, user=user)
    logger.info("audit retention: %d entries before %s deleted", deleted, before)
    return deleted


class AuditWriter:
    """Appends events to the audit log from a background thread, so a page never waits.

    A page view must not wait for an import that holds the store's write lock, and must not
    be lost because of it either: events queue in memory and a daemon thread appends them in
    order, in batches, retrying while the store is busy or unreachable. :meth:`flush` waits
    until everything queued is written (called at exit and by tests). Events are lost only
    if the process is killed outright before they were written.

    Parameters
    ----------
    store
        The store whose ``audit`` table gets the events.
    retry_s
        Seconds between attempts while the store refuses the write.
    """

    def __init__(self, store: StoreRef, *, retry_s: float = 2.0) -> None:
        self.store = store
        self.retry_s = retry_s
        self._pending: list[dict[str, Any]] = []
        self._cond = threading.Condition()
        self._busy = False
        self._thread = threading.Thread(target=self._run, name="hotspots-audit", daemon=True)
        self._thread.start()
        atexit.register(self.flush, timeout_s=10.0)

    def log(self, user: str, event: str, detail: Mapping[str, Any] | None = None) -> None:
        """Queue one event with the time it happened (UTC)."""
        record = {"user": user, "event": event, "detail": dict(detail or {}), "at": utc_now_text()}
        with self._cond:
            self._pending.append(record)
            self._cond.notify_all()

    def flush(self, timeout_s: float = 60.0) -> bool:
        """Wait until every queued event is written; ``False`` after ``timeout_s`` seconds."""
        deadline = time.monotonic() + timeout_s
        with self._cond:
            while self._pending or self._busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(timeout=min(left, 0.1))
        return True

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._pending:
                    self._cond.wait()
                batch, self._pending = self._pending, []
                self._busy = True
            while True:
                try:
                    open_store(self.store).append_audit(batch)
                    break
                except HotspotsError as exc:  # busy or unreachable: keep the events, retry
                    logger.warning("audit log: %s; retrying in %.0f s", exc, self.retry_s)
                    time.sleep(self.retry_s)
                except Exception:  # a writer thread that dies would lose the log
                    logger.exception("audit log: unexpected error; retrying")
                    time.sleep(self.retry_s)
            with self._cond:
                self._busy = False
                self._cond.notify_all()
