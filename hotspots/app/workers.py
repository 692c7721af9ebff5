"""A worker process for the app's long numeric jobs, shared by every session.

Streamlit runs every session's script in a thread of one process: while one thread computes
a backtest in Python, the others wait for the interpreter, so at a meeting the last person's
map waits for everybody's badge. A job run here takes the second CPU instead, and the thread
that waits for it lets the others draw their maps.

The pool starts lazily (the first job, normally during the server's warm-up) with the
``spawn`` method: the server has threads, and forking a process with threads is unsafe. A
worker that died (out of memory, killed) is replaced and the job runs once more in the
server itself, so a person never sees the difference.
"""

from __future__ import annotations

import concurrent.futures as cf
import logging
import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

__all__ = ["run_in_worker", "shutdown_workers"]

logger = logging.getLogger("hotspots.app")

T = TypeVar("T")

_lock = threading.Lock()
_pool: cf.ProcessPoolExecutor | None = None


def _executor() -> cf.ProcessPoolExecutor:
    global _pool  # noqa: PLW0603 (one pool per server process, like Streamlit's own caches)
    with _lock:
        if _pool is None:
            _pool = cf.ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn")
            )
        return _pool


def _discard(pool: cf.ProcessPoolExecutor) -> None:
    global _pool  # noqa: PLW0603
    with _lock:
        if _pool is pool:
            _pool = None
    pool.shutdown(wait=False, cancel_futures=True)


def run_in_worker(func: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """Run ``func(*args, **kwargs)`` in the app's worker process and wait for its result.

    ``func`` must be a module-level function and its arguments picklable. Exceptions raised
    by ``func`` are raised here. When the worker process is gone, the job runs in this
    process instead (and a new worker starts with the next job).
    """
    pool = _executor()
    try:
        return pool.submit(func, *args, **kwargs).result()
    except BrokenProcessPool:
        logger.warning("the app's worker process ended; running %s here", func.__name__)
        _discard(pool)
        return func(*args, **kwargs)


def shutdown_workers() -> None:
    """Stop the worker process (at the server's end; a later job starts a new one)."""
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)
