"""Many producer threads, one consumer: the calling thread, which alone writes the book.

Sources (and web sites) talk to different hosts, so they run in parallel; SQLite is written
from one thread, in the order items arrive. The queue is bounded, so memory stays flat
however much the producers find.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

__all__ = ["Job", "fan_in"]

T = TypeVar("T")
# A job gets ``put`` for what it produces and an event that says "stop producing".
Job = Callable[[Callable[[T], None], threading.Event], None]
GRACE = 2.0  # seconds jobs get to wind up after a stop


def fan_in(jobs: Sequence[Job[T]], consume: Callable[[T], None], *, workers: int, name: str,
           size: int = 1000, grace: float = GRACE, stop: threading.Event | None = None) -> bool:
    """Run ``jobs`` on ``workers`` threads and hand everything they put to ``consume`` here.

    If ``consume`` raises or the user interrupts, the jobs are told to stop (their HTTP waits
    end at once, see :func:`prospect.http.limits`) and given ``grace`` seconds to finish;
    then the exception goes on. A job still blocked after that (a read that has not timed
    out) is left behind: the threads are daemons, so it cannot keep the process alive.
    What was consumed stays consumed. ``stop``, set from outside (a signal handler), ends the
    run the same way; fan_in then returns False instead of True.
    """
    inbox: queue.Queue[tuple[bool, Any]] = queue.Queue(maxsize=size)
    todo: queue.SimpleQueue[Job[T] | None] = queue.SimpleQueue()
    stop = stop or threading.Event()

    def put(item: T) -> None:
        while not stop.is_set():
            try:
                inbox.put((False, item), timeout=0.1)
                return
            except queue.Full:
                continue

    def worker() -> None:
        while True:
            job = todo.get()
            if job is None:
                return
            try:
                if not stop.is_set():
                    job(put, stop)
            except BaseException:  # a job reports its own failures; one that escapes ends it
                pass
            finally:
                inbox.put((True, None))  # this job is finished (never blocks: see drain)

    for job in jobs:
        todo.put(job)
    count = max(1, min(workers, len(jobs)))
    for _ in range(count):
        todo.put(None)
    for i in range(count):
        threading.Thread(target=worker, name=f"{name}-{i}", daemon=True).start()
    running = len(jobs)

    def wind_up() -> None:
        ends = time.monotonic() + grace
        nonlocal running
        while running and time.monotonic() < ends:
            try:
                if inbox.get(timeout=0.05)[0]:
                    running -= 1
            except queue.Empty:
                pass

    try:
        while running:
            try:
                finished, item = inbox.get(timeout=0.2)
            except queue.Empty:
                if stop.is_set():
                    wind_up()
                    return False
                continue
            if finished:
                running -= 1
            else:
                consume(item)
    except BaseException:
        stop.set()
        wind_up()
        raise
    return not stop.is_set()
