"""The audit log: who logged in, looked at and exported what, imported, changed what.

Brottsdatalagen (2018:1177) asks for a log of access to personal data.

Entries are appended to the store's ``audit`` table, each hash-chained to the one before, so
an edited or deleted entry is found by :func:`verify`. Retention (:func:`apply_retention`)
deletes entries older than a number of months and logs that it did.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from typing import Any

import pandas as pd

from hotspots.store import StoreRef, open_store
from hotspots.store._audit import first_break

__all__ = ["apply_retention", "log_event", "verify"]

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
