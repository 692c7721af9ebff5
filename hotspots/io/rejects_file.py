"""The rejects file of an import, written chunk by chunk and put in place only at the end.

Lines go to a temporary file beside the target, ``.<name>.<pid>.<random>.tmp``; when the
import succeeds it replaces ``<name>`` (or both go, when nothing was worth reporting), when it
fails it is removed. A process that is killed cannot remove it, so the pid in the name lets
the next import beside it remove the temporary files of processes that no longer run, and
never those of a live one (a concurrent import may be writing it).

The file is written by :func:`hotspots.io.csv_safety.write_excel_csv`: ``;``-separated, UTF-8
with a BOM, headers and reasons in the interface language (the reasons through
:func:`hotspots.core.strings_rejects.localise_reason`), and every text cell neutralised (the
file echoes cells of the input, which must not turn into formulas in a spreadsheet).
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import tempfile
from pathlib import Path
from types import TracebackType

import pandas as pd

from hotspots.core.i18n import Lang, check_lang
from hotspots.core.processes import pid_alive
from hotspots.core.strings_rejects import localise_reasons
from hotspots.io._validate import REJECT_COLUMNS
from hotspots.io.csv_safety import write_excel_csv

__all__ = ["RejectsFile", "pid_alive", "remove_stale_temporaries"]

logger = logging.getLogger(__name__)

#: ``.<x>.rejects.csv.<pid>.<random>.tmp`` (``tempfile`` randoms are letters, digits and _).
_TEMP_NAME = re.compile(r"^\.(?P<name>.+\.rejects\.csv)\.(?P<pid>\d+)\.[A-Za-z0-9_]+\.tmp$")


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Remove the rejects temporary files in ``folder`` of processes that no longer run.

    Only names of the form ``.<x>.rejects.csv.<pid>.<random>.tmp`` are considered.

    Returns
    -------
    list of Path
        The files removed.
    """
    removed: list[Path] = []
    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = _TEMP_NAME.match(entry.name)
        if match is None or pid_alive(int(match["pid"])):
            continue
        with contextlib.suppress(OSError):
            entry.unlink()
            removed.append(entry)
            logger.info("removed %s, left by an import that ended", entry)
    return removed


class RejectsFile:
    """The rejects CSV of one import (a context manager: an exception discards it).

    Parameters
    ----------
    target
        Where the file goes when the import succeeds; its folder is created.
    lang
        Interface language of the headers (``"sv"``: Rad, Kolumn, Värde, Orsak) and of the
        reasons (each row's reason, with the row and the column beside it).

    Notes
    -----
    The file is the project's Excel CSV (:func:`hotspots.io.csv_safety.write_excel_csv`):
    ``;``-separated, UTF-8 with a BOM (Excel then shows Swedish letters), with the columns
    ``row, column, value, reason`` under headers in ``lang``; the header is written when the
    import starts.
    """

    def __init__(self, target: Path, *, lang: Lang = "sv") -> None:
        self.target = Path(target)
        self.lang = check_lang(lang)
        self.lines = 0
        self.target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(self.target.parent)
        fd, name = tempfile.mkstemp(
            prefix=f".{self.target.name}.{os.getpid()}.", suffix=".tmp", dir=self.target.parent
        )
        os.close(fd)
        self.tmp = Path(name)
        self._started = False
        try:
            self.write(pd.DataFrame({c: pd.Series(dtype="string") for c in REJECT_COLUMNS}))
        except BaseException:
            self.discard()
            raise

    def write(self, rejects: pd.DataFrame) -> None:
        """Append rejects lines (columns ``row, column, value, reason``; reasons in English).

        The reasons are written in the file's language.
        """
        if self._started and not len(rejects):
            return
        lines = rejects[list(REJECT_COLUMNS)]
        if len(lines):
            lines = lines.assign(reason=localise_reasons(lines["reason"], self.lang))
        write_excel_csv(lines, self.tmp, lang=self.lang, append=self._started)
        self._started = True
        self.lines += len(rejects)

    def commit(self, *, keep: bool) -> Path | None:
        """Put the file in place (``keep``), or remove it and any earlier one at the target.

        Returns
        -------
        Path or None
            The target when kept.
        """
        if keep:
            self.tmp.replace(self.target)
            return self.target
        self.tmp.unlink(missing_ok=True)
        self.target.unlink(missing_ok=True)
        return None

    def discard(self) -> None:
        """Remove the temporary file; the target stays as it was."""
        self.tmp.unlink(missing_ok=True)

    def __enter__(self) -> RejectsFile:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is not None:
            self.discard()
