"""Every request prospect makes goes through here: one polite, capped, cached HTTP client.

:func:`make_http` builds it around an ``httpx.Client`` (pass ``transport=`` to replace the
network in tests). :class:`Http` adds what a well-behaved crawler owes the sites it visits:

* an honest User-Agent naming the project, timeouts, at most 5 redirects, http/https only,
  a cap on response size, proxies from the standard environment variables;
* a minimum interval per host (1 s for Nominatim, from its policy), shared by all threads;
* ``Retry-After`` honoured on 429/503 and bounded retries with backoff on transient errors;
* robots.txt honoured (protego) for page fetches;
* a disk cache (under the user cache dir) so a re-run the same day asks nobody twice.

hishel would give an RFC 9111 cache, but most of these services send no cache headers at
all and hishel's API changed wholesale in 1.0; a small time-to-live cache keyed on the
request is what "do not hit anyone twice a day" needs, so it is written here.
"""

from __future__ import annotations

import contextlib
import email.utils
import hashlib
import ipaddress
import json
import os
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from prospect import __version__
from prospect.errors import ProspectError

__all__ = ["USER_AGENT", "DiskCache", "FetchError", "Http", "Politeness", "limits", "make_http"]

PROJECT_URL = "https://github.com/prospect-leads/prospect"
USER_AGENT = f"prospect/{__version__} (+{PROJECT_URL})"
MAX_BYTES = 8 * 1024 * 1024
MAX_WAIT = 60.0  # longest Retry-After we sit out; beyond it the source reports the limit
TOTAL = 60.0  # longest one response may take, whatever each read's timeout
RETRIES = 2
MAX_REDIRECTS = 5


class FetchError(ProspectError):
    """A request failed; ``reason`` is the short form shown per source (``timeout``, ``HTTP 503``)."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{urlsplit(url).netloc}: {reason}")
        self.url = url
        self.reason = reason


_limits = threading.local()


@contextlib.contextmanager
def limits(*, deadline: float | None = None,
           stop: threading.Event | None = None) -> Iterator[None]:
    """Bound every request this thread makes inside the block.

    ``deadline`` (a ``time.monotonic()`` time): no wait or transfer runs past it; the request
    fails with reason ``deadline``. ``stop``: once set, waits end at once and requests fail
    with reason ``stopped`` (Ctrl-C, SIGTERM), between two chunks of a transfer at the latest.
    """
    old = getattr(_limits, "deadline", None), getattr(_limits, "stop", None)
    _limits.deadline, _limits.stop = deadline, stop
    try:
        yield
    finally:
        _limits.deadline, _limits.stop = old


def _check(url: str) -> None:
    """Raise FetchError if this thread's run was stopped or is past its deadline."""
    stop = getattr(_limits, "stop", None)
    if stop is not None and stop.is_set():
        raise FetchError(url, "stopped")
    deadline = getattr(_limits, "deadline", None)
    if deadline is not None and time.monotonic() >= deadline:
        raise FetchError(url, "deadline")


def _remaining() -> float | None:
    deadline = getattr(_limits, "deadline", None)
    return None if deadline is None else deadline - time.monotonic()


