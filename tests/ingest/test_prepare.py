"""Normalisation one batch ahead in a worker process: same results, same order, lazy input."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pytest
from conftest import DeadPool

from prospect import dedupe, workers
from prospect.csvio import CsvImport
from prospect.ingest import prepare
from prospect.models import Observation


def _observations(count: int, pulled: list[int]) -> Iterator[Observation]:
    for i in range(count):
        pulled.append(i)
        yield Observation("t", str(i), {"name": f"Shop {i} GmbH", "phone": f"040 123 45{i:02d}",
                                        "country": "Germany", "website": f"https://shop{i}.de"})


def test_batches_through_the_worker_equal_in_process_work_in_order() -> None:
    pulled: list[int] = []
    seen: list[tuple[list[Any], Any]] = []
    given = list(_observations(11, []))
    for batch, prepared in prepare.batches(_observations(11, pulled), 3):
        # The input is read at most two batches ahead of what has been handed out.
        done = sum(len(b) for b, _ in seen)
        assert len(pulled) <= done + len(batch) + 2 * 3
        assert batch == prepare.refs(given[done:done + len(batch)])
        assert prepared == prepare.prepare(given[done:done + len(batch)])
        seen.append((batch, prepared))
    assert [ref for b, _ in seen for _, ref, *_ in b] == [str(i) for i in range(11)]
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
    assert len(batch) == 2 and prepared == prepare.prepare(list(_observations(2, [])))


def _no_processes(*args: object, **kwargs: object) -> None:
    raise OSError("no process support here")


@pytest.mark.parametrize("pool", [DeadPool, _no_processes], ids=["dead worker", "no processes"])
def test_without_a_worker_batches_are_prepared_in_process(monkeypatch: pytest.MonkeyPatch,
                                                          pool: object) -> None:
    monkeypatch.setattr(workers, "ProcessPoolExecutor", pool)
    got = list(prepare.batches(_observations(8, []), 3))
    assert [len(b) for b, _ in got] == [3, 3, 2]
    assert [p for _, prepared in got for p in prepared] == prepare.prepare(
        list(_observations(8, [])))


def test_keys_with_a_line_break_cross_as_they_are(monkeypatch: pytest.MonkeyPatch) -> None:
    # Normalised values hold no line breaks; should a key ever hold one, it is not split.
    monkeypatch.setattr(dedupe, "blocking_keys", lambda sig: ["c:a\nb", "t:x"])
    batch = list(_observations(2, []))
    assert [keys for _, keys, *_ in prepare._unpack(prepare.prepare_records(
        prepare._records(batch)))] == [["c:a\nb", "t:x"]] * 2
    monkeypatch.setattr(dedupe, "blocking_keys", lambda sig: [])
    assert prepare._unpack(prepare.prepare_records(prepare._records(batch)))[0][1] == []


def _csv(path: Path) -> CsvImport:
    # Eleven good rows; rows it rejects sit right after a batch's last row (3 and 9), inside
    # a batch, and last.
    lines = ["record_id,name,phone,city"]
    for i in range(11):
        lines.append(f"r{i},Shop {i} GmbH,040 123 45{i:02d},Hamburg")
        if i in (2, 4, 8):
            lines.append(f"x{i},,,Hamburg")  # nothing to find a lead by
        if i == 5:
            lines.append("r1,Shop 1 again,,Kiel")  # an id already read
    lines.append("a,b,c,d,e")  # more fields than the header
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return CsvImport(path, "list", "record_id")


def _read_here(path: Path) -> tuple[list[Observation], list[tuple[int, str]]]:
    reader = _csv(path)
    return list(reader.observations()), [(r.line, r.reason) for r in reader.rejects]


class _DiesAfter:
    """A pool of one worker that does ``jobs`` jobs, in a process state of its own, then dies."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        self.jobs = 2
        self.reading: dict[str, object] = {}

    def __enter__(self) -> _DiesAfter:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def submit(self, job: Callable[..., object], fn: Callable[..., object],
               *args: object) -> Future[object]:
        if self.jobs == 0:
            raise BrokenProcessPool("the worker died")
        self.jobs -= 1
        here, prepare._READING = prepare._READING, self.reading  # type: ignore[assignment]
        try:
            future: Future[object] = Future()
            future.set_result(job(fn, *args))
            return future
        finally:
            prepare._READING = here


@pytest.mark.parametrize("pool", [None, _DiesAfter, DeadPool],
                         ids=["worker", "worker dies midway", "dead worker"])
def test_a_file_is_read_by_the_worker_as_it_would_be_here(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, pool: object) -> None:
    if pool is not None:
        monkeypatch.setattr(workers, "ProcessPoolExecutor", pool)
    given, rejects = _read_here(tmp_path / "list.csv")
    reader = _csv(tmp_path / "list.csv")
    opened: list[int] = []
    read = CsvImport.observations

    def observations(self: CsvImport) -> Iterator[Observation]:
        opened.append(1)
        return read(self)

    monkeypatch.setattr(CsvImport, "observations", observations)
    got = list(prepare.batches(reader, 3))
    if pool is not None:
        # Read from the start here, by the worker, and here again once it died; each
        # reads on from where it stopped.
        reads: dict[Any, int] = {_DiesAfter: 3, DeadPool: 2}
        assert len(opened) == reads[pool]
    assert [len(b) for b, _ in got] == [3, 3, 3, 2]
    assert [ref for batch, _ in got for ref in batch] == prepare.refs(given)
    assert [p for _, prepared in got for p in prepared] == prepare.prepare(given)
    # Each reject told once, in the file's order, whichever process met it.
    assert [(r.line, r.reason) for r in reader.rejects] == rejects and len(rejects) == 5
    assert reader.encoding == "utf-8"
    assert not prepare._READING


def test_a_file_of_one_batch_needs_no_worker(monkeypatch: pytest.MonkeyPatch,
                                             tmp_path: Path) -> None:
    def no_pool(*args: object, **kwargs: object) -> None:
        raise AssertionError("a worker was started")

    monkeypatch.setattr(workers, "ProcessPoolExecutor", no_pool)
    given, rejects = _read_here(tmp_path / "list.csv")
    reader = _csv(tmp_path / "list.csv")
    (batch, prepared), = prepare.batches(reader, 20)
    assert batch == prepare.refs(given) and prepared == prepare.prepare(given)
    assert [(r.line, r.reason) for r in reader.rejects] == rejects
