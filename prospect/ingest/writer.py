"""A large import's writes in a second process, one batch behind the clustering.

Into an empty book, deciding where each observation goes needs nothing back from the book
(the clusterer holds every key), so writing a batch -- leads, observations, keys, each a
transaction -- can go on in another process while this one clusters the next. Each batch is
still one transaction, in input order: killed at any point, the book holds whole batches and
a re-run finishes the rest. The writer ends with the main process (see prospect.workers).

At most two batches are in flight: the one being written and the one after it. They are
kept here until written, so the clustering can tell an observation it has just decided (see
:meth:`Writer.flying`) from a new one. A writer that dies costs speed, not data: each batch it
had is looked for in the book and written here if it is not there, and so is every batch after.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from prospect.workers import Done, pool, submit

__all__ = ["Writer"]


Refs = dict[tuple[str, str], int]


class Writer:
    """Batches handed to a writer process in order, kept until written."""

    def __init__(self, path: Path, workers: ProcessPoolExecutor, fn: Callable[[str, Any], None],
                 here: Callable[[Any], None], refs: Callable[[Any], Refs],
                 written: Callable[[Refs], bool]) -> None:
        self.path = path
        self.workers: ProcessPoolExecutor | None = workers
        self.fn = fn
        self.here = here
        self.refs = refs
        self.written = written
        self.flight: deque[tuple[Future[Done[None]], Any]] = deque()

    @classmethod
    @contextmanager
    def start(cls, path: Path | None, fn: Callable[[str, Any], None],
              here: Callable[[Any], None], refs: Callable[[Any], Refs],
              written: Callable[[Refs], bool]) -> Iterator[Writer | None]:
        """A writer for the book at ``path``; ``None`` (write in process) without path or pool.

        ``fn(path, batch)`` writes a batch in the writer, ``here(batch)`` in this process;
        ``refs(batch)`` are the observations a batch holds, with their leads, and
        ``written(refs)`` says whether a batch with these is in the book. On leaving,
        whatever was handed over is written before this returns, also on an error.
        """
        workers = pool(1) if path is not None else None
        if workers is None or path is None:
            yield None
            return
        with workers:
            yield cls(path, workers, fn, here, refs, written)

    def send(self, batch: Any) -> None:
        """Hand ``batch`` to the writer."""
        if self.workers is not None:
            future = submit(self.workers, self.fn, str(self.path), batch)
            if future is None:
                self._died()
            else:
                self.flight.append((future, batch))
                return
        self.here(batch)

    def flying(self, wanted: Iterable[tuple[str, str]]) -> Refs:
        """Those of ``wanted`` that a batch not yet written holds, with their leads."""
        # Looked up only when asked (a large import asks for the few it met before), not
        # kept as a dict of everything in flight: three dict operations a record, for
        # lookups that nearly always find nothing.
        wanted = set(wanted)
        found: Refs = {}
        if wanted:
            for _, batch in self.flight:
                found.update((ref, lead) for ref, lead in self.refs(batch).items()
                             if ref in wanted)
        return found

    def settle(self, most: int) -> None:
        """Wait until at most ``most`` batches are unwritten; raise what the writer raised."""
        while len(self.flight) > most:
            future, _ = self.flight[0]
            try:
                future.result()
            except BrokenProcessPool:
                self._died()
                return
            self.flight.popleft()

    def _died(self) -> None:
        # Batches are written whole and in order: the first one missing from the book and
        # all after it are written here, and so is everything from now on.
        self.workers = None
        while self.flight:
            _, batch = self.flight.popleft()
            if not self.written(self.refs(batch)):
                self.here(batch)
