"""The polite HTTP layer: pace per host, Retry-After, retries, size cap, robots.txt, cache."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from conftest import FakeClock

from prospect.http import DiskCache, FetchError, Http, Politeness, make_http

Serve = Callable[[Callable[[httpx.Request], httpx.Response]], Http]


def test_one_host_is_paced_others_are_not(serve: Serve, clock: FakeClock) -> None:
    http = serve(lambda r: httpx.Response(200, text="ok"))
    for _ in range(3):
        http.get("http://a.test/x", interval=1.0)
    http.get("http://b.test/x", interval=1.0)
    assert clock.slept == [1.0, 1.0]


def test_retry_after_is_honoured_then_succeeds(serve: Serve, clock: FakeClock) -> None:
    answers = [httpx.Response(429, headers={"Retry-After": "7"}), httpx.Response(200, text="ok")]
    http = serve(lambda r: answers.pop(0))
    assert http.get("http://a.test/", interval=0.0).text == "ok"
    assert sum(clock.slept) >= 7


def test_long_retry_after_fails_at_once(serve: Serve, clock: FakeClock) -> None:
    http = serve(lambda r: httpx.Response(429, headers={"Retry-After": "3600"}))
    with pytest.raises(FetchError, match="rate limited"):
        http.get("http://a.test/")
    assert clock.slept == []


def test_transient_errors_are_retried_a_bounded_number_of_times(serve: Serve) -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(FetchError, match="timeout"):
        serve(handler).get("http://a.test/")
    assert len(calls) == 3


def test_size_cap_and_scheme(serve: Serve) -> None:
    http = serve(lambda r: httpx.Response(200, content=b"x" * 2048))
    http.max_bytes = 1024
    with pytest.raises(FetchError, match="response over"):
        http.get("http://a.test/big")
    with pytest.raises(FetchError, match="not an http"):
        http.get("file:///etc/passwd")


def test_robots_txt_is_honoured(serve: Serve) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(200, text="User-agent: *\nDisallow: /private\n")
        return httpx.Response(200, text="page")

    http = serve(handler)
    assert http.get("http://a.test/contact", robots=True).text == "page"
    with pytest.raises(FetchError, match="robots"):
        http.get("http://a.test/private/x", robots=True)


def test_cache_answers_the_second_time(tmp_path: Path) -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(200, json={"n": len(calls)})

    clock = FakeClock()
    http = make_http(transport=httpx.MockTransport(handler), cache=False,
                     politeness=Politeness(clock=clock, sleep=clock.sleep))
    http.cache = DiskCache(tmp_path)
    assert http.get("http://a.test/q", params={"q": "x"}).json() == {"n": 1}
    assert http.get("http://a.test/q", params={"q": "x"}).json() == {"n": 1}
    assert http.get("http://a.test/q", params={"q": "y"}).json() == {"n": 2}
    http.close()
