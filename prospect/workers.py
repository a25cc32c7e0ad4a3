"""Worker processes that only ever speed work up: without one, the work is done in process.

A pool's processes are never forked from the caller (an open SQLite connection must not be
copied into a child): they are forked from a fork server, a process of its own that imports
the import engine once and forks each worker from there, or spawned where there is none.
Its workers leave Ctrl-C and SIGTERM to the main process, which stops at its next safe point,
and end themselves when the main process is killed outright (SIGKILL, OOM) instead of idling
forever. No process support, or a worker that died, costs speed and never the result:
:func:`result` then runs the job here. Standard library only, so workers start fast.

A job builds a batch's worth of objects (a hundred thousand or more) and hands them back
pickled. The cyclic garbage collector, left to itself, walks them again and again while
they are built and unpickled, a tenth of a job's time. A worker instead looks once before
each job at what the last one left (the last job's objects are gone by then) and keeps the
survivors, such as its caches' new entries, out of later passes: a full pass over a
worker's caches before each job cost more than the collector it replaced.
"""

from __future__ import annotations

import gc
import io
import multiprocessing
import multiprocessing.connection
import os
import pickle
import signal
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Generic, TypeAlias, TypeVar

__all__ = ["Done", "Sent", "pool", "result", "submit"]

T = TypeVar("T")


# What the fork server imports before it forks the first worker: the modules of every job.
_PRELOAD = ["prospect.ingest.engine", "prospect.ingest.prepare", "prospect.parallel_csv"]


def _context() -> multiprocessing.context.BaseContext:
    # A spawned worker starts an interpreter and imports prospect, about a second, for
    # each pool: an import starts two. The fork server pays that once a process.
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD)
        return context
    return multiprocessing.get_context("spawn")


def pool(workers: int) -> ProcessPoolExecutor | None:
    """Return a pool of ``workers`` processes, or ``None`` where there can be none."""
    try:
        return ProcessPoolExecutor(workers, mp_context=_context(), initializer=_start)
    except (OSError, RuntimeError, NotImplementedError):
        return None


def submit(workers: ProcessPoolExecutor | None, fn: Callable[..., T], *args: Any,
           memo: bool = True) -> Future[Done[T]] | None:
    """Hand ``fn(*args)`` to the pool; ``None`` when there is no working pool.

    ``memo=False``: the result comes back pickled without a memo (see :class:`Sent`).
    """
    if workers is None:
        return None
    try:
        return workers.submit(_job, fn, memo, *args)
    except BrokenProcessPool:
        return None


def result(future: Future[Done[T]] | None, fn: Callable[..., T], *args: Any) -> T:
    """Return the job's result, or compute ``fn(*args)`` here when no worker did."""
    if future is not None:
        try:
            done = future.result()
            return done.value() if isinstance(done, Sent) else done
        except BrokenProcessPool:  # the worker died: this job is done here
            pass
    return fn(*args)


class Sent(Generic[T]):
    """A job's result, pickled without a memo, to cross back as one bytes object.

    A large import's normalising worker sends back some 10^5 small objects a batch, nearly
    all met once. The pickler's memo, which sends an object met twice only once, took most
    of the time to pickle them, and saved almost nothing.
    Not for every job: a batch for the writer repeats its source and time in every row (what
    pickling saved, unpickling lost), and an export's text is one bytes object, which this
    would only copy twice more. Without the memo an object met twice goes twice; a cyclic
    value is pickled the usual way.
    """

    __slots__ = ("data",)

    def __init__(self, value: T) -> None:
        buf = io.BytesIO()
        pickler = pickle.Pickler(buf, pickle.HIGHEST_PROTOCOL)
        try:
            pickler.fast = True  # no memo: an attribute the docs call deprecated, kept since
            pickler.dump(value)
            self.data = buf.getvalue()
        except (AttributeError, ValueError, RecursionError):  # no fast mode; a cyclic value
            self.data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)

    def value(self) -> T:
        """The value, unpickled."""
        return pickle.loads(self.data)  # type: ignore[no-any-return]


# What a job hands back: its result, or the result as Sent.
Done: TypeAlias = "T | Sent[T]"


def _job(fn: Callable[..., T], memo: bool, *args: Any) -> Done[T]:
    gc.collect(0)
    gc.freeze()
    done = fn(*args)
    return done if memo else Sent(done)


def _start() -> None:
    gc.disable()
    gc.freeze()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    threading.Thread(target=_follow, daemon=True).start()


def _follow() -> None:
    # The caller's end of a pipe that multiprocessing gives each worker reads as closed once
    # the caller is gone, however it ended. Not the parent's pid: a forked worker's parent
    # is the fork server, which lives while its workers do.
    parent = multiprocessing.parent_process()
    if parent is not None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(0)
