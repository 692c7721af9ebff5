"""Validate the chunks of one file on two cores, the second in a forked child process.

Validation is vectorised but single-threaded (most of it holds the GIL), so a second core
helps only from a second process. A forked child inherits the chunks already read and the
validation context; it and the parent each take the next chunk nobody has taken yet, and the
child leaves its results in a file in memory for the parent. The results come out in file
order, exactly as from one process.

The child says a word after each chunk. When it raises one of the package's own errors (a
:class:`~hotspots.core.errors.HotspotsError`: bad input), that error is raised here. When it fails
otherwise, dies, cannot start, or says nothing for :data:`CHILD_SILENCE_S` seconds (it is then
killed), a warning names what happened and the parent validates the chunks it did not deliver
(so an error is raised here, with its own type and message).

Fork is used only on Linux (elsewhere, or with one CPU, everything runs here), and only for
work without state shared across chunks (the id maker is not: full imports stay sequential).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import multiprocessing.connection
import os
import pickle
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from hotspots.core.errors import HotspotsError

__all__ = ["CHILD_SILENCE_S", "Settlement", "available_workers", "run_split"]

logger = logging.getLogger(__name__)

J = TypeVar("J")
R = TypeVar("R")

#: Seconds the child may go without a word (it sends one after each job) before it is killed
#: and its jobs are redone here. A job (one chunk) takes well under a second; the margin is
#: for a machine under heavy load.
CHILD_SILENCE_S = 60.0

#: Kinds of message from the child: the first job's settled state, a later job done, and the
#: end (with ``None`` when its results are in the file, else a :class:`_Failure`).
_SETTLED = "settled"
_PROGRESS = "progress"
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


@dataclass(frozen=True)
class _Failure:
    """What went wrong in the child, as it can cross to the parent.

    Attributes
    ----------
    text
        The error's type and message (one line), for the warning.
    detail
        The child's traceback, for the debug log.
    error_type, error_args, error_state
        A :class:`~hotspots.core.errors.HotspotsError` taken apart (its class, ``args`` and
        attributes), so it can be raised again in the parent even when its ``__init__`` takes
        other arguments than ``args``; ``None`` for any other error.
    """

    text: str
    detail: str = ""
    error_type: type[HotspotsError] | None = None
    error_args: tuple[object, ...] = ()
    error_state: dict[str, object] = field(default_factory=dict)

    @classmethod
    def of(cls, exc: BaseException) -> _Failure:
        """``exc`` as a failure that pickles."""
        text = "".join(traceback.format_exception_only(exc)).strip()
        detail = "".join(traceback.format_exception(exc))
        if isinstance(exc, HotspotsError):
            failure = cls(text, detail, type(exc), tuple(exc.args), dict(vars(exc)))
            try:
                pickle.loads(pickle.dumps(failure))
            except Exception:  # an attribute that does not pickle: the text only
                return cls(text, detail)
            return failure
        return cls(text, detail)

    def error(self) -> HotspotsError | None:
        """The child's :class:`~hotspots.core.errors.HotspotsError` rebuilt, or ``None``."""
        if self.error_type is None:
            return None
        exc = self.error_type.__new__(self.error_type, *self.error_args)
        exc.args = self.error_args
        exc.__dict__.update(self.error_state)
        return exc


def _child(
    jobs: Sequence[J],
    run: Callable[[J], R],
    *,
    claim: Callable[[], int],
    settlement: Settlement | None,
    out: Path,
    conn: multiprocessing.connection.Connection,
) -> None:
    failure: _Failure | None = None
    try:
        # each result into a file in memory as soon as it is done (a pipe moves tens of
        # megabytes several times slower, and would block until the parent reads)
        with out.open("wb") as f:
            k = 0  # the first job is the child's: it settles what the later ones share
            while k < len(jobs):
                pickle.dump((k, run(jobs[k])), f, protocol=pickle.HIGHEST_PROTOCOL)
                if k == 0 and settlement is not None:
                    conn.send((_SETTLED, settlement.export()))
                else:
                    conn.send((_PROGRESS, k))  # a word per job: the child is alive
                k = claim()
    except BaseException as exc:  # any failure at all: the parent raises it or redoes the work
        failure = _Failure.of(exc)
    finally:
        with contextlib.suppress(OSError):
            conn.send((_END, failure))
        conn.close()


