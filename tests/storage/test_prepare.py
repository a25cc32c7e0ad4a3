"""Normalisation one batch ahead in a worker process: same results, same order, lazy input."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from conftest import DeadPool

from prospect import dedupe, workers
from prospect.models import Observation
from prospect.storage import prepare


def _observations(count: int, pulled: list[int]) -> Iterator[Observation]:
    for i in range(count):
        pulled.append(i)
        yield Observation("t", str(i), {"name": f"Shop {i} GmbH", "phone": f"040 123 45{i:02d}",
                                        "country": "Germany", "website": f"https://shop{i}.de"})


def test_batches_through_the_worker_equal_in_process_work_in_order() -> None:
    pulled: list[int] = []
    seen = []
    for batch, prepared in prepare.batches(_observations(11, pulled), 3):
        # The input is read at most two batches ahead of what has been handed out.
        assert len(pulled) <= sum(len(b) for b, _ in seen) + len(batch) + 2 * 3
        assert prepared == prepare.prepare(batch)
        seen.append((batch, prepared))
    assert [o.reference for b, _ in seen for o in b] == [str(i) for i in range(11)]
    assert [len(b) for b, _ in seen] == [3, 3, 3, 2]
    sig, keys, fields_json, _ = seen[-1][1][0]  # from the worker, as prepared here
    assert isinstance(sig, dedupe.Signature) and sig.core == "shop 9" and "c:shop9" in keys
    assert json.loads(fields_json)["phone"] == "+49401234509"


def test_one_batch_or_none_needs_no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pool(*args: object, **kwargs: object) -> None:
        raise AssertionError("a worker was started")

    monkeypatch.setattr(workers, "ProcessPoolExecutor", no_pool)
    assert list(prepare.batches(iter([]), 3)) == []
    (batch, prepared), = prepare.batches(_observations(2, []), 3)
    assert len(batch) == 2 and prepared == prepare.prepare(batch)


def _no_processes(*args: object, **kwargs: object) -> None:
    raise OSError("no process support here")


@pytest.mark.parametrize("pool", [DeadPool, _no_processes], ids=["dead worker", "no processes"])
def test_without_a_worker_batches_are_prepared_in_process(monkeypatch: pytest.MonkeyPatch,
                                                          pool: object) -> None:
    monkeypatch.setattr(workers, "ProcessPoolExecutor", pool)
    got = list(prepare.batches(_observations(8, []), 3))
    assert [len(b) for b, _ in got] == [3, 3, 2]
    assert all(p == prepare.prepare(b) for b, p in got)


def test_keys_with_a_line_break_cross_as_they_are(monkeypatch: pytest.MonkeyPatch) -> None:
    # Normalised values hold no line breaks; should a key ever hold one, it is not split.
    monkeypatch.setattr(dedupe, "blocking_keys", lambda sig: ["c:a\nb", "t:x"])
    batch = list(_observations(2, []))
    assert [keys for _, keys, *_ in prepare._unpack(prepare.prepare_records(
        prepare._records(batch)))] == [["c:a\nb", "t:x"]] * 2
    monkeypatch.setattr(dedupe, "blocking_keys", lambda sig: [])
    assert prepare._unpack(prepare.prepare_records(prepare._records(batch)))[0][1] == []
