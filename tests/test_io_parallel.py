"""run_split: jobs shared with a forked child come back in order; a child that fails, dies or
falls silent has its work redone in the parent with a warning, and a child's HotspotsError is
raised in the parent.

The processes are synchronised with events made before the fork (never with sleeps): a job
that must wait for the other process waits on an event, with a deadline that only a broken
run reaches.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import time

import pytest

from hotspots.core.errors import InputFileError
from hotspots.io._parallel import (
    _END,
    _PROGRESS,
    CHILD_SILENCE_S,
    Settlement,
    _scratch_dir,
    _Watch,
    available_workers,
    run_split,
)

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork on Linux only")

#: Longest wait for the other process in a test; only a broken run waits that long.
DEADLINE_S = 60.0

_FORK = multiprocessing.get_context("fork") if sys.platform.startswith("linux") else None


def _event() -> multiprocessing.synchronize.Event:
    """An event both processes see (made before the fork)."""
    assert _FORK is not None
    return _FORK.Event()


def _square_with_pid(job: int) -> tuple[int, int]:
    return job * job, os.getpid()


def _wait(event: multiprocessing.synchronize.Event, what: str) -> None:
    if not event.wait(DEADLINE_S):
        msg = f"waited {DEADLINE_S:g} s for {what}"
        raise AssertionError(msg)


def test_results_in_order_and_both_processes_work() -> None:
    parent = os.getpid()
    child_started, parent_started = _event(), _event()

    def both(job: int) -> tuple[int, int]:
        # neither process runs away with the jobs: each waits until the other has begun
        if os.getpid() == parent:
            parent_started.set()
            _wait(child_started, "the child's first job")
        else:
            child_started.set()
            if job != 0:
                _wait(parent_started, "the parent's first job")
        return _square_with_pid(job)

    jobs = list(range(40))
    out = list(run_split(jobs, both, workers=2))
    assert [v for v, _ in out] == [j * j for j in jobs]
    pids = {pid for _, pid in out}
    assert parent in pids
    assert len(pids) == 2  # the child did some of the jobs


def test_one_worker_runs_everything_here() -> None:
    out = list(run_split(list(range(5)), _square_with_pid, workers=1))
    assert [v for v, _ in out] == [0, 1, 4, 9, 16]
    assert {pid for _, pid in out} == {os.getpid()}


def test_a_failing_child_is_redone_by_the_parent_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    parent = os.getpid()

    def fails_in_child(job: int) -> tuple[int, int]:
        if os.getpid() != parent:
            msg = "child trouble"
            raise RuntimeError(msg)
        return _square_with_pid(job)

    with caplog.at_level(logging.WARNING, logger="hotspots.io._parallel"):
        out = list(run_split(list(range(12)), fails_in_child, workers=2))
    assert [v for v, _ in out] == [j * j for j in range(12)]
    assert {pid for _, pid in out} == {parent}
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [
        "validation worker failed (RuntimeError: child trouble); validating its chunks here"
    ]


def test_a_child_that_dies_is_redone_by_the_parent_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    parent = os.getpid()

    def dies_in_child(job: int) -> tuple[int, int]:
        if os.getpid() != parent:
            os._exit(3)  # no word, no exception: as when the kernel kills it
        return _square_with_pid(job)

    with caplog.at_level(logging.WARNING, logger="hotspots.io._parallel"):
        out = list(run_split(list(range(6)), dies_in_child, workers=2))
    assert [v for v, _ in out] == [j * j for j in range(6)]
    assert {pid for _, pid in out} == {parent}
    assert [r.getMessage() for r in caplog.records] == [
        "validation worker failed (it ended without a result (exit code 3)); "
        "validating its chunks here"
    ]


def test_a_silent_child_is_killed_and_its_work_redone(caplog: pytest.LogCaptureFixture) -> None:
    assert _FORK is not None
    parent = os.getpid()
    stuck, never = _event(), _event()
    child_pid = _FORK.Value("q", 0)

    def hangs_in_child(job: int) -> tuple[int, int]:
        if os.getpid() != parent:
            child_pid.value = os.getpid()
            stuck.set()
            never.wait()  # stuck for good: only the parent's timeout ends it
        _wait(stuck, "the child to be stuck")
        return _square_with_pid(job)

    with caplog.at_level(logging.WARNING, logger="hotspots.io._parallel"):
        out = list(run_split(list(range(6)), hangs_in_child, workers=2, silence_s=0.5))
    assert [v for v, _ in out] == [j * j for j in range(6)]
    assert {pid for _, pid in out} == {parent}
    assert [r.getMessage() for r in caplog.records] == [
        "validation worker failed (it sent nothing for 0.5 s and was stopped); "
        "validating its chunks here"
    ]
    assert child_pid.value > 0
    with pytest.raises(ProcessLookupError):  # killed and reaped, not left running
        os.kill(child_pid.value, 0)
    assert CHILD_SILENCE_S >= 30  # the default leaves a loaded machine time for a chunk


def test_silence_is_counted_from_the_childs_last_word() -> None:
    """A child that keeps reporting jobs done is not stopped, however long it runs in all."""
    assert _FORK is not None
    receiver, sender = _FORK.Pipe(duplex=False)

    def reports() -> None:
        for k in range(40):
            time.sleep(0.05)  # one job's work: the child's whole run is longer than 1.5 s
            sender.send((_PROGRESS, k))
        sender.send((_END, None))

    child = _FORK.Process(target=reports)
    child.start()
    sender.close()
    started = time.monotonic()
    watch = _Watch(receiver, child, silence_s=1.5)
    watch.poll(until=lambda: False)
    child.join()
    receiver.close()
    assert watch.ended
    assert watch.failure is None
    assert child.exitcode == 0  # it ended by itself, it was not killed
    assert time.monotonic() - started > 1.5  # longer than the silence allowed


CSV_NAME, CSV_PROBLEM = "incidents.csv", "cannot be read as CSV (line 9)"


def test_a_childs_hotspots_error_is_raised_not_redone() -> None:
    parent = os.getpid()
    ran_here: list[int] = []

    def bad_input_in_child(job: int) -> tuple[int, int]:
        if os.getpid() != parent:
            raise InputFileError(CSV_NAME, CSV_PROBLEM)
        ran_here.append(job)
        return _square_with_pid(job)

    with pytest.raises(InputFileError, match=r"^incidents\.csv: cannot be read") as caught:
        list(run_split(list(range(6)), bad_input_in_child, workers=2))
    assert caught.value.path == CSV_NAME
    assert caught.value.problem == CSV_PROBLEM
    assert 0 not in ran_here  # the child's first job was not redone here


def test_an_error_is_raised_in_the_parent_with_its_own_type() -> None:
    def bad(job: int) -> int:
        if job == 7:
            msg = "row 9: bad job"
            raise ValueError(msg)
        return job

    with pytest.raises(ValueError, match="row 9: bad job"):
        list(run_split(list(range(10)), bad, workers=2))


def test_the_child_runs_the_first_job_and_the_parent_adopts_what_it_settled() -> None:
    parent = os.getpid()
    parent_ran = _event()
    state: dict[str, object] = {"settled": None, "settled_here": False}

    def needs_settling(job: int) -> tuple[int, int]:
        if job == 0:
            state["settled"] = f"by {os.getpid()}"  # what the first job settles
        elif state["settled"] is None:
            msg = f"job {job} before the first job settled"
            raise RuntimeError(msg)
        elif os.getpid() == parent:
            parent_ran.set()
        else:
            _wait(parent_ran, "a job in the parent")  # so the parent runs some jobs
        return _square_with_pid(job)

    def settle() -> None:
        state["settled"] = "here"
        state["settled_here"] = True

    settlement = Settlement(
        export=lambda: state["settled"],
        adopt=lambda value: state.update(settled=value),
        settle=settle,
    )
    out = list(run_split(list(range(30)), needs_settling, workers=2, settlement=settlement))
    assert [v for v, _ in out] == [j * j for j in range(30)]
    assert out[0][1] != parent  # the child ran the first job
    assert len({pid for _, pid in out}) == 2  # and the parent, settled, ran others
    assert state["settled"] == f"by {out[0][1]}"  # adopted from the child
    assert state["settled_here"] is False


def test_when_the_child_fails_first_the_parent_settles_itself() -> None:
    parent = os.getpid()
    state: dict[str, object] = {"settled": None}

    def fails_in_child(job: int) -> tuple[int, int]:
        if os.getpid() != parent:
            msg = "child trouble"
            raise RuntimeError(msg)
        if job == 0:
            state["settled"] = "by job 0"
        elif state["settled"] is None:
            msg = f"job {job} before anything settled"
            raise RuntimeError(msg)
        return _square_with_pid(job)

    settlement = Settlement(
        export=lambda: state["settled"],
        adopt=lambda value: state.update(settled=value),
        settle=lambda: state.update(settled="here"),
    )
    out = list(run_split(list(range(10)), fails_in_child, workers=2, settlement=settlement))
    assert [v for v, _ in out] == [j * j for j in range(10)]
    assert {pid for _, pid in out} == {parent}
    assert state["settled"] == "by job 0"  # settled here, then job 0 redone here


def test_no_scratch_file_is_left_behind() -> None:
    scratch = _scratch_dir(0) or __import__("tempfile").gettempdir()
    before = {p for p in os.listdir(scratch) if p.startswith("hotspots-chunks-")}
    list(run_split(list(range(8)), _square_with_pid, workers=2))
    after = {p for p in os.listdir(scratch) if p.startswith("hotspots-chunks-")}
    assert after <= before


def test_available_workers_follows_the_usable_cpus() -> None:
    assert available_workers() == (2 if len(os.sched_getaffinity(0)) >= 2 else 1)


def test_meanwhile_runs_once_in_the_parent_while_the_child_works() -> None:
    parent = os.getpid()
    child_working = _event()
    calls: list[int] = []

    def marked(job: int) -> tuple[int, int]:
        if os.getpid() != parent:
            child_working.set()
        return _square_with_pid(job)

    def meanwhile() -> None:
        calls.append(os.getpid())
        _wait(child_working, "the child's first job")  # the child works while this runs

    out = list(run_split(list(range(30)), marked, workers=2, meanwhile=meanwhile))
    assert calls == [parent]
    assert child_working.is_set()
    assert [v for v, _ in out] == [j * j for j in range(30)]
    # with one process it runs first, once
    calls.clear()
    once = list(run_split([1, 2], _square_with_pid, workers=1, meanwhile=lambda: calls.append(0)))
    assert len(once) == 2
    assert calls == [0]


def test_results_go_to_disk_when_memory_has_no_room() -> None:
    assert _scratch_dir(1 << 62) is None  # more than any /dev/shm holds
    out = list(run_split(list(range(8)), _square_with_pid, workers=2, scratch_bytes=1 << 62))
    assert [v for v, _ in out] == [j * j for j in range(8)]