@dataclass
class Politeness:
    """The earliest time each host may be asked again; safe to share between threads."""

    clock: Callable[[], float] = time.monotonic
    # Given with ``clock`` (a test's fake clock), every wait goes through it; by default a
    # wait is real and a stop (see limits) ends it at once.
    sleep: Callable[[float], None] | None = None
    _next: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait(self, host: str, interval: float, url: str = "") -> None:
        """Block until ``host`` may be asked, and book the next slot ``interval`` later.

        A wait that would run past this thread's deadline fails at once (``deadline``); one
        cut short by a stop fails with ``stopped`` (see :func:`limits`).
        """
        with self._lock:
            now = self.clock()
            at = max(now, self._next.get(host, 0.0))
            left = _remaining()
            if left is not None and at - now > left:
                raise FetchError(url or f"http://{host}/", "deadline")
            self._next[host] = at + interval
        if at > now:
            stop = getattr(_limits, "stop", None)
            if self.sleep is not None:
                self.sleep(at - now)
                stopped = stop is not None and stop.is_set()
            elif stop is None:
                time.sleep(at - now)
                stopped = False
            else:
                stopped = stop.wait(at - now)
            if stopped:
                raise FetchError(url or f"http://{host}/", "stopped")

    def hold(self, host: str, seconds: float) -> None:
        """Keep everyone off ``host`` for ``seconds`` (after a 429 with Retry-After)."""
        with self._lock:
            self._next[host] = max(self._next.get(host, 0.0), self.clock() + seconds)

    def held_until(self, host: str) -> float:
        """Seconds from now until ``host`` may be asked again (0 if it may now)."""
        with self._lock:
            return max(0.0, self._next.get(host, 0.0) - self.clock())


@dataclass
class DiskCache:
    """Successful responses on disk for ``ttl`` seconds, keyed on method, URL and body."""

    root: Path
    ttl: float = 20 * 3600

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / key

    @staticmethod
    def key(method: str, url: str, body: bytes) -> str:
        """Return the cache key of a request."""
        return hashlib.sha256(b"\0".join([method.encode(), url.encode(), body])).hexdigest()

    def get(self, key: str) -> tuple[dict[str, str], bytes] | None:
        """Return (headers, body) if a fresh entry exists."""
        path = self._path(key)
        try:
            if time.time() - path.stat().st_mtime > self.ttl:
                return None
            data = path.read_bytes()
        except OSError:
            return None
        head, _, body = data.partition(b"\n")
        try:
            return dict(json.loads(head)), body
        except ValueError:
            return None

    def put(self, key: str, headers: Mapping[str, str], body: bytes) -> None:
        """Store a response; a cache that cannot be written is skipped, never an error."""
        path = self._path(key)
        try:
            # Owner-only: replies hold people's contact details, as the book does.
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(json.dumps(dict(headers)).encode() + b"\n" + body)
            os.chmod(tmp, 0o600)
            os.replace(tmp, path)
        except OSError:
            pass


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return url.scheme, url.host, url.port


def _raw_chunks(response: httpx.Response) -> Iterator[bytes]:
    """The body as it came over the wire, content-coding still applied."""
    try:
        yield from response.iter_raw()
    except httpx.StreamConsumed:  # a response made in memory (a test transport) holds it
        yield response.content


# Labels the WHATWG Encoding Standard decodes with a wider table, as browsers do: a page
# declared "gb2312" is read as GBK (which sites write under that name), "iso-8859-1" and
# "ascii" as windows-1252, "shift_jis" as Windows' code page 932, "euc-kr" as 949.
_WHATWG = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
           "iso-8859-1": "cp1252", "latin1": "cp1252", "l1": "cp1252", "ascii": "cp1252",
           "us-ascii": "cp1252", "shift_jis": "cp932", "sjis": "cp932", "x-sjis": "cp932",
           "windows-31j": "cp932", "euc-kr": "cp949", "ks_c_5601-1987": "cp949",
           "big5": "big5hkscs", "tis-620": "cp874", "iso-8859-11": "cp874",
           "iso-8859-9": "cp1254"}


def html_text(response: httpx.Response) -> str:
    """An HTML page's text, in the encoding its server declares, else the page itself (a
    ``<meta charset>``, found by Beautiful Soup), else UTF-8 if its bytes are, else the code
    page they read best in (:func:`prospect.textfiles.detect_encoding`, as files are read)."""
    from bs4.dammit import EncodingDetector

    from prospect.textfiles import detect_encoding

    raw = response.content
    declared = [response.charset_encoding,
                EncodingDetector.find_declared_encoding(raw, is_html=True)]
    for encoding in [*(_WHATWG.get(e.strip().lower(), e.strip()) for e in declared
                       if e and e.strip()), "utf-8"]:
        try:
            return raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return raw.decode(detect_encoding(raw[:_DETECT], whole=len(raw) <= _DETECT), "replace")


