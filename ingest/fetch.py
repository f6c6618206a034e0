"""The only module of Saring that talks HTTP: a polite, bounded, allow-listed GET.

Every request goes through the same rules, whoever asks for it:

* only ``http``/``https`` URLs on ``malangkota.go.id`` (or a subdomain) or on a host named by the
  caller, and only on port 80, 443 or a port the caller named with that host ("host:8080", a
  source's own port); anything else is refused before any network traffic;
* the host is resolved once and every address must be public; the socket then dials exactly the
  vetted address, so a second DNS answer cannot swap it (DNS rebinding);
* redirects are followed by hand, each hop checked again;
* the body is capped in bytes both before and after gzip/deflate decoding;
* every socket operation (connect, TLS handshake, each send and each read of the status line,
  headers and body) waits at most the per-read timeout, cut to what is left of one wall-clock
  budget for the whole ``get()`` (redirect hops and robots.txt included, the politeness wait
  not), so a server that dribbles one byte at a time is dropped when the budget runs out;
* robots.txt is honoured (read once per origin and process, and, given a store, at most once a
  day across runs), requests to one host are spaced by ``delay`` seconds, and the bot says who
  it is in its User-Agent;
* ETag / Last-Modified are remembered so a repeat fetch can come back as a cheap 304.

Error statuses (404, 410, 500 ...) are answers, not failures: they come back as :class:`Fetched`.
Failures of the network or of a rule raise a :class:`FetchError` subclass.
"""

from __future__ import annotations

import http.client
import ipaddress
import logging
import os
import socket
import ssl
import threading
import time
import urllib.robotparser
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol
from urllib.parse import SplitResult, quote, urljoin, urlsplit

logger = logging.getLogger(__name__)

DEFAULT_USER_AGENT = (
    "SaringBot/0.1 (+https://github.com/saring-malang/saring; arsip informasi publik Kota Malang)"
)
ROBOTS_AGENT = "SaringBot"  # the token matched against robots.txt User-agent lines
DEFAULT_DOMAIN = "malangkota.go.id"  # this domain and all its subdomains are always allowed
ALLOW_PRIVATE_ENV = "SARING_ALLOW_PRIVATE_HOSTS"  # "1" lifts the public-address rule

ROBOTS_MAX_BYTES = 500_000
ROBOTS_RETRY_AFTER = 600.0  # seconds before a robots.txt that failed to load is tried again
ROBOTS_MAX_AGE = 86400.0  # seconds a robots.txt answer kept in a RobotsStore is used by later runs
ROBOTS_NO_ANSWER = 0  # the status kept for a robots.txt that could not be fetched at all
MAX_CRAWL_DELAY = 30.0  # a robots.txt Crawl-delay above this is clamped
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
DEFAULT_PORTS = frozenset({80, 443})  # always allowed on an allowed host; others only when named
READ_CHUNK = 64 * 1024

# Characters left alone when a path or query is re-quoted for the request line; everything else
# (spaces, non-ASCII) is percent-encoded, and existing escapes are kept.
_SAFE_PATH = "/%:@!$&'()*+,;=-._~"
_SAFE_QUERY = _SAFE_PATH + "?"


@dataclass
class Fetched:
    """One HTTP answer: final URL after redirects, status, lower-cased headers, decoded body.

    ``headers`` are as the server sent them, so ``content-encoding`` and ``content-length`` describe
    the bytes on the wire, while ``body`` is already gunzipped/inflated.
    """

    url: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def not_modified(self) -> bool:
        """True when the server answered 304: the copy we already hold is current."""
        return self.status == 304

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower-case ("" when the server sent none)."""
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    @property
    def charset(self) -> str | None:
        """The charset parameter of Content-Type, lower-case, or None when absent."""
        for param in self.headers.get("content-type", "").split(";")[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "charset":
                return value.strip().strip("\"'").lower() or None
        return None


class FetchError(Exception):
    """Base: a fetch that failed; str() is a clear English message naming the URL."""

    def __init__(self, message: str, url: str = "") -> None:
        super().__init__(message)
        self.url = url


class BlockedURL(FetchError):
    """A rule refused the URL: scheme, host allow-list, non-public address or foreign redirect."""


class RobotsDisallowed(FetchError):
    """robots.txt of the host asks SaringBot not to fetch this URL."""


class TooLarge(FetchError):
    """The body, as sent or once decompressed, is larger than the fetcher's byte cap."""


