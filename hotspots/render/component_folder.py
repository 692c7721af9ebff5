"""The folder that serves the app's map component, and its removal when the process ends.

Streamlit serves a component's page from a folder (``declare_component(path=...)``). The app
writes the page (:func:`hotspots.render.assets.map_component_page`) into a temporary folder
named after its process, ``hotspots-map-<pid>-<random>``, once per process:

* the process removes its folder when it exits (``atexit``: a normal end, Ctrl-C, or the
  SIGTERM that ``hotspots app`` forwards, which Streamlit turns into a normal shutdown);
* a process killed outright cannot, so :func:`remove_stale_folders` removes the folders of
  processes that no longer run; ``hotspots app`` calls it when it starts and after its server
  stopped, and every new folder calls it first. The folder of a live process is never touched.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import re
import shutil
import tempfile
from pathlib import Path

from hotspots.core.processes import pid_alive
from hotspots.render.assets import map_component_page

__all__ = ["PREFIX", "folder_pid", "make_component_folder", "remove_stale_folders"]

logger = logging.getLogger(__name__)

#: Start of the name of every map component folder.
PREFIX = "hotspots-map-"
_NAME = re.compile(r"^hotspots-map-(?P<pid>\d+)-[A-Za-z0-9_]+$")


def folder_pid(path: Path) -> int | None:
    """The process id in a map component folder's name, or ``None`` for another name."""
    match = _NAME.match(Path(path).name)
    return int(match["pid"]) if match else None


def remove_stale_folders(parent: Path | None = None) -> list[Path]:
    """Remove the map component folders of processes that no longer run.

    Parameters
    ----------
    parent
        Where to look; default the temporary folder (``tempfile.gettempdir()``).

    Returns
    -------
    list of Path
        The folders removed.
    """
    base = Path(parent) if parent is not None else Path(tempfile.gettempdir())
    removed: list[Path] = []
    try:
        entries = list(base.iterdir())
    except OSError:
        return removed
    for entry in entries:
        pid = folder_pid(entry)
        if pid is None or pid_alive(pid) or not entry.is_dir():
            continue
        shutil.rmtree(entry, ignore_errors=True)
        if not entry.exists():
            removed.append(entry)
            logger.info("removed %s, left by a process that ended", entry)
    return removed


def _remove(folder: Path, pid: int) -> None:
    if os.getpid() == pid:  # not in a forked child that inherited the handler
        with contextlib.suppress(OSError):
            shutil.rmtree(folder)


def make_component_folder() -> Path:
    """A new folder holding the map component's ``index.html``, removed at exit.

    Returns
    -------
    Path
        ``<temp>/hotspots-map-<pid>-<random>``.
    """
    remove_stale_folders()
    pid = os.getpid()
    folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{pid}-"))
    atexit.register(_remove, folder, pid)
    (folder / "index.html").write_text(map_component_page(), encoding="utf-8")
    return folder