class _Watch:
    """The parent's side of the pipe: the child's messages, and how long it has been silent.

    A child silent for ``silence_s`` seconds is killed; like one that died, it then ends
    with a failure.
    """

    def __init__(
        self,
        conn: multiprocessing.connection.Connection,
        child: multiprocessing.process.BaseProcess,
        *,
        silence_s: float,
    ) -> None:
        self.conn = conn
        self.child = child
        self.silence_s = silence_s
        self.heard = time.monotonic()
        self.settled: list[object] = []  # the settled state, once it came
        self.ended = False
        self.failure: _Failure | None = None

    def _read(self) -> None:
        try:
            kind, value = self.conn.recv()
        except EOFError:  # the child died without a word
            self.child.join(self.silence_s)  # for its exit code
            self._end(_Failure(f"it ended without a result (exit code {self.child.exitcode})"))
            return
        self.heard = time.monotonic()
        if kind == _SETTLED:
            self.settled.append(value)
        elif kind == _END:
            self._end(value)  # type: ignore[arg-type]

    def _end(self, failure: _Failure | None) -> None:
        self.ended = True
        self.failure = failure

    def poll(self, *, until: Callable[[], bool]) -> None:
        """Read messages, waiting for them, until ``until()`` holds or the child ended."""
        while not (self.ended or until()):
            left = self.heard + self.silence_s - time.monotonic()
            if self.conn.poll(max(left, 0.0)):
                self._read()
            else:
                self._kill()

    def drain(self) -> None:
        """Read what has come without waiting; kill the child when it has been silent too long."""
        while not self.ended and self.conn.poll(0):
            self._read()
        if not self.ended and time.monotonic() - self.heard > self.silence_s:
            self._kill()

    def _kill(self) -> None:
        self.child.kill()
        self.child.join()
        self._end(_Failure(f"it sent nothing for {self.silence_s:g} s and was stopped"))


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
    silence_s: float = CHILD_SILENCE_S,
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
    silence_s
        Seconds the child may go without finishing a job before it is killed and its jobs
        are done here.

    Yields
    ------
    R
        ``run(job)`` for each job, in the order of ``jobs`` (once all are done).

    Raises
    ------
    HotspotsError
        The one the child raised (bad input); any other failure of the child is logged as a
        warning and its jobs are done here.
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
    failure: _Failure | None = None
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
            watch = _Watch(receiver, child, silence_s=silence_s)
            failure = _share(
                jobs, run, claim=claim, settlement=settlement, results=results, watch=watch
            )
            if failure is None:
                results.update(_load_results(out))
    finally:
        receiver.close()
        out.unlink(missing_ok=True)
    if child is not None and failure is not None:
        error = failure.error()
        if error is not None:  # bad input: redoing it here would only say so again
            raise error
        logger.warning("validation worker failed (%s); validating its chunks here", failure.text)
        if failure.detail:
            logger.debug("validation worker traceback:\n%s", failure.detail)
    for k, job in enumerate(jobs):
        yield results[k] if k in results else run(job)


def _share(
    jobs: Sequence[J],
    run: Callable[[J], R],
    *,
    claim: Callable[[], int],
    settlement: Settlement | None,
    results: dict[int, R],
    watch: _Watch,
) -> _Failure | None:
    """Do jobs here beside the running child until none is left; the child's failure, if any.

    The child is killed on the way out when it still runs (it fell silent, or a job here
    raised).
    """
    try:
        if settlement is not None:
            watch.poll(until=lambda: bool(watch.settled))
            if watch.settled:
                settlement.adopt(watch.settled[0])
            else:  # the child ended before it settled anything
                settlement.settle()
        while (k := claim()) < len(jobs):
            results[k] = run(jobs[k])
            watch.drain()
        watch.poll(until=lambda: False)
    finally:
        if watch.child.is_alive():
            watch.child.kill()
        watch.child.join()
    return watch.failure


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
