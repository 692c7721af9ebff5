"""run_split: jobs shared with a forked child come back in order, and a failing child's work
is redone in the parent."""

from __future__ import annotations

import os
import sys
import time

import pytest

from hotspots.io._parallel import Settlement, available_workers, run_split

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork on Linux only")


def _square_with_pid(job: int) -> tuple[int, int]:
    return job * job, os.getpid()


def test_results_in_order_and_both_processes_work() -> None:
    jobs = list(range(40))

    def slow(job: int) -> tuple[int, int]:
        time.sleep(0.005)  # long enough that the child starts before the jobs run out
        return _square_with_pid(job)

    out = list(run_split(jobs, slow, workers=2))
    assert [v for v, _ in out] == [j * j for j in jobs]
    pids = {pid for _, pid in out}
    assert os.getpid() in pids
    assert len(pids) == 2  # the child did some of the jobs


def test_one_worker_runs_everything_here() -> None:
    out = list(run_split(list(range(5)), _square_with_pid, workers=1))
    assert [v for v, _ in out] == [0, 1, 4, 9, 16]
    assert {pid for _, pid in out} == {os.getpid()}


def test_a_failing_child_is_redone_by_the_parent() -> None:
    parent = os.getpid()

    def fails_in_child(job: int) -> tuple[int, int]:
        if os.getpid() != parent:
            msg = "child trouble"
            raise RuntimeError(msg)
        return _square_with_pid(job)

    out = list(run_split(list(range(12)), fails_in_child, workers=2))
    assert [v for v, _ in out] == [j * j for j in range(12)]
    assert {pid for _, pid in out} == {parent}


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
    state: dict[str, object] = {"settled": None, "settled_here": False}

    def needs_settling(job: int) -> tuple[int, int]:
        if job == 0:
            state["settled"] = f"by {os.getpid()}"  # what the first job settles
        elif state["settled"] is None:
            msg = f"job {job} before the first job settled"
            raise RuntimeError(msg)
        time.sleep(0.003)
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


def test_no_scratch_file_is_left_behind() -> None:
    from hotspots.io._parallel import _scratch_dir

    scratch = _scratch_dir(0) or __import__("tempfile").gettempdir()
    before = {p for p in os.listdir(scratch) if p.startswith("hotspots-chunks-")}
    list(run_split(list(range(8)), _square_with_pid, workers=2))
    after = {p for p in os.listdir(scratch) if p.startswith("hotspots-chunks-")}
    assert after <= before


def test_available_workers_follows_the_usable_cpus() -> None:
    assert available_workers() == (2 if len(os.sched_getaffinity(0)) >= 2 else 1)


def test_meanwhile_runs_once_in_the_parent_while_the_child_works(tmp_path) -> None:
    parent = os.getpid()
    calls: list[int] = []

    def marked(job: int) -> tuple[int, int]:
        if os.getpid() != parent:
            (tmp_path / f"child-{job}").touch()
        time.sleep(0.002)
        return _square_with_pid(job)

    def meanwhile() -> None:
        calls.append(os.getpid())
        deadline = time.monotonic() + 10
        while not any(tmp_path.iterdir()) and time.monotonic() < deadline:
            time.sleep(0.01)  # the child is already at work while this runs

    out = list(run_split(list(range(30)), marked, workers=2, meanwhile=meanwhile))
    assert calls == [parent]
    assert any(tmp_path.iterdir())
    assert [v for v, _ in out] == [j * j for j in range(30)]
    # with one process it runs first, once
    calls.clear()
    once = list(run_split([1, 2], _square_with_pid, workers=1, meanwhile=lambda: calls.append(0)))
    assert len(once) == 2
    assert calls == [0]


def test_results_go_to_disk_when_memory_has_no_room() -> None:
    from hotspots.io._parallel import _scratch_dir

    assert _scratch_dir(1 << 62) is None  # more than any /dev/shm holds
    out = list(run_split(list(range(8)), _square_with_pid, workers=2, scratch_bytes=1 << 62))
    assert [v for v, _ in out] == [j * j for j in range(8)]
