"""The app's worker process: jobs run there, errors come back, a dead worker is replaced."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

import pytest
from worker_jobs import fail_with, pid_and_square

from hotspots.app import workers
from hotspots.core.errors import InsufficientDataError


@pytest.fixture
def pool() -> Iterator[None]:
    workers.shutdown_workers()
    yield
    workers.shutdown_workers()


def test_a_job_runs_in_another_process(pool: None) -> None:
    pid, value = workers.run_in_worker(pid_and_square, 7)
    assert value == 49
    assert pid != os.getpid()
    assert workers.run_in_worker(pid_and_square, 3)[0] == pid  # one worker, kept


def test_the_job_s_own_error_reaches_the_caller(pool: None) -> None:
    with pytest.raises(InsufficientDataError, match="too few"):
        workers.run_in_worker(fail_with, "too few")


def test_a_killed_worker_is_replaced_and_nothing_is_lost(pool: None) -> None:
    pid, _ = workers.run_in_worker(pid_and_square, 2)
    os.kill(pid, signal.SIGKILL)
    # the job that finds the worker gone runs in this process: the person gets the answer
    results = [workers.run_in_worker(pid_and_square, 5) for _ in range(3)]
    assert all(value == 25 for _, value in results)
    assert pid not in {p for p, _ in results}
    assert results[-1][0] != os.getpid()  # and the next jobs have a new worker
