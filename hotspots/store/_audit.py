"""The audit log's hash chain: each entry's hash covers the entry before it.

An edited or deleted entry breaks the chain at that point; :func:`first_break` finds it.
Retention (deleting entries older than N months) is itself an entry, which records the hash
of the last entry it deleted (its ``anchor``) so that the shortened chain still verifies.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["GENESIS", "entry_hash", "first_break"]

#: ``prev_hash`` of the first entry of a log.
GENESIS = "0" * 64


def entry_hash(  # noqa: PLR0917 - the entry's fields, in the order they are hashed
    prev_hash: str, seq: int, at: str, user: str, event: str, detail: str
) -> str:
    """The sha256 (hex) of an entry: its fields and the hash of the entry before it."""
    payload = json.dumps(
        [prev_hash, int(seq), at, user, event, detail], ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def first_break(entries: Iterable[Mapping[str, Any]]) -> tuple[int, str] | None:
    """The first entry (``seq``, reason) where the chain is broken, or ``None`` when sound.

    ``entries`` in ``seq`` order. The first entry must follow the genesis or an anchor that a
    later ``audit_retention`` entry records.
    """
    rows = list(entries)
    if not rows:
        return None
    anchors = {GENESIS}
    for row in rows:
        if row["event"] == "audit_retention":
            anchor = json.loads(row["detail"] or "{}").get("anchor")
            if anchor:
                anchors.add(str(anchor))
    prev: str | None = None
    prev_seq: int | None = None
    for row in rows:
        seq = int(row["seq"])
        if prev is None:
            if row["prev_hash"] not in anchors:
                return seq, "the first entry does not follow the start or a recorded retention"
        elif row["prev_hash"] != prev:
            return seq, f"prev_hash does not match the hash of entry {prev_seq}"
        elif prev_seq is not None and seq != prev_seq + 1:
            return seq, f"entries {prev_seq + 1}..{seq - 1} are missing"
        expected = entry_hash(
            row["prev_hash"], seq, row["at"], row["user"] or "", row["event"], row["detail"] or ""
        )
        if expected != row["hash"]:
            return seq, "the entry was changed after it was written (its hash does not match)"
        prev, prev_seq = row["hash"], seq
    return None
