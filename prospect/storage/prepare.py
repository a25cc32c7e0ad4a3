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

__all__ = ["Prepared", "batches", "join_lines", "prepare", "prepare_records", "split_lines"]

# Per observation: its signature and blocking keys, and its normalised fields and raw record
# as the book stores them (JSON). The clustering process needs the first two and passes the
# rest on to the book, which reads a lead's fields back from the JSON where it writes them.
Prepared = list[tuple[dedupe.Signature, list[str], str, str]]
# The same as a worker sends it: the signature as a plain tuple, the keys as one string, a
# key a line (else as a list). A million records cross between processes: a tuple of
# strings pickles in C, a named tuple and a list of a dozen strings cost several times more.
Packed = list[tuple[tuple[Any, ...], str | list[str], str, str]]


def prepare(batch: list[Observation]) -> Prepared:
    """Normalise each observation's fields, reduce them to a signature and keys, encode them."""
    return [_prepare_one(given, raw) for given, raw in _records(batch)]


def _prepare_one(given: Mapping[str, str], raw: Mapping[str, Any]
                 ) -> tuple[dedupe.Signature, list[str], str, str]:
    fields = normalize_fields(given)
    sig = dedupe.signature(fields)
    return sig, dedupe.blocking_keys(sig), json_text(fields), json_text(dict(raw))


def prepare_records(batch: list[tuple[Mapping[str, str], Mapping[str, Any]]]) -> Packed:
    """:func:`prepare` of (fields, raw) pairs, which is all a worker is sent of a batch, packed."""
    out: Packed = []
    for given, raw in batch:
        sig, keys, fields_json, raw_json = _prepare_one(given, raw)
        out.append((tuple(sig), join_lines(keys), fields_json, raw_json))
    return out


def join_lines(keys: list[str]) -> str | list[str]:
    """Blocking keys as one string, a key a line, to cross between processes; else as they are."""
    text = "\n".join(keys)
    # Normalised values hold no line breaks, so the list is only ever a safeguard.
    return text if keys and text.count("\n") == len(keys) - 1 else keys


def split_lines(keys: str | list[str]) -> list[str]:
    """The keys :func:`join_lines` joined."""
    return keys.split("\n") if isinstance(keys, str) else keys


def _unpack(packed: Packed) -> Prepared:
    make = dedupe.Signature._make
    return [(make(sig), split_lines(keys), fields_json, raw_json)
            for sig, keys, fields_json, raw_json in packed]


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
            yield done, _unpack(result(future, prepare_records, _records(done)))
