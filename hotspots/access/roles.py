"""The roles of the people who use the tool, and what each may see and do.

The role decides the privacy profile on the server; nothing a client sends can widen it. A
person may narrow their own view (an analyst previews what the public sees).

============ ================================================================================
role         sees and does
============ ================================================================================
analytiker   the police analyst: internal profile, incident points at street zoom, import,
             plan, evaluation, the actions log
planerare    the police patrol planner: internal map and plan, no incident descriptions
est          the EST members of police and kommun: the public profile's map (aggregated, small
             counts suppressed, no points, no descriptions), the lägesbild, the actions log
publik       published snapshots only
admin        accounts and the audit log
============ ================================================================================
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from hotspots.core.errors import InputSchemaError

__all__ = [
    "PROFILES",
    "ROLES",
    "ROLE_PRECEDENCE",
    "Role",
    "effective_profile",
    "parse_proxy_roles",
    "role",
    "role_for_groups",
]

#: Privacy profiles from the widest to the narrowest.
PROFILES: tuple[str, ...] = ("internal", "planning", "public")


@dataclass(frozen=True, slots=True)
class Role:
    """What one role may see and do.

    Attributes
    ----------
    name
        ``analytiker``, ``planerare``, ``est``, ``publik`` or ``admin``.
    profile
        The widest privacy profile the role may see (``internal``, ``planning`` without
        incident descriptions, or ``public``).
    points
        Incident points at street zoom.
    descriptions
        Incident descriptions and ids.
    pages
        The app pages the role may open.
    can_import, can_plan, can_evaluate, can_edit_actions, can_admin
        What the role may do.
    """

    name: str
    profile: str
    points: bool
    descriptions: bool
    pages: tuple[str, ...]
    can_import: bool = False
    can_plan: bool = False
    can_evaluate: bool = False
    can_edit_actions: bool = False
    can_admin: bool = False


ROLES: dict[str, Role] = {
    r.name: r
    for r in (
        Role(
            "analytiker",
            "internal",
            points=True,
            descriptions=True,
            pages=("map", "plan", "evaluation", "report", "data", "followup"),
            can_import=True,
            can_plan=True,
            can_evaluate=True,
            can_edit_actions=True,
        ),
        Role(
            "planerare",
            "planning",
            points=True,
            descriptions=False,
            pages=("map", "plan", "report", "followup"),
            can_plan=True,
        ),
        Role(
            "est",
            "public",
            points=False,
            descriptions=False,
            pages=("map", "report", "followup"),
            can_edit_actions=True,
        ),
        Role("publik", "public", points=False, descriptions=False, pages=()),
        Role("admin", "public", points=False, descriptions=False, pages=(), can_admin=True),
    )
}


def role(name: str) -> Role:
    """The role called ``name`` (case-insensitive).

    Raises
    ------
    InputSchemaError
        For an unknown role, listing the known ones.
    """
    found = ROLES.get(str(name).strip().casefold())
    if found is None:
        msg = f"role {name!r} does not exist; use one of {', '.join(ROLES)}"
        raise InputSchemaError(msg)
    return found


def effective_profile(granted: Role, requested: str | None) -> str:
    """The profile a person sees: what they ask for, but never wider than their role.

    ``requested`` may come from the client (a widget, a URL parameter); it can only narrow.
    """
    allowed = PROFILES.index(granted.profile)
    if requested in PROFILES and PROFILES.index(requested) > allowed:
        return str(requested)
    return granted.profile


#: When a proxy's groups give several roles, the first of these wins.
ROLE_PRECEDENCE: tuple[str, ...] = ("analytiker", "planerare", "est", "admin", "publik")


def parse_proxy_roles(text: str) -> dict[str, str]:
    """Parse ``GROUP=ROLE`` pairs (comma-separated, or a JSON object) into a mapping.

    Raises
    ------
    InputSchemaError
        For a pair without ``=`` or an unknown role.
    """
    text = (text or "").strip()
    if not text:
        return {}
    if text.startswith("{"):
        pairs = [(str(k), str(v)) for k, v in json.loads(text).items()]
    else:
        pairs = []
        for item in filter(None, (p.strip() for p in text.split(","))):
            group, sep, name = item.partition("=")
            if not sep or not group.strip():
                msg = f"--proxy-role {item!r}: write GROUP=ROLE, e.g. polis-analys=analytiker"
                raise InputSchemaError(msg)
            pairs.append((group.strip(), name.strip()))
    return {group: role(name).name for group, name in pairs}


def role_for_groups(groups: list[str], mapping: dict[str, str]) -> Role | None:
    """The role a proxy's ``groups`` give (:data:`ROLE_PRECEDENCE` decides ties), or ``None``."""
    names = {mapping[g] for g in groups if g in mapping}
    for name in ROLE_PRECEDENCE:
        if name in names:
            return ROLES[name]
    return None
