"""Validate the chunks of one file on two cores, the second in a forked child process.

Validation is vectorised but single-threaded (most of it holds the GIL), so a second core
helps only from a second process. A forked child inherits the chunks already read and the
validation context; it and the parent each take the next chunk nobody has taken yet, and the
child leaves its results in a file in memory for the parent. The results come out in file
order, exactly as from one process. Whenever the child fails, dies or cannot start, the
parent validates the chunks it did not deliver (so an error is raised here, with its own type
and message).

Fork is used only on Linux (elsewhere, or with one CPU, everything runs here), and only for
work without state shared across chunks (the id maker is not: full imports stay sequential).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

__all__ = ["Settlement", "available_workers", "run_split"]

logger = logging.getLogger(__name__)

J = TypeVar("J")
R = TypeVar("R")

#: What the child says when it ends: its results are in the file, or it failed (the parent
#: then redoes the jobs it took).
_DONE = "done"
_FAILED = "failed"
#: Kinds of message from the child: the first job's settled state, then the end.
_SETTLED = "settled"
_END = "end"


def available_workers() -> int:
    """Processes worth using: 2 on Linux with at least two usable CPUs, else 1."""
    if not sys.platform.startswith("linux"):
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - Linux always has it
        cpus = os.cpu_count() or 1
    return 2 if cpus >= 2 else 1


@dataclass(frozen=True)
class Settlement:
    """What a run's first job settles for the later jobs (e.g. the target CRS of a file).

    Attributes
    ----------
    export
        In the process that ran the first job: the settled state (it must pickle).
    adopt
        In another process: take that state over.
    settle
        Settle it without running the first job (when no state can be had from it).
    """

    export: Callable[[], object]
    adopt: Callable[[object], None]
    settle: Callable[[], None]


def _child(
    jobs: Sequence[J],
    run: Callable[[J], R],
    *,
    claim: Callable[[], int],
    settlement: Settlement | None,
    out: Path,
    conn: multiprocessing.connection.Connection,
) -> None:
    status = _FAILED
    try:
        # each result into a file in memory as soon as it is done (a pipe moves tens of
        # megabytes several times slower, and would block until the parent reads)
        with out.open("wb") as f:
            k = 0  # the first job is the child's: it settles what the later ones share
            while k < len(jobs):
                pickle.dump((k, run(jobs[k])), f, protocol=pickle.HIGHEST_PROTOCOL)
                if k == 0 and settlement is not None:
                    f.flush()
                    conn.send((_SETTLED, settlement.export()))
                k = claim()
        status = _DONE
    except BaseException:  # any failure at all: the parent redoes the work
        status = _FAILED
    finally:
        with contextlib.suppress(OSError):
            conn.send((_END, status))
        conn.close()


def _counter(ctx: multiprocessing.context.BaseContext, start: int) -> Callable[[], int]:
    """A function that hands out start, start + 1, ... once each, across forked processes."""
    value = ctx.Value("q", start)

    def claim() -> int:
        with value.get_lock():
            k = int(value.value)
            value.value = k + 1
        return k

    return claim


def run_split(
    jobs: Sequence[J],
    run: Callable[[J], R],
    *,
    workers: int,
    settlement: Settlement | None = None,
    meanwhile: Callable[[], object] | None = None,
    scratch_bytes: int = 0,
) -> Iterator[R]:
    """``run(job)`` for each job, in order, shared with a forked child process.

    The first job may settle what the later ones share (e.g. the target CRS a file's first
    chunk decides): the child runs it first and sends what it settled, which this process
    adopts before its own first job. Then both take the next job not yet taken until none
    is left, so a slower process simply does fewer; the child leaves its results in a file
    in memory (``/dev/shm``).

    Parameters
    ----------
    jobs
        The work, in order; each job independent of the others once the first one ran.
    run
        Does one job; its result must pickle.
    workers
        2 to fork a child (when there are at least two jobs), 1 to run everything here.
    settlement
        What the first job settles for the later ones: exported by the child after the first
        job and adopted here (after ``meanwhile``) before this process's first job; settled
        here instead when the child fails before.
    meanwhile
        Called here once the child has started (before any job when there is none): other
        work for this process, while the child takes more of the jobs.
    scratch_bytes
        About how large the child's results are when pickled: they go to ``/dev/shm`` when
        it has room, else to a temporary file on disk.

    Yields
    ------
    R
        ``run(job)`` for each job, in the order of ``jobs`` (once all are done).
    """
    if workers < 2 or len(jobs) < 2:
        if meanwhile is not None:
            meanwhile()
        for job in jobs:
            yield run(job)
        return
    ctx = multiprocessing.get_context("fork")
    claim = _counter(ctx, start=1)
    scratch = _scratch_dir(scratch_bytes)
    fd, name = tempfile.mkstemp(prefix="hotspots-chunks-", suffix=".pickle", dir=scratch)
    os.close(fd)
    out = Path(name)
    receiver, sender = ctx.Pipe(duplex=False)
    results: dict[int, R] = {}
    try:
        child = ctx.Process(
            target=_child,
            args=(jobs, run),
            kwargs={"claim": claim, "settlement": settlement, "out": out, "conn": sender},
            daemon=True,
        )
        try:
            child.start()
        except OSError as exc:  # no process to be had: do it all here
            logger.debug("cannot fork a validation worker (%s); validating in one process", exc)
            child = None
        sender.close()
        if meanwhile is not None:
            meanwhile()
        if child is not None:
            try:
                kind, status = "", None
                if settlement is not None:
                    kind, status = _receive(receiver)
                    if kind == _SETTLED:
                        settlement.adopt(status)
                    else:  # the child ended before it settled anything
                        settlement.settle()
                while (k := claim()) < len(jobs):
                    results[k] = run(jobs[k])
                while kind != _END:
                    kind, status = _receive(receiver)
                if status == _DONE:
                    results.update(_load_results(out))
                else:
                    logger.debug("validation worker failed; redoing its jobs here")
            finally:
                if child.is_alive():
                    child.terminate()
                child.join()
    finally:
        receiver.close()
        out.unlink(missing_ok=True)
    for k, job in enumerate(jobs):
        yield results[k] if k in results else run(job)


def _receive(conn: multiprocessing.connection.Connection) -> tuple[str, object]:
    """The child's next message; its end, failed, when it died without saying so."""
    try:
        kind, value = conn.recv()
    except EOFError:
        return _END, _FAILED
    return kind, value


def _load_results(path: Path) -> dict[int, object]:
    """The ``(job, result)`` pairs the child wrote to ``path`` (our own child's file)."""
    out: dict[int, object] = {}
    with path.open("rb") as f:
        while True:
            try:
                k, result = pickle.load(f)
            except EOFError:
                return out
            out[k] = result


def _scratch_dir(needed_bytes: int) -> str | None:
    """Where the child's results go: ``/dev/shm`` (memory) or the default temporary dir.

    ``/dev/shm`` when it has room for ``needed_bytes`` twice over (a container's is often
    only 64 MB).
    """
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        return None
    stats = os.statvfs(shm)
    return str(shm) if stats.f_bavail * stats.f_frsize >= 2 * needed_bytes else None
