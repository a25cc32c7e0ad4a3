"""The polite HTTP layer: pace per host, Retry-After, retries, size cap, robots.txt, cache."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import httpx
import pytest
from conftest import FakeClock, serving

from prospect.http import DiskCache, FetchError, Http, Politeness, limits, make_http

Serve = Callable[[Callable[[httpx.Request], httpx.Response]], Http]


def test_one_host_is_paced_others_are_not(serve: Serve, clock: FakeClock) -> None:
    http = serve(lambda r: httpx.Response(200, text="ok"))
    for _ in range(3):
        http.get("http://a.test/x", interval=1.0)
    http.get("http://b.test/x", interval=1.0)
    assert clock.slept == [1.0, 1.0]


def test_an_injected_clock_paces_a_stoppable_run_too(serve: Serve, clock: FakeClock) -> None:
    # Inside limits(stop=...) (vet_many, search) the waits went by the real clock, whatever
    # clock was given: a test's politeness interval cost real seconds.
    http = serve(lambda r: httpx.Response(200, text="ok"))
    stop = threading.Event()
    with limits(stop=stop):
        http.get("http://a.test/x", interval=30.0)
        http.get("http://a.test/x", interval=30.0)
        assert clock.slept == [30.0]
        stop.set()
        with pytest.raises(FetchError, match="stopped"):
            http.get("http://a.test/x", interval=30.0)


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


def test_redirects_change_the_method_as_browsers_do_and_are_bounded(serve: Serve) -> None:
    seen: list[tuple[str, str, bytes]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.method, request.url.path, request.read()))
        hops = {"/see-other": (303, "/done"), "/temporary": (307, "/done"),
                "/moved": (301, "/done"), "/loop": (302, "/loop"), "/broken": (302, "http://[::1")}
        if request.url.path in hops:
            status, to = hops[request.url.path]
            return httpx.Response(status, headers={"Location": to})
        return httpx.Response(200, text="ok")

    http = serve(handler)
    # 303, and 301 / 302 after a POST: the next request is a GET without the body; 307 and
    # 308 repeat the request as it was.
    for path, method, body in (("/see-other", "GET", b""), ("/moved", "GET", b""),
                               ("/temporary", "POST", b"q=1")):
        seen.clear()
        assert http.post(f"http://a.test{path}", data={"q": "1"}, interval=0.0).text == "ok"
        assert seen[-1] == (method, "/done", body)
    with pytest.raises(FetchError, match="too many redirects"):
        http.get("http://a.test/loop", interval=0.0)
    # A Location that is no address is the server's answer, not a dropped connection: said
    # so at once, not asked again.
    seen.clear()
    with pytest.raises(FetchError, match="redirected to a broken address"):
        http.get("http://a.test/broken", interval=0.0)
    assert len(seen) == 1


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


@contextlib.contextmanager
def _local(body: bytes, headers: dict[str, str]) -> Iterator[str]:
    """A server on 127.0.0.1 answering every GET with ``body`` and ``headers`` as they are."""

    class Fixed(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            self.send_response(200)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    with serving(Fixed) as httpd:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"


def test_two_content_coding_layers_are_refused_and_a_bomb_is_capped_as_it_inflates() -> None:
    import gzip

    page = b"<html>" + b"a" * (20 * 2**20) + b"</html>"
    once = gzip.compress(page, 9)
    twice = gzip.compress(once, 9)
    assert len(twice) < 64 * 1024
    http = make_http(cache=False)
    try:
        with _local(twice, {"Content-Encoding": "gzip, gzip"}) as url, \
                pytest.raises(FetchError, match="2 content-coding layers"):
            http.get(url, interval=0.0)
        with _local(once, {"Content-Encoding": "gzip"}) as url, \
                pytest.raises(FetchError, match="once decompressed"):
            http.get(url, interval=0.0)
        with _local(gzip.compress(b"<html>fine</html>"), {"Content-Encoding": "gzip"}) as url:
            assert http.get(url, interval=0.0).text == "<html>fine</html>"
    finally:
        http.close()


def test_a_retry_after_of_days_takes_the_host_out_at_once(serve: Serve, clock: FakeClock) -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.host)
        if request.url.host == "a.test":
            return httpx.Response(503, headers={"Retry-After": "999999"})
        return httpx.Response(200, text="ok")

    http = serve(handler)
    with pytest.raises(FetchError, match="rate limited"):
        http.get("http://a.test/1")
    with pytest.raises(FetchError, match="rate limited until"):
        http.get("http://a.test/2")
    assert http.get("http://b.test/").text == "ok"
    assert calls == ["a.test", "b.test"] and clock.slept == []


def test_a_reply_that_trickles_in_has_a_total_deadline() -> None:
    import time

    class Trickle(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            try:
                for _ in range(100):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass

    http = make_http(cache=False, timeout=1.0)
    http.total = 1.0
    with serving(Trickle) as httpd, contextlib.closing(http):
        started = time.monotonic()
        with pytest.raises(FetchError, match="too slow"):
            http.get(f"http://127.0.0.1:{httpd.server_address[1]}/", interval=0.0)
        assert time.monotonic() - started < 3
