"""Normalisation of a large input in a second process, one batch ahead of the clustering.

Normalising fields and reducing them to dedupe signatures is pure work that takes about as
long as the clustering itself. For an input of more than one batch a worker process does it
for batch k+1 while the book clusters and writes batch k, so both cores of a small machine
work. One batch needs no worker: a search or a small import never pays for starting one.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice

from prospect import dedupe
from prospect.models import Observation, normalize_fields

__all__ = ["Prepared", "batches", "prepare"]

Prepared = list[tuple[dict[str, str], dedupe.Signature]]


def prepare(batch: list[Observation]) -> Prepared:
    """Normalise each observation's fields and reduce them to a signature."""
    out: Prepared = []
    for obs in batch:
        fields = normalize_fields(obs.fields)
        out.append((fields, dedupe.signature(fields)))
    return out


def _worker_start(parent: int) -> None:
    # Ctrl-C and SIGTERM are the main process's to act on, at its next safe point.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    threading.Thread(target=_follow, args=(parent,), daemon=True).start()


def _follow(parent: int) -> None:
    # A main process killed outright (SIGKILL, OOM) cannot stop its worker: the worker
    # sees its parent gone and ends itself rather than idle forever.
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


def batches(observations: Iterable[Observation], size: int
            ) -> Iterator[tuple[list[Observation], Prepared]]:
    """Yield the input in batches of ``size``, each with its observations prepared.

    Where no worker can be had (no process support, a worker that died), the batches are
    prepared here: slower, the same result.
    """
    it = iter(observations)
    first = list(islice(it, size))
    second = list(islice(it, size))
    if not second:
        if first:
            yield first, prepare(first)
        return
    try:
        # spawn, not fork: the book's open SQLite connection must not be copied into a
        # child, and the worker is then the main process's own child (see _follow).
        pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_worker_start, initargs=(os.getpid(),))
    except (OSError, RuntimeError, NotImplementedError):
        yield first, prepare(first)
        yield second, prepare(second)
        while batch := list(islice(it, size)):
            yield batch, prepare(batch)
        return
    with pool:
        ahead: deque[tuple[list[Observation], Future[Prepared] | None]] = deque()
        ahead.append((second, _submit(pool, second)))
        yield first, prepare(first)
        while ahead:
            batch = list(islice(it, size))
            if batch:
                ahead.append((batch, _submit(pool, batch)))
            done, future = ahead.popleft()
            try:
                result = prepare(done) if future is None else future.result()
            except BrokenProcessPool:
                result = prepare(done)
            yield done, result


def _submit(pool: ProcessPoolExecutor, batch: list[Observation]) -> Future[Prepared] | None:
    try:
        return pool.submit(prepare, batch)
    except BrokenProcessPool:  # the worker died: what is left is prepared in process
        return None