class FetchTimeout(FetchError):
    """Connecting, waiting or reading took longer than the fetcher allows."""


class ValidatorCache(Protocol):
    """Memory of ETag / Last-Modified per URL, used for conditional GETs."""

    def lookup(self, url: str) -> tuple[str | None, str | None]:
        """Return (etag, last_modified) last seen for url, (None, None) when unknown."""
        ...

    def remember(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Store the validators of a fresh 200 answer for url (None clears a value)."""
        ...


class RobotsStore(Protocol):
    """Durable memory of each origin's robots.txt answer, so separate runs share one fetch."""

    def find_robots(self, origin: str) -> tuple[int, str, datetime] | None:
        """Return (status, body, fetched_at) kept for origin, None when nothing is kept."""
        ...

    def keep_robots(self, origin: str, status: int, body: str, fetched_at: datetime) -> None:
        """Keep origin's robots.txt answer: its HTTP status (ROBOTS_NO_ANSWER when the fetch
        failed), its body ("" unless 200) and when it was fetched, replacing the older one."""
        ...


class MemoryValidators:
    """A ValidatorCache in a dict; lives as long as the object (the default of a Fetcher)."""

    def __init__(self) -> None:
        self._seen: dict[str, tuple[str | None, str | None]] = {}

    def lookup(self, url: str) -> tuple[str | None, str | None]:
        """Return (etag, last_modified) last seen for url, (None, None) when unknown."""
        return self._seen.get(url, (None, None))

    def remember(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Store the validators of a fresh 200 answer for url."""
        self._seen[url] = (etag, last_modified)


@dataclass
class _Target:
    """A URL that passed the scheme and host checks, split into what a request needs."""

    url: str
    scheme: str
    host: str  # lower-case, no brackets, no trailing dot
    port: int
    request_path: str  # path + query, quoted for the request line

    @property
    def origin(self) -> str:
        """scheme://host[:port], the key for robots.txt (default ports left out)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        if self.port == (443 if self.scheme == "https" else 80):
            return f"{self.scheme}://{host}"
        return f"{self.scheme}://{host}:{self.port}"


@dataclass
class _RobotsEntry:
    parser: urllib.robotparser.RobotFileParser | None  # None: everything allowed
    expires: float  # time.monotonic() after which to load again; inf for a real answer


class Fetcher:
    """Fetches allow-listed URLs under Saring's rules (see the module docstring)."""

    def __init__(
        self,
        allowed_hosts: Iterable[str] = (),
        *,
        allow_private: bool | None = None,
        timeout: float = 15.0,
        max_bytes: int = 5_000_000,
        delay: float = 1.0,
        user_agent: str = DEFAULT_USER_AGENT,
        respect_robots: bool = True,
        validators: ValidatorCache | None = None,
        max_redirects: int = 5,
        total_timeout: float | None = None,
        robots_store: RobotsStore | None = None,
    ) -> None:
        """Set the rules; total_timeout (default 4 x timeout) bounds one whole get();
        robots_store keeps robots.txt answers beyond this object (default: memory only)."""
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        if max_bytes <= 0:
            raise ValueError("max_bytes must be positive")
        if delay < 0:
            raise ValueError("delay must not be negative")
        if max_redirects < 0:
            raise ValueError("max_redirects must not be negative")
        self.allowed_ports: dict[str, frozenset[int]] = {}  # host -> ports besides 80 and 443
        for entry in allowed_hosts:
            host, port = _parse_allowed_host(entry)
            extra = {port} if port is not None else set()
            self.allowed_ports[host] = self.allowed_ports.get(host, frozenset()) | extra
        self.allowed_hosts = frozenset(self.allowed_ports)
        if allow_private is None:
            allow_private = os.environ.get(ALLOW_PRIVATE_ENV, "").strip() == "1"
        self.allow_private = allow_private
        self.timeout = timeout
        self.total_timeout = total_timeout if total_timeout is not None else 4 * timeout
        if self.total_timeout <= 0:
            raise ValueError("total_timeout must be positive")
        self.max_bytes = max_bytes
        self.delay = delay
        self.user_agent = user_agent
        self.respect_robots = respect_robots
        self.validators: ValidatorCache = (
            validators if validators is not None else MemoryValidators()
        )
        self.max_redirects = max_redirects
        self._last_start: dict[str, float] = {}  # host -> monotonic start of the last request
        self._host_delay: dict[str, float] = {}  # host -> Crawl-delay from robots.txt
        self._robots: dict[str, _RobotsEntry] = {}  # origin -> parsed robots.txt
        self.robots_store = robots_store
        self._tls = ssl.create_default_context()
        self._tls.sslsocket_class = _DeadlineSSLSocket

    def allows(self, url: str) -> bool:
        """True when url is http(s) on an allowed host and port; no DNS, no network."""
        try:
            self._target(url)
        except BlockedURL:
            return False
        return True

    def get(
        self,
        url: str,
        *,
        conditional: bool = True,
        accept: str | None = None,
        max_bytes: int | None = None,
    ) -> Fetched:
        """GET url under every rule; 4xx/5xx come back as Fetched, failures raise FetchError.

        `max_bytes` replaces the fetcher's byte cap for this one request (documents have their
        own cap).
        """
        if max_bytes is not None and max_bytes <= 0:
            raise ValueError("max_bytes must be positive")
        return self._get(
            url,
            conditional=conditional,
            accept=accept or "*/*",
            max_bytes=max_bytes or self.max_bytes,
            check_robots=self.respect_robots,
            budget=_Budget(self.total_timeout, self.timeout, url),
        )

    # -- the redirect loop -------------------------------------------------------------------

    def _get(
        self,
        url: str,
        *,
        conditional: bool,
        accept: str,
        max_bytes: int,
        check_robots: bool,
        budget: _Budget,
    ) -> Fetched:
        target = self._target(url)
        for hop in range(self.max_redirects + 1):
            addresses = self._resolve(target, budget)  # the address rule comes before robots
            if check_robots and not self._robots_allow(target, budget):
                raise RobotsDisallowed(
                    f"robots.txt of {target.host} disallows fetching {target.url}", target.url
                )
            etag, modified = (None, None)
            if conditional:
                etag, modified = self.validators.lookup(target.url)
            fetched = self._exchange(target, addresses, accept, max_bytes, etag, modified, budget)
            location = fetched.headers.get("location", "").strip()
            if fetched.status in REDIRECT_STATUSES and location:
                next_url = urljoin(target.url, location)
                try:
                    target = self._target(next_url)
                except BlockedURL as exc:
                    raise BlockedURL(
                        f"redirect from {target.url} to {next_url} refused: {exc}", next_url
                    ) from None
                logger.debug("redirect %d of %s -> %s", hop + 1, url, next_url)
                continue
            if fetched.status == 200 and conditional:
                self.validators.remember(
                    target.url, fetched.headers.get("etag"), fetched.headers.get("last-modified")
                )
            return fetched
        raise FetchError(f"too many redirects (more than {self.max_redirects}) from {url}", url)

    # -- rules -------------------------------------------------------------------------------

    def _target(self, url: str) -> _Target:
        """Check scheme and host of url and split it; raise BlockedURL when a rule says no."""
        url = url.strip()
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as exc:
            raise BlockedURL(f"malformed URL {url!r}: {exc}", url) from None
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise BlockedURL(f"only http and https URLs are fetched, not {url}", url)
        host = (parts.hostname or "").rstrip(".")
        if not host:
            raise BlockedURL(f"URL has no host: {url}", url)
        if not self._host_allowed(host):
            raise BlockedURL(f"host {host} is not on the allow-list, refusing {url}", url)
        if port is None:
            port = 443 if scheme == "https" else 80
        if port not in DEFAULT_PORTS and port not in self.allowed_ports.get(host, ()):
            raise BlockedURL(
                f"port {port} of {host} is not allowed (only 80, 443 and ports named in the "
                f"sources), refusing {url}",
                url,
            )
        return _Target(url=url, scheme=scheme, host=host, port=port, request_path=_path_of(parts))

    def _host_allowed(self, host: str) -> bool:
        return (
            host == DEFAULT_DOMAIN
            or host.endswith("." + DEFAULT_DOMAIN)
            or host in self.allowed_hosts
        )

    def _resolve(self, target: _Target, budget: _Budget) -> list[tuple[int, tuple]]:
        """Resolve the host once, within the budget; unless allowed, refuse it when any address
        is not public."""
        try:
            infos = _lookup(target.host, target.port, budget.next_wait())
        except (socket.gaierror, UnicodeError) as exc:
            raise FetchError(
                f"could not resolve {target.host} for {target.url}: {exc}", target.url
            ) from None
        except TimeoutError:
            raise FetchError(
                f"gave up resolving {target.host} for {target.url}: no answer from DNS within "
                f"{budget.total:g} s",
                target.url,
            ) from None
        addresses = [(family, sockaddr) for family, _, _, _, sockaddr in infos]
        if not addresses:
            raise FetchError(f"no address found for {target.host} ({target.url})", target.url)
        if not self.allow_private:
            for _, sockaddr in addresses:
                reason = _non_public_reason(sockaddr[0])
                if reason:
                    raise BlockedURL(
                        f"{target.host} resolves to {reason} address {sockaddr[0]}, "
                        f"refusing {target.url}",
                        target.url,
                    )
        return addresses

    def _wait_turn(self, host: str) -> float:
        """Sleep until `delay` seconds have passed since the last request to host began.

        Returns the seconds slept (our own politeness, not charged to the fetch's budget).
        """
        spacing = max(self.delay, self._host_delay.get(host, 0.0))
        last = self._last_start.get(host)
        slept = 0.0
        if last is not None:
            remaining = last + spacing - time.monotonic()
            if remaining > 0:
                logger.debug("waiting %.2f s before the next request to %s", remaining, host)
                time.sleep(remaining)
                slept = remaining
        self._last_start[host] = time.monotonic()
        return slept

    # -- robots.txt --------------------------------------------------------------------------

    def _robots_allow(self, target: _Target, budget: _Budget) -> bool:
        entry = self._robots.get(target.origin)
        if entry is None or entry.expires <= time.monotonic():
            entry = self._stored_robots(target) or self._load_robots(target, budget)
            self._robots[target.origin] = entry
        if entry.parser is None:
            return True
        return entry.parser.can_fetch(ROBOTS_AGENT, target.url)

    def _stored_robots(self, target: _Target) -> _RobotsEntry | None:
        """The store's answer for the origin while it is young enough, else None."""
        kept = self.robots_store.find_robots(target.origin) if self.robots_store else None
        if kept is None:
            return None
        status, body, fetched_at = kept
        age = (datetime.now(UTC) - fetched_at).total_seconds()
        if not 0 <= age < (ROBOTS_RETRY_AFTER if _robots_failed(status) else ROBOTS_MAX_AGE):
            return None
        logger.debug("robots.txt of %s kept from %.0f s ago", target.origin, age)
        return self._robots_entry(target, status, body, age)

    def _load_robots(self, target: _Target, budget: _Budget) -> _RobotsEntry:
        robots_url = target.origin + "/robots.txt"
        try:
            fetched = self._get(
                robots_url,
                conditional=False,
                accept="text/plain, */*;q=0.5",
                max_bytes=ROBOTS_MAX_BYTES,
                check_robots=False,
                budget=budget,
            )
        except FetchError as exc:
            logger.warning(
                "robots.txt unavailable (%s); treating %s as allowed", exc, target.origin
            )
            status, body = ROBOTS_NO_ANSWER, ""
        else:
            status = fetched.status
            body = fetched.body.decode("utf-8", errors="replace") if status == 200 else ""
            if status >= 500:
                logger.warning(
                    "robots.txt at %s answered %d; treating the host as allowed for now",
                    robots_url,
                    status,
                )
            elif status != 200:
                logger.debug("robots.txt at %s answered %d: all allowed", robots_url, status)
        if self.robots_store is not None:
            self.robots_store.keep_robots(target.origin, status, body, datetime.now(UTC))
        return self._robots_entry(target, status, body, 0.0)

    def _robots_entry(self, target: _Target, status: int, body: str, age: float) -> _RobotsEntry:
        """What a robots.txt answer `age` seconds old means: a failure allows everything until
        it is retried, another non-200 answer allows everything, a 200 is parsed (Crawl-delay
        included)."""
        if _robots_failed(status):
            return _RobotsEntry(None, time.monotonic() + ROBOTS_RETRY_AFTER - age)
        if status != 200:
            return _RobotsEntry(None, float("inf"))
        parser = urllib.robotparser.RobotFileParser(target.origin + "/robots.txt")
        parser.parse(body.splitlines())
        crawl_delay = parser.crawl_delay(ROBOTS_AGENT)
        if crawl_delay:
            self._host_delay[target.host] = min(float(crawl_delay), MAX_CRAWL_DELAY)
        return _RobotsEntry(parser, float("inf"))

    # -- one request and its answer ----------------------------------------------------------

    def _exchange(
        self,
        target: _Target,
        addresses: list[tuple[int, tuple]],
        accept: str,
        max_bytes: int,
        etag: str | None,
        modified: str | None,
        budget: _Budget,
    ) -> Fetched:
        """Send one GET to the vetted addresses of target and read the answer, no redirects."""
        budget.pause(self._wait_turn(target.host))
        started = time.monotonic()
        headers = {
            "User-Agent": self.user_agent,
            "Accept": accept,
            "Accept-Encoding": "gzip, deflate",
            "Connection": "close",
        }
        if etag:
            headers["If-None-Match"] = etag
        if modified:
            headers["If-Modified-Since"] = modified
        conn: http.client.HTTPConnection
        if target.scheme == "https":
            conn = _PinnedHTTPSConnection(
                target.host, target.port, addresses, budget, context=self._tls
            )
        else:
            conn = _PinnedHTTPConnection(target.host, target.port, addresses, budget)
        try:
            conn.request("GET", target.request_path, headers=headers)
            response = conn.getresponse()
            fetched = self._read_response(target, response, max_bytes)
        except FetchError:
            raise
        except TimeoutError:
            raise FetchTimeout(budget.timeout_message(target.url), target.url) from None
        except http.client.IncompleteRead:
            raise FetchError(
                f"connection closed before the whole body of {target.url} arrived", target.url
            ) from None
        except ssl.SSLError as exc:
            raise FetchError(f"TLS failed for {target.url}: {exc}", target.url) from None
        except http.client.HTTPException as exc:
            raise FetchError(f"bad HTTP answer from {target.url}: {exc!r}", target.url) from None
        except (OSError, ValueError) as exc:
            raise FetchError(f"could not fetch {target.url}: {exc}", target.url) from None
        finally:
            conn.close()
        logger.debug(
            "GET %s -> %d, %d bytes in %.2f s",
            target.url,
            fetched.status,
            len(fetched.body),
            time.monotonic() - started,
        )
        return fetched

    def _read_response(
        self, target: _Target, response: http.client.HTTPResponse, max_bytes: int
    ) -> Fetched:
        headers: dict[str, str] = {}
        for name, value in response.getheaders():
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        status = response.status
        if status == 304 or status in REDIRECT_STATUSES:
            return Fetched(url=target.url, status=status, headers=headers, body=b"")
        declared = headers.get("content-length", "").strip()
        if declared.isdigit() and int(declared) > max_bytes:
            raise TooLarge(
                f"{target.url} declares {int(declared)} bytes, over the cap of {max_bytes}",
                target.url,
            )
        decoder = _Decoder(headers.get("content-encoding", ""), max_bytes, target.url)
        received = 0
        while True:
            chunk = response.read1(READ_CHUNK)
            if not chunk:
                break
            received += len(chunk)
            if received > max_bytes:
                raise TooLarge(f"{target.url} sent more than {max_bytes} bytes", target.url)
            decoder.feed(chunk)
        if response.length:  # http.client does not complain when a sized body is cut short
            raise FetchError(
                f"connection closed before the whole body of {target.url} arrived", target.url
            )
        return Fetched(url=target.url, status=status, headers=headers, body=decoder.finish())


# -- helpers -----------------------------------------------------------------------------------


def _robots_failed(status: int) -> bool:
    """A robots.txt answer to try again soon: no answer at all, or a server error."""
    return status == ROBOTS_NO_ANSWER or status >= 500


def _parse_allowed_host(entry: str) -> tuple[str, int | None]:
    """Split an allow-list entry ("host", "host:port", "[v6]:port") into a lower-case host and
    its port (None when not named); refuse entries with a scheme, a path or a bad port."""
    cleaned = entry.strip().lower()
    port_text = None
    if cleaned.startswith("["):
        host, closed, rest = cleaned[1:].partition("]")
        if not closed or (rest and not rest.startswith(":")):
            host = ""
        port_text = rest[1:] if rest else None
    elif cleaned.count(":") == 1:
        host, port_text = cleaned.split(":")
    else:
        host = cleaned
    host = host.rstrip(".")
    port = int(port_text) if port_text is not None and port_text.isdigit() else None
    bad_port = port_text is not None and (port is None or not 0 < port < 65536)
    if not host or any(c in host for c in "/@ ") or (":" in host and not _is_ip(host)) or bad_port:
        raise ValueError(
            f"allowed host must be a host name or IP address, optionally with a port, not {entry!r}"
        )
    return host, port


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _non_public_reason(address: str) -> str | None:
    """Name why address may not be fetched (e.g. "loopback"), or None when it is public."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    checks = (
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("unspecified", ip.is_unspecified),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
        ("non-global", not ip.is_global),  # e.g. 100.64.0.0/10 shared (carrier NAT) space
    )
    for reason, hit in checks:
        if hit:
            return reason
    return None


def _path_of(parts: SplitResult) -> str:
    path = quote(parts.path or "/", safe=_SAFE_PATH)
    if parts.query:
        path += "?" + quote(parts.query, safe=_SAFE_QUERY)
    return path


def _lookup(host: str, port: int, seconds: float) -> list:
    """socket.getaddrinfo bounded in time (it has no timeout of its own): the lookup runs in a
    daemon thread, and TimeoutError is raised when it has not answered within `seconds`."""
    answer: list = []

    def work() -> None:
        try:
            answer.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except BaseException as exc:  # handed to the caller below
            answer.append(exc)

    worker = threading.Thread(target=work, name=f"dns {host}", daemon=True)
    worker.start()
    worker.join(seconds)
    if not answer:
        raise TimeoutError(f"DNS lookup of {host} took longer than {seconds:g} s")
    if isinstance(answer[0], BaseException):
        raise answer[0]
    return answer[0]


class _Budget:
    """The wall-clock allowance of one get(): no socket operation may outlast it.

    Each operation waits at most the per-read timeout, cut to what is left, so a server that
    keeps every single read short (one byte a second) still runs out of budget.
    """

    def __init__(self, total: float, per_operation: float, url: str) -> None:
        self.total = total
        self.per_operation = per_operation
        self.url = url
        self.started = time.monotonic()
        self.deadline = self.started + total
        self.cut = False  # True when the last wait was shortened to the deadline

    def pause(self, seconds: float) -> None:
        """Leave seconds of our own waiting (politeness delay) out of the budget."""
        self.deadline += seconds
        self.started += seconds

    def next_wait(self) -> float:
        """Seconds the next socket operation may block; TimeoutError when none are left."""
        left = self.deadline - time.monotonic()
        self.cut = left <= self.per_operation
        if left <= 0:
            raise TimeoutError("fetch budget spent")
        return min(self.per_operation, left)

    def timeout_message(self, url: str) -> str:
        """Why a fetch of url timed out: the whole budget was spent, or one read waited too long."""
        spent = time.monotonic() - self.started
        if self.cut:
            return (
                f"gave up on {url} after {spent:.1f} s: the server was too slow to finish "
                f"within the total limit of {self.total:g} s"
            )
        return (
            f"timed out fetching {url}: no answer for {self.per_operation:g} s "
            f"({spent:.1f} s in all)"
        )


class _BudgetedIO:
    """Socket methods that take their timeout from a _Budget before every blocking call."""

    budget: _Budget | None = None

    def _arm(self) -> None:
        if self.budget is not None:
            self.settimeout(self.budget.next_wait())  # type: ignore[attr-defined]

    def connect(self, address: object) -> None:
        self._arm()
        super().connect(address)  # type: ignore[misc]

    def send(self, data: bytes, flags: int = 0) -> int:
        self._arm()
        return super().send(data, flags)  # type: ignore[misc]

    def sendall(self, data: bytes, flags: int = 0) -> None:
        self._arm()
        super().sendall(data, flags)  # type: ignore[misc]

    def recv(self, size: int = 1024, flags: int = 0) -> bytes:
        self._arm()
        return super().recv(size, flags)  # type: ignore[misc]

    def recv_into(self, buffer: object, nbytes: int = 0, flags: int = 0) -> int:
        self._arm()
        return super().recv_into(buffer, nbytes, flags)  # type: ignore[misc]


class _BudgetedSocket(_BudgetedIO, socket.socket):
    """A TCP socket whose every connect, send and read is cut to its fetch's budget."""


class _DeadlineSSLSocket(_BudgetedIO, ssl.SSLSocket):
    """The TLS socket of the fetcher's context: the handshake and every read obey the budget."""

    def do_handshake(self, block: bool = False) -> None:
        """Run the TLS handshake within what is left of the budget."""
        self._arm()
        super().do_handshake(block)


def _dial(addresses: list[tuple[int, tuple]], budget: _Budget) -> _BudgetedSocket:
    """Open a TCP connection to the first reachable vetted address, within the budget."""
    last_error: OSError | None = None
    for family, sockaddr in addresses:
        sock = _BudgetedSocket(family, socket.SOCK_STREAM)
        sock.budget = budget
        try:
            sock.connect(sockaddr)
        except TimeoutError:
            sock.close()
            raise
        except OSError as exc:
            sock.close()
            last_error = exc
            continue
        return sock
    raise last_error or OSError("no address to connect to")


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP to already vetted addresses; the Host header still names the host."""

    def __init__(
        self, host: str, port: int, addresses: list[tuple[int, tuple]], budget: _Budget
    ) -> None:
        super().__init__(host, port, timeout=budget.per_operation)
        self._addresses = addresses
        self._budget = budget

    def connect(self) -> None:
        """Dial a vetted address instead of resolving the host again."""
        self.sock = _dial(self._addresses, self._budget)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to already vetted addresses; the certificate is checked against the host name."""

    def __init__(
        self,
        host: str,
        port: int,
        addresses: list[tuple[int, tuple]],
        budget: _Budget,
        *,
        context: ssl.SSLContext,
    ) -> None:
        super().__init__(host, port, timeout=budget.per_operation, context=context)
        self._addresses = addresses
        self._budget = budget
        self._tls = context

    def connect(self) -> None:
        """Dial a vetted address, then run TLS for the host name (SNI and certificate)."""
        raw = _dial(self._addresses, self._budget)
        try:
            tls = self._tls.wrap_socket(
                raw, server_hostname=self.host, do_handshake_on_connect=False
            )
        except BaseException:
            raw.close()
            raise
        try:
            if isinstance(tls, _DeadlineSSLSocket):
                tls.budget = self._budget
            tls.do_handshake()
        except BaseException:
            tls.close()
            raise
        self.sock = tls


class _Decoder:
    """Undo gzip/deflate a chunk at a time, never holding more than limit + 1 decoded bytes."""

    def __init__(self, encoding: str, limit: int, url: str) -> None:
        self._encoding = encoding.strip().lower()
        if self._encoding not in ("", "identity", "gzip", "x-gzip", "deflate"):
            raise FetchError(f"{url} used unsupported Content-Encoding {encoding!r}", url)
        self._limit = limit
        self._url = url
        self._inflater: zlib._Decompress | None = None
        if self._encoding in ("gzip", "x-gzip"):
            self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._pending = b""  # deflate: first bytes, kept until the wrapper can be recognised
        self._fed = 0
        self._parts: list[bytes] = []
        self._size = 0

    def feed(self, data: bytes) -> None:
        """Take the next chunk of the body as sent."""
        self._fed += len(data)
        if self._encoding in ("", "identity"):
            self._keep(data)
            return
        if self._inflater is None:  # deflate: zlib-wrapped per the RFC, or raw from some servers
            self._pending += data
            if len(self._pending) < 2:
                return
            data, self._pending = self._pending, b""
            wrapped = data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
            self._inflater = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        inflater = self._inflater
        try:
            while data and not inflater.eof:
                # room is at least 1 here; a max_length of 0 would mean "no limit" to zlib
                self._keep(inflater.decompress(data, self._limit + 1 - self._size))
                data = inflater.unconsumed_tail
        except zlib.error as exc:
            raise FetchError(
                f"corrupt {self._encoding} body from {self._url}: {exc}", self._url
            ) from None

    def finish(self) -> bytes:
        """Return the whole decoded body; raise FetchError when the stream was cut short."""
        if self._fed and self._encoding not in ("", "identity"):
            inflater = self._inflater
            if inflater is not None and not inflater.eof:
                # all input is in; what zlib still holds is at most one back-reference long
                try:
                    self._keep(inflater.flush())
                except zlib.error:
                    pass
            if inflater is None or not inflater.eof:
                raise FetchError(
                    f"{self._encoding} body from {self._url} ended before its end marker",
                    self._url,
                )
        return b"".join(self._parts)

    def _keep(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self._limit:
            raise TooLarge(
                f"{self._url} decodes to more than {self._limit} bytes (compressed too well)",
                self._url,
            )
        if data:
            self._parts.append(data)
