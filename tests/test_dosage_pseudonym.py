"""Keyed pseudonyms: stable with one key, unrelated with another, not an unkeyed hash."""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
from pathlib import Path

import pytest

from hotspots.core.errors import InputSchemaError
from hotspots.dosage.pseudonym import (
    KEY_ENV,
    MissingKeyError,
    PseudonymKey,
    load_key,
    normalise_id,
    pseudonymise,
    write_new_key,
)

KEY = PseudonymKey(secret=b"k" * 40)
OTHER = PseudonymKey(secret=b"j" * 40)


def test_pseudonym_is_hmac_sha256_of_kind_and_normalised_id() -> None:
    # golden: HMAC-SHA256(key, b"unit\x00" + "PATRULL 2010"), first 16 hex digits
    expected = "U-" + hmac.new(b"k" * 40, b"unit\x00PATRULL 2010", hashlib.sha256).hexdigest()[:16]
    assert pseudonymise(["Patrull 2010"], KEY, kind="unit") == [expected]


def test_pseudonyms_are_stable_and_normalised() -> None:
    a = pseudonymise(["Patrull 2010", " patrull   2010 ", "PATRULL 2010"], KEY, kind="unit")
    assert len(set(a)) == 1
    assert pseudonymise(["Patrull 2010"], KEY, kind="unit") == a[:1]  # a second call
    assert normalise_id("  a\tb  c ") == "A B C"


def test_a_different_key_gives_unrelated_pseudonyms() -> None:
    ids = [f"Patrull {n}" for n in range(2000, 2100)]
    mine = pseudonymise(ids, KEY, kind="unit")
    theirs = pseudonymise(ids, OTHER, kind="unit")
    assert not set(mine) & set(theirs)
    assert len(set(mine)) == len(ids)


def test_not_reversible_without_the_key() -> None:
    """Someone with the pseudonym and a list of every possible id, but not the key, cannot
    find the id: neither the unkeyed hash nor another key's pseudonyms lead back to it."""
    ids = [f"Patrull {n}" for n in range(1000, 3000)]
    target = pseudonymise(["Patrull 2010"], KEY, kind="unit")[0]
    assert "2010" not in target
    unkeyed = {"U-" + hashlib.sha256(normalise_id(i).encode()).hexdigest()[:16] for i in ids}
    unkeyed |= {"U-" + hashlib.sha256(i.encode()).hexdigest()[:16] for i in ids}
    assert target not in unkeyed
    for guess in (b"", b"hotspots", b"k" * 39, b"K" * 40):
        attempt = pseudonymise(ids, PseudonymKey(secret=guess), kind="unit")
        assert target not in attempt
    # with the key, the dictionary finds it: the key is what protects the id
    assert pseudonymise(ids, KEY, kind="unit").index(target) == ids.index("Patrull 2010")


def test_unit_and_officer_of_the_same_text_differ() -> None:
    unit = pseudonymise(["A123"], KEY, kind="unit")[0]
    officer = pseudonymise(["A123"], KEY, kind="officer")[0]
    assert unit.startswith("U-")
    assert officer.startswith("P-")
    assert unit[2:] != officer[2:]
    with pytest.raises(InputSchemaError, match="unit or officer"):
        pseudonymise(["x"], KEY, kind="vehicle")  # type: ignore[arg-type]


def test_key_id_is_stable_and_reveals_nothing_of_the_key() -> None:
    assert KEY.key_id == PseudonymKey(secret=b"k" * 40).key_id
    assert KEY.key_id != OTHER.key_id
    assert "k" * 4 not in KEY.key_id
    assert "kkkk" not in repr(KEY)


def test_no_key_is_refused_with_how_to_create_one() -> None:
    with pytest.raises(MissingKeyError, match="hotspots tracks keygen") as info:
        load_key(None, environ={})
    assert KEY_ENV in str(info.value)


def test_key_from_environment_and_file(tmp_path: Path) -> None:
    env_key = load_key(None, environ={KEY_ENV: "e" * 32})
    assert env_key.secret == b"e" * 32
    path = tmp_path / "k.key"
    path.write_text("f" * 40 + "\n", encoding="utf-8")
    path.chmod(0o600)
    file_key = load_key(path, environ={KEY_ENV: "e" * 32})  # the file wins
    assert file_key.secret == b"f" * 40
    assert file_key.source == str(path)


def test_short_or_unreadable_keys_are_refused(tmp_path: Path) -> None:
    with pytest.raises(MissingKeyError, match="at least 32"):
        load_key(None, environ={KEY_ENV: "short"})
    with pytest.raises(MissingKeyError, match="cannot read"):
        load_key(tmp_path / "absent.key", environ={})


def test_keygen_writes_a_private_key_and_never_overwrites(tmp_path: Path) -> None:
    path = write_new_key(tmp_path / "sub" / "tracks.key")
    text = path.read_text(encoding="utf-8").strip()
    assert len(text) == 64
    int(text, 16)  # hex
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_key(path, environ={}).secret == text.encode()
    with pytest.raises(InputSchemaError, match="never overwritten"):
        write_new_key(path)
    assert path.read_text(encoding="utf-8").strip() == text
