"""Names of the environment variables that carry the app server's login settings.

``hotspots app`` (:func:`hotspots.cli.app_cmd.auth_environment`) writes them for the server
process it starts; the server (:meth:`hotspots.app.serving.ServingSettings.from_environ`)
reads them. Both name them from here, so the two sides cannot drift apart.

This module holds strings only (``hotspots --help`` imports nothing heavy through it).
"""

from __future__ import annotations

__all__ = [
    "AUTH_ENV",
    "FRAME_LOG_ENV",
    "PROXY_GROUPS_HEADER_ENV",
    "PROXY_ROLES_ENV",
    "PROXY_USER_HEADER_ENV",
    "SESSION_MINUTES_ENV",
]

#: The mode: ``none``, ``accounts`` or ``proxy`` (:data:`hotspots.access.sessions.AUTH_MODES`).
AUTH_ENV = "HOTSPOTS_AUTH"
#: Minutes without activity after which a session ends.
SESSION_MINUTES_ENV = "HOTSPOTS_SESSION_MINUTES"
#: Proxy group → role, as ``GROUP=ROLE,GROUP=ROLE``
#: (:func:`hotspots.access.roles.parse_proxy_roles`).
PROXY_ROLES_ENV = "HOTSPOTS_PROXY_ROLES"
#: The header in which an authenticating proxy names the user.
PROXY_USER_HEADER_ENV = "HOTSPOTS_PROXY_USER_HEADER"
#: The header in which an authenticating proxy lists the user's groups.
PROXY_GROUPS_HEADER_ENV = "HOTSPOTS_PROXY_GROUPS_HEADER"
#: Where the gate logs the time and size of each websocket frame and login (``--frame-log``;
#: :mod:`hotspots.app.frame_log`); unset or empty: nowhere.
FRAME_LOG_ENV = "HOTSPOTS_FRAME_LOG"
