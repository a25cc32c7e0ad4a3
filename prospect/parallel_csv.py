"""A large plain CSV export written by two processes, each a range of lead ids, kept in order.

SQLite makes each row's CSV line (see LeadBook.csv_lines); reading a million of them still
costs Python a few µs a row, more than the ``sqlite3`` shell needs for the whole row. Rows
ordered by id split into id ranges that separate processes read on their own read-only
connections; the parent writes their text in range order, so the file is the one a single
process would write. At most a few ranges are
in flight, so memory stays flat. A book written to while it is exported gives each range
the book as its own read found it. The workers import only this module (no dedupe, no
sqlite-utils), so they start in a few tens of milliseconds.
"""

from __future__ import annotations

import io
import sqlite3
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future
from contextlib import nullcontext
from itertools import islice
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

from prospect.workers import Done, pool, result, submit

__all__ = ["FROM_SPAN", "RANGE", "WORKERS", "csv_range", "readable", "write_ranges"]

RANGE = 20_000  # lead ids per range: a few MB of text
FROM_SPAN = 100_000  # smaller books are written by one process: starting workers costs more
WORKERS = 2


def csv_range(path: str, sql: str, params: Sequence[Any], low: int, high: int,
              busy_ms: int) -> tuple[bytes, int]:
    """Return the CSV lines ``sql`` makes for ``low <= id < high`` as UTF-8, and their count."""
    con = sqlite3.connect(f"file:{quote(path)}?mode=ro", uri=True)
    try:
        con.execute(f"PRAGMA busy_timeout = {int(busy_ms)}")
        rows = con.execute(f"{sql} AND id >= ? AND id < ? ORDER BY id", [*params, low, high])
        lines = [line for (line,) in rows]
        # Encoded here, in parallel, and handed over as bytes (a copy, not a decode).
        return "".join(lines).encode("utf-8"), len(lines)
    finally:
        con.close()


def readable(path: Path, busy_ms: int) -> bool:
    """Say whether workers can read the book as they would (read-only, by URI)."""
    try:
        con = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
        try:
            con.execute(f"PRAGMA busy_timeout = {int(busy_ms)}")
            con.execute("SELECT id FROM leads LIMIT 1").fetchall()
        finally:
            con.close()
    except sqlite3.Error:
        return False
    return True


def write_ranges(path: Path, sql: str, params: Sequence[Any], low: int, high: int,
                 out: IO[str], busy_ms: int) -> int:
    """Write the rows of ``sql`` (a SELECT ... WHERE ...) with ids in [low, high] to ``out``."""
    bounds = [(start, min(start + RANGE, high + 1)) for start in range(low, high + 1, RANGE)]
    count = 0
    try:  # a file or stdout: the bytes go to the buffer under the text layer
        out.flush()
        write = out.buffer.write  # type: ignore[attr-defined]
    except (AttributeError, io.UnsupportedOperation):
        def write(data: bytes) -> int:
            return out.write(data.decode("utf-8"))
    workers = pool(WORKERS)
    with workers or nullcontext():
        pending = iter(bounds)

        def start(low: int, high: int) -> tuple[int, int, Future[Done[tuple[bytes, int]]] | None]:
            return low, high, submit(workers, csv_range, str(path), sql, params, low, high,
                                     busy_ms)

        ahead = deque(start(*b) for b in islice(pending, 2 * WORKERS + 1))
        while ahead:
            low, high, future = ahead.popleft()
            data, rows = result(future, csv_range, str(path), sql, params, low, high, busy_ms)
            write(data)
            count += rows
            nxt = next(pending, None)
            if nxt is not None:
                ahead.append(start(*nxt))
    return count
