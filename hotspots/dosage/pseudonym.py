"""Keyed pseudonyms for officer and unit ids (HMAC-SHA256), and the key they are made with.

A GPS track says where a named officer was, minute by minute; the store keeps no names. On
import every unit and officer id is replaced by ``HMAC-SHA256(key, kind + id)``, cut to 16 hex
digits (64 bits, so two ids of one police region never share a pseudonym in practice) and
prefixed ``U-`` (unit) or ``P-`` (person). The same id and key always give the same pseudonym,
so tracks of one unit imported on different days join up; without the key the pseudonym
cannot be turned back into the id (HMAC is a pseudo-random function of the key), and a
different key gives unrelated pseudonyms.

The key never enters the data. It comes from ``--key-file FILE`` (the file's text, stripped)
or the environment variable :data:`KEY_ENV`; only a *key id* (an HMAC of a fixed text, which
reveals nothing of the key) is stored, so that an import with another key is refused instead
of silently splitting a unit into two.

Ids are compared after stripping, collapsing inner white space and upper-casing
(``"patrull 2010 "`` and ``"PATRULL 2010"`` are one unit).

References
----------
Krawczyk, H., Bellare, M. & Canetti, R. (1997). HMAC: Keyed-hashing for message
authentication. RFC 2104.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import secrets
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from hotspots.core.errors import InputSchemaError

__all__ = [
    "KEY_ENV",
    "MIN_KEY_CHARS",
    "IdKind",
    "MissingKeyError",
    "PseudonymKey",
    "load_key",
    "normalise_id",
    "pseudonymise",
    "write_new_key",
]

logger = logging.getLogger(__name__)

#: Environment variable holding the key itself (``--key-file`` wins over it).
KEY_ENV = "HOTSPOTS_TRACKS_KEY"
#: Shortest key accepted, characters (a 32-character key from :func:`write_new_key` has 128
#: bits even as hex; it writes 64).
MIN_KEY_CHARS = 32
#: Hex digits kept of each pseudonym.
_DIGITS = 16
_PREFIX: dict[str, str] = {"unit": "U-", "officer": "P-"}
_KEY_ID_TEXT = b"hotspots pseudonym key id v1"
_SPACES = re.compile(r"\s+")

IdKind = Literal["unit", "officer"]

_HOW = (
    "create one with `hotspots tracks keygen ~/.config/hotspots/tracks.key` and give "
    "--key-file ~/.config/hotspots/tracks.key (or put the key itself in "
    f"${KEY_ENV}); keep the file outside the store and use the same key for every import"
)


class MissingKeyError(InputSchemaError):
    """No pseudonymisation key was given, or it is too short or unreadable."""


@dataclass(frozen=True, slots=True)
class PseudonymKey:
    """A pseudonymisation key (its secret is never shown by ``repr``).

    Attributes
    ----------
    secret
        The key bytes.
    source
        Where it came from (a file path or the environment variable), for messages.
    """

    secret: bytes = field(repr=False)
    source: str = ""

    @property
    def key_id(self) -> str:
        """An id of the key (12 hex digits) that can be stored: it reveals nothing of the key."""
        return hmac.new(self.secret, _KEY_ID_TEXT, hashlib.sha256).hexdigest()[:12]


def _check(text: str, source: str) -> PseudonymKey:
    key = text.strip()
    if len(key) < MIN_KEY_CHARS:
        msg = (
            f"the pseudonymisation key in {source} has {len(key)} characters; it needs at "
            f"least {MIN_KEY_CHARS}: {_HOW}"
        )
        raise MissingKeyError(msg)
    return PseudonymKey(secret=key.encode("utf-8"), source=source)


def load_key(
    key_file: Path | None = None, *, environ: Mapping[str, str] | None = None
) -> PseudonymKey:
    """The key of ``--key-file``, else of the environment variable :data:`KEY_ENV`.

    Parameters
    ----------
    key_file
        A text file holding the key (see :func:`write_new_key`).
    environ
        The environment to read; default ``os.environ``.

    Returns
    -------
    PseudonymKey
        The key.

    Raises
    ------
    MissingKeyError
        When neither is given, the file cannot be read, or the key is shorter than
        :data:`MIN_KEY_CHARS`; the message says how to create one.
    """
    env = os.environ if environ is None else environ
    if key_file is not None:
        path = Path(key_file).expanduser()
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            msg = f"--key-file: cannot read {path} ({exc.__class__.__name__}); {_HOW}"
            raise MissingKeyError(msg) from exc
        try:
            mode = path.stat().st_mode
        except OSError:  # pragma: no cover - it was just read
            mode = 0
        if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
            logger.warning("%s can be read by other users; chmod 600 %s", path, path)
        return _check(text, str(path))
    text = env.get(KEY_ENV, "")
    if not text.strip():
        msg = f"tracks are pseudonymised on import and no key was given: {_HOW}"
        raise MissingKeyError(msg)
    return _check(text, f"${KEY_ENV}")


def write_new_key(path: Path) -> Path:
    """Write a new random key (64 hex digits, 256 bits) to ``path``, readable by its owner only.

    Raises
    ------
    InputSchemaError
        When ``path`` exists (a key is never overwritten: the pseudonyms made with it would
        no longer match).
    """
    path = Path(path).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        msg = f"{path} exists; a key is never overwritten (pseudonyms made with it would change)"
        raise InputSchemaError(msg) from exc
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(secrets.token_hex(32) + "\n")
    return path


def normalise_id(value: str) -> str:
    """``value`` stripped, inner white space collapsed to one space, upper-cased."""
    return _SPACES.sub(" ", str(value)).strip().upper()


def pseudonymise(values: Iterable[str], key: PseudonymKey, *, kind: IdKind) -> list[str]:
    """The pseudonym of each id: ``U-``/``P-`` and 16 hex digits of HMAC-SHA256.

    Parameters
    ----------
    values
        Unit or officer ids as written (see :func:`normalise_id`).
    key
        The key.
    kind
        ``"unit"`` or ``"officer"``: the same text gives different pseudonyms as a unit and
        as an officer.

    Returns
    -------
    list of str
        One pseudonym per value, in order (each distinct id is hashed once).
    """
    if kind not in _PREFIX:
        msg = f"kind: {kind!r} is not an id kind; use unit or officer"
        raise InputSchemaError(msg)
    prefix = _PREFIX[kind]
    tag = kind.encode("ascii") + b"\x00"
    done: dict[str, str] = {}
    out: list[str] = []
    for value in values:
        pseudo = done.get(value)
        if pseudo is None:
            digest = hmac.new(
                key.secret, tag + normalise_id(value).encode("utf-8"), hashlib.sha256
            ).hexdigest()
            pseudo = done[value] = prefix + digest[:_DIGITS]
        out.append(pseudo)
    return out