# How much of a page its code page is read from, where nothing declares it.
_DETECT = 1 << 20


def _decode(url: str, coding: str, raw: bytes, limit: int) -> bytes:
    """Undo one content-coding layer, never producing more than ``limit`` bytes.

    Real servers send one layer (gzip, deflate, br); more than one, or an output past the
    cap, is a decompression bomb: refused as it is produced, not after.
    """
    layers = [c.strip().lower() for c in coding.split(",") if c.strip()]
    layers = [c for c in layers if c != "identity"]
    if not layers:
        return raw
    if len(layers) > 1:
        raise FetchError(url, f"refused: {len(layers)} content-coding layers ({coding})")
    kind = layers[0]
    too_big = FetchError(url, f"response over {limit // 2**20} MB once decompressed")
    if kind in ("gzip", "x-gzip", "deflate"):
        wbits = 16 + zlib.MAX_WBITS if kind != "deflate" else zlib.MAX_WBITS
        try:
            d = zlib.decompressobj(wbits)
            out = d.decompress(raw, limit + 1)
            if len(out) > limit or d.unconsumed_tail:
                raise too_big
        except zlib.error:
            if kind != "deflate":
                raise FetchError(url, "broken gzip body") from None
            d = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, as some servers send it
            try:
                out = d.decompress(raw, limit + 1)
            except zlib.error:
                raise FetchError(url, "broken deflate body") from None
            if len(out) > limit or d.unconsumed_tail:
                raise too_big from None
        return out
    raise FetchError(url, f"unknown content-coding {kind!r}")


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class Http:
    """The polite client: rate limit per host, retries, robots.txt, size cap and cache."""

    def __init__(self, client: httpx.Client, *, politeness: Politeness | None = None,
                 cache: DiskCache | None = None, max_bytes: int = MAX_BYTES,
                 retries: int = RETRIES, max_wait: float = MAX_WAIT,
                 total: float = TOTAL, allow: Sequence[str] = (),
                 resolve: Callable[[str, int], Sequence[Any]] | None = None) -> None:
        self.client = client
        # Networks a guarded request may reach although they are not on the internet.
        self.allow = [ipaddress.ip_network(a, strict=False) for a in allow]
        self.resolve = resolve or (lambda host, port: socket.getaddrinfo(host, port))
        self.total = total  # seconds one response may take from first byte sent to last read
        self.politeness = politeness or Politeness()
        self.cache = cache
        self.max_bytes = max_bytes
        self.retries = retries
        self.max_wait = max_wait
        self._robots: dict[str, Any] = {}
        self._robots_lock = threading.Lock()

    def close(self) -> None:
        """Close the underlying connection pool."""
        self.client.close()

    def get(self, url: str, **kw: Any) -> httpx.Response:
        """GET ``url``; see :meth:`request`."""
        return self.request("GET", url, **kw)

    def get_json(self, url: str, **kw: Any) -> Any:
        """GET ``url`` and decode its JSON; a body that is not JSON is a FetchError too."""
        try:
            return self.get(url, **kw).json()
        except ValueError as ex:
            raise FetchError(url, "sent invalid JSON") from ex

    def post(self, url: str, **kw: Any) -> httpx.Response:
        """POST to ``url``; see :meth:`request`."""
        return self.request("POST", url, **kw)

    def request(self, method: str, url: str, *, params: Mapping[str, Any] | None = None,
                data: Mapping[str, Any] | None = None, content: bytes | None = None,
                headers: Mapping[str, str] | None = None, interval: float = 1.0,
                robots: bool = False, cache: bool = True, guard: bool | None = None,
                ok: tuple[int, ...] = (200,)) -> httpx.Response:
        """Send one request politely and return the response, or raise :class:`FetchError`.

        A status outside ``ok`` raises, after 429/503 (Retry-After) and transient failures
        (timeouts, dropped connections, 502/504) have been retried a bounded number of times.
        ``robots=True`` checks robots.txt first (for pages; APIs publish their own policy).
        ``guard`` (default: as ``robots``, i.e. for pages strangers control) refuses addresses
        on this machine or its networks (see :meth:`check_address`). Redirects are followed
        here, at most 5, each hop checked as the first was; headers the caller set (API keys)
        go no further than the origin they were meant for.
        """
        guard = robots if guard is None else guard
        target = self._checked(url, guard)
        req = self.client.build_request(method, target, params=params, data=data,
                                        content=content, headers=headers)
        body = req.read()
        key = DiskCache.key(method, str(req.url), body) if self.cache and cache else None
        if key and self.cache:
            hit = self.cache.get(key)
            if hit is not None:
                return httpx.Response(200, headers=hit[0], content=hit[1], request=req)
        refused = self.refusal(str(req.url), interval) if robots else ""
        if refused:
            raise FetchError(url, refused)
        own = {k.lower() for k in (headers or {})}
        for _ in range(MAX_REDIRECTS + 1):
            response = self._attempts(req, interval)
            hop = self._redirected(url, req, response, body, own, guard, robots, interval)
            if hop is None:
                break
            req = hop
        else:
            raise FetchError(url, "too many redirects")
        status = response.status_code
        if status not in ok:
            raise FetchError(url, f"HTTP {status}")
        if key and self.cache and status == 200:
            self.cache.put(key, {"content-type": response.headers.get("content-type", "")},
                           response.content)
        return response

    def _redirected(self, url: str, req: httpx.Request, response: httpx.Response, body: bytes,
                    own: set[str], guard: bool, robots: bool, interval: float
                    ) -> httpx.Request | None:
        """The request a redirect leads to (``None``: ``response`` is not one), checked as the
        first was; the caller's own headers (``own``: API keys) only to the same origin."""
        location = response.headers.get("location")
        if response.status_code not in (301, 302, 303, 307, 308) or not location:
            return None
        try:
            nxt = response.url.join(location)
        except httpx.InvalidURL:
            raise FetchError(url, "redirected to a broken address") from None
        nxt = self._checked(str(nxt), guard)
        refused = self.refusal(str(nxt), interval) if robots else ""
        if refused:  # robots.txt of the host redirected to, which may be another
            raise FetchError(str(nxt), refused)
        # httpx gives header names lower-cased; the body's length is the new request's.
        same_origin = _origin(nxt) == _origin(req.url)
        keep = {k: v for k, v in req.headers.items()
                if k != "content-length" and (same_origin or k not in own)}
        if response.status_code == 303 or (response.status_code in (301, 302)
                                           and req.method == "POST"):
            return self.client.build_request("GET", nxt, headers=keep)
        return self.client.build_request(req.method, nxt, headers=keep, content=body)

    def _checked(self, url: str, guard: bool) -> httpx.URL:
        """``url`` parsed once (httpx's parser, the one that sends it), or FetchError."""
        try:
            parsed = httpx.URL(url)
        except httpx.InvalidURL:
            raise FetchError(url, "not a valid address") from None
        if parsed.scheme not in ("http", "https") or not parsed.host:
            raise FetchError(url, "not an http(s) URL")
        if parsed.userinfo:
            raise FetchError(url, "refused: the address carries a user name or password")
        if guard:
            self.check_address(str(parsed), parsed.host, parsed.port)
        return parsed

    def check_address(self, url: str, host: str, port: int | None) -> None:
        """Refuse a host that is, or resolves to, an address that is not on the internet.

        Loopback, private, link-local (cloud metadata at 169.254.169.254), shared and
        reserved ranges, unless ``allow`` names them (a self-hosted service on purpose).
        A name that does not resolve is left to the request, which fails on its own.
        """
        try:
            addresses = [ipaddress.ip_address(host.strip("[]"))]
        except ValueError:
            try:
                infos = self.resolve(host, port or 443)
            except (OSError, UnicodeError):
                return
            addresses = []
            for info in infos:
                with contextlib.suppress(ValueError):
                    addresses.append(ipaddress.ip_address(str(info[4][0]).split("%")[0]))
        for address in addresses:
            plain = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) \
                and address.ipv4_mapped else address
            if plain.is_global or any(plain in net for net in self.allow):
                continue
            raise FetchError(url, f"refused: {host} is a local or private address ({plain})")

    def _attempts(self, req: httpx.Request, interval: float) -> httpx.Response:
        """Send ``req`` (no redirects), retrying what may pass; the last response or FetchError."""
        url = str(req.url)
        host = req.url.netloc.decode("ascii", "replace").lower()
        held = self.politeness.held_until(host)
        if held > self.max_wait:
            # An earlier reply asked for a long pause: this host is out for the run.
            until = time.strftime("%H:%M", time.localtime(time.time() + held))
            raise FetchError(url, f"rate limited until {until}")
        attempt = 0
        while True:
            _check(url)
            self.politeness.wait(host, interval, url)
            try:
                response = self._send(req)
            except httpx.RemoteProtocolError as ex:
                if isinstance(ex.__cause__ or ex.__context__, httpx.InvalidURL):
                    # httpx reads a redirect's Location as it receives the response, and
                    # calls one that is no address a protocol error.
                    raise FetchError(url, "redirected to a broken address") from ex
                if attempt >= self.retries:
                    raise FetchError(url, "connection failed") from ex
                attempt += 1
                self.politeness.hold(host, float(2 ** (attempt - 1)))
                continue
            except (httpx.TimeoutException, httpx.NetworkError) as ex:
                if attempt >= self.retries:
                    reason = "timeout" if isinstance(ex, httpx.TimeoutException) else "connection failed"
                    raise FetchError(url, reason) from ex
                attempt += 1
                self.politeness.hold(host, float(2 ** (attempt - 1)))
                continue
            except httpx.ProxyError as ex:
                raise FetchError(url, f"proxy error ({ex or 'the proxy refused'})") from ex
            except httpx.HTTPError as ex:
                raise FetchError(url, f"{type(ex).__name__}: {ex}" if str(ex)
                                 else type(ex).__name__) from ex
            status = response.status_code
            if status in (429, 503):
                wait = _retry_after(response.headers.get("retry-after"))
                if wait is not None and wait > self.max_wait:
                    self.politeness.hold(host, wait)
                    raise FetchError(url, f"rate limited (HTTP {status}, retry after {wait:.0f} s)")
                if attempt < self.retries:
                    attempt += 1
                    self.politeness.hold(host, wait if wait is not None else 2.0 ** attempt)
                    continue
                raise FetchError(url, f"rate limited (HTTP {status})" if status == 429
                                 else "HTTP 503")
            if status in (502, 504) and attempt < self.retries:
                attempt += 1
                self.politeness.hold(host, float(2 ** (attempt - 1)))
                continue
            return response

    def _send(self, req: httpx.Request) -> httpx.Response:
        url = str(req.url)
        left = _remaining()
        ends = time.monotonic() + (self.total if left is None else min(self.total, left))
        if left is not None:  # no single wait for the server may outlast the deadline
            timeouts = dict(req.extensions.get("timeout") or {})
            req.extensions["timeout"] = {
                k: max(0.1, min(left, v if v is not None else left)) for k, v in
                (timeouts or dict.fromkeys(("connect", "read", "write", "pool"))).items()}
        response = self.client.send(req, stream=True, follow_redirects=False)
        try:
            length = response.headers.get("content-length", "")
            if length.isdigit() and int(length) > self.max_bytes:
                raise FetchError(url, f"response over {self.max_bytes // 2**20} MB")
            chunks: list[bytes] = []
            size = 0
            # Each read has its own timeout; a server that sends a byte now and then keeps
            # every read alive, so the whole transfer has a deadline of its own.
            for chunk in _raw_chunks(response):
                size += len(chunk)
                if size > self.max_bytes:
                    raise FetchError(url, f"response over {self.max_bytes // 2**20} MB")
                if time.monotonic() > ends:
                    _check(url)
                    raise FetchError(url, f"too slow (no full reply in {self.total:.0f} s)")
                _check(url)
                chunks.append(chunk)
        finally:
            response.close()
        body = _decode(url, response.headers.get("content-encoding", ""), b"".join(chunks),
                       self.max_bytes)
        # Rebuilt from the decoded bytes, so the original content-encoding must not apply again.
        headers = [(k, v) for k, v in response.headers.multi_items()
                   if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")]
        return httpx.Response(response.status_code, headers=headers, content=body, request=req)

    def allowed(self, url: str, interval: float = 1.0) -> bool:
        """Say whether robots.txt lets prospect fetch ``url`` (no robots.txt: yes)."""
        return not self.refusal(url, interval)

    def refusal(self, url: str, interval: float = 1.0) -> str:
        """Why robots.txt keeps prospect off ``url``, or "" when it may fetch it.

        RFC 9309 2.3.1: a robots.txt that is not there (4xx) allows everything; one the
        server cannot give (5xx, no answer) forbids everything until it can.
        """
        from protego import Protego

        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._robots_lock:
            known = self._robots.get(origin)
        if known is None:
            note = ""
            try:
                resp = self.request("GET", origin + "/robots.txt", interval=interval,
                                    guard=True, ok=(200, *range(400, 500)))
                text = resp.text if resp.status_code == 200 else ""
            except FetchError as ex:
                if ex.reason.startswith("refused"):
                    raise
                text = "User-agent: *\nDisallow: /\n"
                note = f"robots.txt unavailable ({ex.reason}): not fetched, as RFC 9309 asks"
            known = (Protego.parse(text), note)
            with self._robots_lock:
                self._robots[origin] = known
        rules, note = known
        if rules.can_fetch(url, "prospect"):
            return ""
        return note or "disallowed by robots.txt"


def default_cache_dir() -> Path:
    """Return $PROSPECT_CACHE_DIR, else the platform's user cache directory."""
    env = os.environ.get("PROSPECT_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("prospect")) / "http"


def make_http(*, transport: httpx.BaseTransport | None = None, timeout: float | None = None,
              cache: bool = True, politeness: Politeness | None = None) -> Http:
    """Return the client every source and check shares; ``transport`` replaces the network.

    The timeout is ``timeout``, else $PROSPECT_HTTP_TIMEOUT, else 20 s; the longest
    Retry-After sat out is $PROSPECT_MAX_RETRY_WAIT, else 60 s (a longer one takes the host
    out of the run, reported as rate limited). $PROSPECT_ALLOW_NETWORKS ("10.0.0.0/8
    127.0.0.1/32") lets pages on those private networks be fetched on purpose.
    """
    if timeout is None:
        timeout = float(os.environ.get("PROSPECT_HTTP_TIMEOUT") or 20.0)
    client = httpx.Client(
        transport=transport,
        # Only the codings _decode undoes, each under its size cap.
        headers={"User-Agent": USER_AGENT, "Accept-Language": "en, *;q=0.5",
                 "Accept-Encoding": "gzip, deflate"},
        timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
        follow_redirects=False,  # Http.request follows them, checking each hop
        trust_env=True,  # HTTP(S)_PROXY and NO_PROXY from the environment
    )
    max_wait = float(os.environ.get("PROSPECT_MAX_RETRY_WAIT") or MAX_WAIT)
    allow = (os.environ.get("PROSPECT_ALLOW_NETWORKS") or "").replace(",", " ").split()
    return Http(client, politeness=politeness, max_wait=max_wait, allow=allow,
                cache=DiskCache(default_cache_dir()) if cache else None)
