"""Normalisation of a large input in a second process, one batch ahead of the clustering.

Normalising fields and reducing them to dedupe signatures is pure work that takes about as
long as the clustering itself. For an input of more than one batch a worker process does it
for batch k+1 while the book clusters and writes batch k, so both cores of a small machine
work. One batch needs no worker: a search or a small import never pays for starting one.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from contextlib import nullcontext
from itertools import islice
from typing import Any

from prospect import dedupe
from prospect.models import Observation, json_text, normalize_fields
from prospect.workers import pool, result, submit

__all__ = ["Prepared", "batches", "prepare", "prepare_records"]

# Per observation: its normalised fields, their signature, its blocking keys, and both as the
# book stores them (the fields and the raw record as JSON): the main process, which clusters,
# need not derive or encode any of it.
Prepared = list[tuple[dict[str, str], dedupe.Signature, list[str], str, str]]


def prepare(batch: list[Observation]) -> Prepared:
    """Normalise each observation's fields, reduce them to a signature and keys, encode them."""
    return prepare_records(_records(batch))


def prepare_records(batch: list[tuple[Mapping[str, str], Mapping[str, Any]]]) -> Prepared:
    """:func:`prepare` of (fields, raw) pairs, which is all a worker is sent of a batch."""
    out: Prepared = []
    for given, raw in batch:
        fields = normalize_fields(given)
        sig = dedupe.signature(fields)
        out.append((fields, sig, dedupe.blocking_keys(sig), json_text(fields), json_text(dict(raw))))
    return out


def _records(batch: list[Observation]) -> list[tuple[Mapping[str, str], Mapping[str, Any]]]:
    return [(obs.fields, obs.raw) for obs in batch]


def batches(observations: Iterable[Observation], size: int
            ) -> Iterator[tuple[list[Observation], Prepared]]:
    """Yield the input in batches of ``size``, each with its observations prepared.

    Where no worker can be had (see :mod:`prospect.workers`), batches are prepared here.
    """
    it = iter(observations)
    first = list(islice(it, size))
    second = list(islice(it, size))
    if not second:
        if first:
            yield first, prepare(first)
        return
    workers = pool(1)
    with workers or nullcontext():
        ahead = deque([(second, submit(workers, prepare_records, _records(second)))])
        yield first, prepare(first)
        while ahead:
            batch = list(islice(it, size))
            if batch:
                ahead.append((batch, submit(workers, prepare_records, _records(batch))))
            done, future = ahead.popleft()
            yield done, result(future, prepare, done)
