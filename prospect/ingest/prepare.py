"""Normalisation of a large input in a second process, one batch ahead of the clustering.

Normalising fields and reducing them to dedupe signatures is pure work that takes about as
long as the clustering itself. For an input of more than one batch a worker process does it
for batch k+1 while the book clusters and writes batch k, so both cores of a small machine
work. One batch needs no worker: a search or a small import never pays for starting one.

An input the worker can read again on its own (a file: see :class:`Rereadable`) it also
reads: the clustering process then neither parses the rows nor sends them over, and only
learns each observation's reference. The worker keeps the file open from batch to batch; a
worker started afresh (the last one died) reads from the start and skips what was done.
"""

from __future__ import annotations

import copy
import os
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future
from contextlib import nullcontext
from itertools import count, islice
from typing import Any, Protocol, runtime_checkable

from prospect import dedupe
from prospect.models import Observation, json_text, normalize_fields
from prospect.storage.book import join_lines, split_lines
from prospect.workers import Done, pool, result, submit

__all__ = ["Prepared", "Ref", "Rereadable", "batches", "join_lines", "prepare", "prepare_records",
           "read_and_prepare", "refs", "split_lines"]

# Per observation: its signature and blocking keys, and its normalised fields and raw record
# as the book stores them (JSON). The clustering process needs the first two and passes the
# rest on to the book, which reads a lead's fields back from the JSON where it writes them.
Prepared = list[tuple[dedupe.Signature, list[str], str, str]]
# The same as a worker sends it: the signature as a plain tuple, the keys as one string, a
# key a line (else as a list). A million records cross between processes: a tuple of
# strings pickles in C, a named tuple and a list of eight-odd strings cost several times more.
Packed = list[tuple[tuple[Any, ...], str | list[str], str, str]]
# What the clustering needs of an observation besides its prepared fields: its source,
# reference, lead (when the source knows it) and time fetched.
Ref = tuple[str, str, int | None, str | None]


@runtime_checkable
class Rereadable(Protocol):
    """An input that can be read again from the start (a file, not a stream), and its rejects."""

    rejects: list[Any]

    def observations(self) -> Iterator[Observation]:
        """Read the input from the start; rows it cannot take go to :attr:`rejects`."""
        ...


def prepare(batch: list[Observation]) -> Prepared:
    """Normalise each observation's fields, reduce them to a signature and keys, encode them."""
    return [_prepare_one(given, raw, source) for given, raw, source in _records(batch)]


def _prepare_one(given: Mapping[str, str], raw: Mapping[str, Any], source: str
                 ) -> tuple[dedupe.Signature, list[str], str, str]:
    fields = normalize_fields(given)
    sig = dedupe.signature(fields, source)
    return sig, dedupe.blocking_keys(sig), json_text(fields), json_text(dict(raw))


def prepare_records(batch: list[tuple[Mapping[str, str], Mapping[str, Any], str]]) -> Packed:
    """:func:`prepare` of (fields, raw, source), all a worker is sent of a batch, packed."""
    out: Packed = []
    for given, raw, source in batch:
        sig, keys, fields_json, raw_json = _prepare_one(given, raw, source)
        out.append((tuple(sig), join_lines(keys), fields_json, raw_json))
    return out


def _unpack(packed: Packed) -> Prepared:
    make = dedupe.Signature._make
    # A source's name arrives once a record: kept once, as the leads' profiles keep it.
    sources: dict[str, str] = {}
    return [(make((*sig[:-1], sources.setdefault(sig[-1], sig[-1]))), split_lines(keys),
             fields_json, raw_json) for sig, keys, fields_json, raw_json in packed]


def _records(batch: list[Observation]) -> list[tuple[Mapping[str, str], Mapping[str, Any], str]]:
    return [(obs.fields, obs.raw, obs.source) for obs in batch]


def refs(batch: list[Observation]) -> list[Ref]:
    """The :data:`Ref` of each observation."""
    return [(o.source, o.reference, o.lead_id, o.fetched_at) for o in batch]


def batches(observations: Iterable[Observation] | Rereadable, size: int
            ) -> Iterator[tuple[list[Ref], Prepared]]:
    """Yield the input in batches of ``size``, each observation's :data:`Ref` and preparation.

    Where no worker can be had (see :mod:`prospect.workers`), batches are prepared here.
    """
    if isinstance(observations, Rereadable):
        reread: Rereadable | None = observations
        it = observations.observations()
    else:
        reread, it = None, iter(observations)
    first = list(islice(it, size))
    if reread is not None and len(first) == size:
        yield from _reread_batches(reread, it, first, size)
        return
    second = list(islice(it, size))
    if not second:
        if first:
            yield refs(first), prepare(first)
        return
    workers = pool(1)
    with workers or nullcontext():
        ahead = deque([(second, submit(workers, prepare_records, _records(second), memo=False))])
        yield refs(first), prepare(first)
        while ahead:
            batch = list(islice(it, size))
            if batch:
                ahead.append((batch, submit(workers, prepare_records, _records(batch), memo=False)))
            done, future = ahead.popleft()
            yield refs(done), _unpack(result(future, prepare_records, _records(done)))


def _reread_batches(reread: Rereadable, it: Iterator[Observation], first: list[Observation],
                    size: int) -> Iterator[tuple[list[Ref], Prepared]]:
    # The first batch was read here (it shows a bad header at once, and a small input needs
    # no worker); the worker reads from the second on, one batch ahead, by itself.
    close = getattr(it, "close", None)
    if close is not None:
        close()
    token = f"{os.getpid()}:{next(_TOKENS)}"
    workers = pool(1)
    try:
        with workers or nullcontext():
            def start(at: int) -> tuple[int, Rereadable, Future[Done[_Read]] | None]:
                clone = _clone(reread)
                return at, clone, submit(workers, read_and_prepare, token, clone, at, size,
                                         memo=False)

            ahead = deque([start(size)])
            yield refs(first), prepare(first)
            while ahead:
                at, clone, future = ahead.popleft()
                done, packed, rejects = result(future, read_and_prepare, token, clone, at, size)
                reread.rejects.extend(rejects)
                if len(done) == size:
                    ahead.append(start(at + size))
                if done:
                    yield done, _unpack(packed)
    finally:
        _READING.pop(token, None)  # read here when no worker could


def _clone(reread: Rereadable) -> Rereadable:
    # What a worker is sent: the input as it was given, with no rejects of its own yet.
    clone = copy.copy(reread)
    clone.rejects = []
    return clone


# The inputs this process is reading for read_and_prepare: each with its open iterator and
# the number of observations taken from it.
_READING: dict[str, tuple[Rereadable, Iterator[Observation], int]] = {}
_TOKENS = count()
# What read_and_prepare returns.
_Read = tuple[list[Ref], Packed, list[Any]]


def read_and_prepare(token: str, reread: Rereadable, at: int, size: int) -> _Read:
    """Read observations ``at`` to ``at + size`` of ``reread`` and prepare them, packed.

    Returns their refs, the packed preparation and the rejects met since observation ``at``.
    Calls that go on where the last one with this ``token`` stopped read on from there;
    any other reads from the start.
    """
    entry = _READING.get(token)
    if entry is None or entry[2] != at:
        it = reread.observations()
        deque(islice(it, at), maxlen=0)
        reread.rejects.clear()  # met before ``at``: told by whoever read those
        entry = (reread, it, at)
    source, it, _ = entry
    batch = list(islice(it, size))
    _READING[token] = (source, it, at + len(batch))
    rejects = list(source.rejects)
    source.rejects.clear()
    return refs(batch), prepare_records(_records(batch)), rejects
