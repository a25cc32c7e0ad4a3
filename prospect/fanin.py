"""Many producer threads, one consumer: the calling thread, which alone writes the book.

Sources (and web sites) talk to different hosts, so they run in parallel; SQLite is written
from one thread, in the order items arrive. The queue is bounded, so memory stays flat
however much the producers find.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

__all__ = ["Job", "fan_in"]

T = TypeVar("T")
# A job gets ``put`` for what it produces and an event that says "stop producing".
Job = Callable[[Callable[[T], None], threading.Event], None]


def fan_in(jobs: Sequence[Job[T]], consume: Callable[[T], None], *, workers: int, name: str,
           size: int = 1000) -> None:
    """Run ``jobs`` in a thread pool and hand everything they put to ``consume`` here.

    If ``consume`` raises or the user interrupts, the jobs are told to stop and the queue is
    drained, so no thread stays blocked on a full queue; what was consumed stays consumed.
    """
    inbox: queue.Queue[tuple[bool, Any]] = queue.Queue(maxsize=size)
    stop = threading.Event()

    def run(job: Job[T]) -> None:
        try:
            job(lambda item: inbox.put((False, item)), stop)
        finally:
            inbox.put((True, None))  # this job is finished

    running = len(jobs)
    with ThreadPoolExecutor(max_workers=max(1, min(workers, running)),
                            thread_name_prefix=name) as pool:
        for job in jobs:
            pool.submit(run, job)
        try:
            while running:
                finished, item = inbox.get()
                if finished:
                    running -= 1
                else:
                    consume(item)
        finally:
            stop.set()
            while running:
                try:
                    if inbox.get(timeout=0.1)[0]:
                        running -= 1
                except queue.Empty:
                    pass
