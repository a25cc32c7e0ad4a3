"""A large import's writes in a second process, one batch behind the clustering.

Into an empty book, deciding where each observation goes needs nothing back from the book
(the clusterer holds every key), so writing a batch -- leads, observations, keys, each a
transaction -- can go on in another process while this one clusters the next. Each batch is
still one transaction, in input order: killed at any point, the book holds whole batches and
a re-run finishes the rest. The writer ends with the main process (see prospect.workers).

At most two batches are in flight: the one being written and the one after it. What they
hold is kept here until written, so the clustering does not take an observation it has just
decided for a new one. A writer that dies costs speed, not data: each batch it had is looked
for in the book and written here if it is not there, and so is every batch after.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from prospect.workers import Sent, pool, submit

__all__ = ["Writer"]


Refs = dict[tuple[str, str], int]


class Writer:
    """Batches handed to a writer process in order, and what they hold until written."""

    def __init__(self, path: Path, workers: ProcessPoolExecutor, fn: Callable[[str, Any], None],
                 here: Callable[[Any], None], written: Callable[[Refs], bool]) -> None:
        self.path = path
        self.workers: ProcessPoolExecutor | None = workers
        self.fn = fn
        self.here = here
        self.written = written
        self.flight: deque[tuple[Future[Sent[None]], Any, Refs]] = deque()
        self.in_flight: Refs = {}

    @classmethod
    @contextmanager
    def start(cls, path: Path | None, fn: Callable[[str, Any], None],
              here: Callable[[Any], None], written: Callable[[Refs], bool]
              ) -> Iterator[Writer | None]:
        """A writer for the book at ``path``; ``None`` (write in process) without path or pool.

        ``fn(path, batch)`` writes a batch in the writer, ``here(batch)`` in this process;
        ``written(refs)`` says whether a batch with these observations is in the book. On
        leaving, whatever was handed over is written before this returns, also on an error.
        """
        workers = pool(1) if path is not None else None
        if workers is None or path is None:
            yield None
            return
        with workers:
            yield cls(path, workers, fn, here, written)

    def send(self, batch: Any, refs: Refs) -> None:
        """Hand ``batch`` to the writer; its ``refs`` count as written meanwhile."""
        if self.workers is not None:
            future = submit(self.workers, self.fn, str(self.path), batch)
            if future is None:
                self._died()
            else:
                self.flight.append((future, batch, refs))
                self.in_flight.update(refs)
                return
        self.here(batch)

    def settle(self, most: int) -> None:
        """Wait until at most ``most`` batches are unwritten; raise what the writer raised."""
        while len(self.flight) > most:
            future, _, refs = self.flight[0]
            try:
                future.result()
            except BrokenProcessPool:
                self._died()
                return
            self.flight.popleft()
            for key in refs:
                self.in_flight.pop(key, None)

    def _died(self) -> None:
        # Batches are written whole and in order: the first one missing from the book and
        # all after it are written here, and so is everything from now on.
        self.workers = None
        while self.flight:
            _, batch, refs = self.flight.popleft()
            if not self.written(refs):
                self.here(batch)
            for key in refs:
                self.in_flight.pop(key, None)
