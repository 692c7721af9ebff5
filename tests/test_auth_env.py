"""What ``hotspots app`` hands the server for logins is what the server reads (one set of names)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotspots.access import auth_env
from hotspots.access.accounts import add_user
from hotspots.app.serving import ServingSettings
from hotspots.cli.app_cmd import auth_environment
from hotspots.store import open_store


def test_the_server_reads_the_proxy_settings_the_command_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(tmp_path / "s.gpkg")
    monkeypatch.setenv("HOTSPOTS_DB", str(tmp_path / "s.gpkg"))
    env = auth_environment(
        store,
        host="0.0.0.0",
        auth="proxy",
        session_minutes=12.5,
        proxy_roles=["polis-analys=analytiker", "polis-est=est"],
        proxy_headers=("X-Remote-User", "X-Remote-Groups"),
    )
    assert set(env) == {
        auth_env.AUTH_ENV,
        auth_env.SESSION_MINUTES_ENV,
        auth_env.PROXY_ROLES_ENV,
        auth_env.PROXY_USER_HEADER_ENV,
        auth_env.PROXY_GROUPS_HEADER_ENV,
    }
    settings = ServingSettings.from_environ(env)
    assert settings.mode == "proxy"
    assert settings.idle_minutes == 12.5
    assert settings.proxy_user_header == "x-remote-user"
    assert settings.proxy_groups_header == "x-remote-groups"
    assert settings.proxy_roles == {"polis-analys": "analytiker", "polis-est": "est"}
    assert settings.store == tmp_path / "s.gpkg"


def test_accounts_are_the_default_once_the_store_has_one(tmp_path: Path) -> None:
    store = open_store(tmp_path / "s.gpkg")
    add_user(store, "anna", "admin", "ett långt lösenord 1")
    env = auth_environment(
        store,
        host="127.0.0.1",
        auth=None,
        session_minutes=30,
        proxy_roles=[],
        proxy_headers=("X-Forwarded-User", "X-Forwarded-Groups"),
    )
    settings = ServingSettings.from_environ(env)
    assert settings.mode == "accounts"
    assert settings.idle_minutes == 30
    assert settings.proxy_roles == {}
