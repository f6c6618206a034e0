"""Source discovery: find city sites that have no source yet and propose entries for them.

:func:`discover` walks links breadth-first from the main site and the configured sources, bounded
by a page count, a link depth and a wall-clock limit. Every request goes through the caller's
:class:`~ingest.fetch.Fetcher`, so its allow-list (``malangkota.go.id``, its subdomains and the
hosts the sources name), its rule against private addresses, robots.txt and its size and time caps
all apply; a link to any other host is noted and never fetched, and a redirect to one is refused.

Each allowed host seen that has no source yet is then probed, in this order: the WordPress REST
index ``/wp-json/`` (must list the ``wp/v2/posts`` route) and one page of posts; an RSS/Atom feed
(advertised by ``<link rel="alternate">`` or at ``/feed/``); and an HTML listing of dated article
links on the home page, for which an item selector is inferred. The OPD name is guessed from the
site's own name (REST index, ``og:site_name``, ``<title>``, feed title) and the poll interval from
the age of the newest post. Probes of up to PROBES_AT_ONCE hosts take turns, one request each, and
the crawl visits pages host by host within a depth, so the fetcher's per-host politeness wait on
one host overlaps with requests to others; all of it runs in the caller's thread.

The answer is a :class:`Discovery`; :func:`render_proposal` turns it into ``sources.toml`` text
for a person to review. Nothing in this module writes a file.
"""

from __future__ import annotations

import heapq
import html as html_lib
import ipaddress
import json
import logging
import re
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from archive.sites import site_host
from ingest.fetch import (
    DEFAULT_DOMAIN,
    BlockedURL,
    Fetched,
    Fetcher,
    FetchError,
    FetchTimeout,
    RobotsDisallowed,
)
from ingest.normalise import MAX_MARKUP_TAGS, canonical_url, parse_date
from ingest.parsers import ArticleSelectors, parse_feed, parse_listing, parse_wp_posts
from ingest.sources import Source

log = logging.getLogger(__name__)

ACCEPT_HTML = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
ACCEPT_JSON = "application/json"
ACCEPT_FEED = "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"
MAIN_SITE = f"https://{DEFAULT_DOMAIN}/"
MIN_LISTING_ITEMS = 3  # dated article links a home page needs to count as a listing
REST_SAMPLE = 10  # posts asked for when probing the REST API
MAX_FEED_TRIES = 3  # feed URLs tried per host
MAX_LISTED = 50  # foreign hosts named in the report; the rest are counted
PROBES_AT_ONCE = 8  # hosts probed in turn, one request each, so politeness waits overlap
STARTED_HERE = "(start)"  # what "found on" says of a starting page's host

# Paths that are files, feeds, APIs or WordPress machinery: links to them still reveal a host,
# but the crawl does not fetch them.
_NOT_A_PAGE = re.compile(
    r"\.(?:jpe?g|png|gif|webp|svg|ico|bmp|tiff?|pdf|docx?|xlsx?|pptx?|odt|ods|zip|rar|7z|gz|"
    r"mp3|mp4|m4a|avi|mov|wmv|webm|css|js|json|xml|txt|apk|exe)$"
    r"|/wp-(?:content|admin|includes|json)/|/wp-login\.php|/xmlrpc\.php|/feed/?$",
    re.IGNORECASE,
)
_SKIPPED_QUERY = re.compile(r"(?:^|&)(?:replytocom|share|amp|noamp|s|print|action)=", re.I)
# Listing links that are archives rather than articles.
_NOT_ARTICLE = re.compile(
    r"/(?:category|tag|author|page|kategori|wp-content|feed|search|cari)/|/page/\d+/?$", re.I
)
_DATE_IN_PATH = re.compile(r"/(20\d\d|19\d\d)/(\d\d)/(\d\d)/")
# Class or id tokens of navigation, menus, sidebars and widgets ("menu-utama", "main-navigation",
# "widget-area", "sidebar"), but not layout flags such as "has-sidebar" or "no-sidebar".
_CHROME_TOKEN = re.compile(
    r"^(?!has-|no-|with-)(?:[a-z]+-)?(?:menu|sidebar|widgets?|widget-area|navbar|navigation|"
    r"breadcrumbs?)(?:-[a-z]+)?$|^secondary$",
    re.IGNORECASE,
)
# WordPress post-state classes: true of some entries only, so never part of an item selector.
_STATE_CLASS = re.compile(r"^(?:format|status|category|tag|type|has|author|sticky)-|\d$", re.I)
_CSS_IDENT = re.compile(r"^-?[A-Za-z_][A-Za-z0-9_-]*$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

# Site-name parts that say nothing about the agency.
_BOILERPLATE = re.compile(
    r"^(?:beranda|home|homepage|halaman utama|berita|news|blog|website|situs|"
    r"just another wordpress site|another wordpress site|"
    r"(?:website|situs|web|portal)(?: resmi)?(?: pemerintah)?(?: kota malang)?|"
    r"official website|official site|selamat datang(?: di .*)?|welcome(?: to .*)?|"
    r"pemerintah kota malang|pemkot malang|kota malang|malang|malangkota\.go\.id)$",
    re.IGNORECASE,
)
_UNIT_WORDS = re.compile(
    r"\b(?:dinas|badan|bagian|kantor|kelurahan|kecamatan|puskesmas|rsud|rumah sakit|uptd?|"
    r"sekretariat|inspektorat|satuan|satpol|dprd|perumda|pdam|pejabat|layanan)\b",
    re.IGNORECASE,
)
_CITY_SUFFIX = re.compile(
    r"(?:\s*[,–—-]?\s*(?:pemerintah\s+kota|pemkot|kota)\s+malang|\s+malang)\s*$", re.IGNORECASE
)
_OFFICIAL_PREFIX = re.compile(r"^(?:website|situs|web|portal)\s+(?:resmi\s+)?", re.IGNORECASE)
_SEPARATORS = re.compile(r"\s+(?:[–—|»·:]|::|-)\s+")
_HOST_PREFIXES = (("kel", "Kelurahan"), ("kec", "Kecamatan"), ("pusk", "Puskesmas"))


@dataclass(frozen=True)
class Limits:
    """How far one discovery run may go."""

    pages: int = 150  # pages the crawl fetches (probe requests come on top)
    depth: int = 2  # link hops from a starting page
    seconds: float = 600.0  # wall clock for crawl and probes, checked before each request
    per_host: int = 20  # crawl pages per host, so one big site cannot use up the page budget


@dataclass
class Proposal:
    """A new [[source]] entry for a host that has none yet, with the evidence behind it."""

    host: str
    id: str
    kind: str  # wordpress | feed | html
    url: str
    opd: str
    interval: str
    opd_from: str  # where the OPD name was read, for the reviewer
    item_selector: str = ""  # html only
    evidence: list[str] = field(default_factory=list)
    found_on: str = ""  # the page that first linked the host
    newest: datetime | None = None


@dataclass
class Unusable:
    """A host that was found but cannot be proposed, and why."""

    host: str
    url: str
    reason: str
    unprobed: bool = False  # the time limit ran out before the probe could conclude


@dataclass
class Discovery:
    """What one run found, and what it cost."""

    seeds: list[str]
    limits: Limits
    proposals: list[Proposal] = field(default_factory=list)
    unusable: list[Unusable] = field(default_factory=list)
    configured: list[str] = field(default_factory=list)  # hosts found that have a source already
    foreign: list[str] = field(default_factory=list)  # linked, outside the allow-list, not fetched
    found_on: dict[str, str] = field(default_factory=dict)  # allowed host -> page first linking it
    pages: int = 0  # crawl fetches attempted
    failed_pages: int = 0  # of which failed (refused, unreachable, timed out)
    requests: int = 0  # fetcher.get calls, crawl and probes (robots.txt not counted)
    elapsed: float = 0.0
    stopped: str = ""  # why the crawl ended with links still waiting ("" when it ran out)

    @property
    def hosts_found(self) -> int:
        """Allowed hosts seen: proposed, unusable or already configured."""
        return len(self.proposals) + len(self.unusable) + len(self.configured)


# --------------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------------


def discover(
    sources: list[Source],
    fetcher: Fetcher,
    limits: Limits | None = None,
    *,
    start: Iterable[str] = (),
    now: datetime | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> Discovery:
    """Crawl from the start URLs (default: the main site) and the sources, probe new hosts."""
    return _Run(
        sources, fetcher, limits or Limits(), list(start), now or datetime.now(UTC), clock
    ).run()


def main_site_url(sources: list[Source]) -> str:
    """The configured source on malangkota.go.id itself (its root), else the public main site."""
    for source in sources:
        if site_host(source.host) == DEFAULT_DOMAIN:
            return source.root
    return MAIN_SITE


@dataclass
class _Seen:
    """An allowed host met during the crawl."""

    root: str  # scheme://netloc/ as first linked
    found_on: str


@dataclass
class _Rest:
    ok: bool = False
    name: str = ""
    posts: int = 0
    newest: datetime | None = None
    why: str = ""


@dataclass
class _Feed:
    ok: bool = False
    url: str = ""
    title: str = ""
    items: int = 0
    newest: datetime | None = None
    why: str = ""


@dataclass
class _Listing:
    ok: bool = False
    selector: str = ""
    items: int = 0
    newest: datetime | None = None
    why: str = ""


@dataclass
class _Page:
    """What the probes read from a home page."""

    url: str
    soup: BeautifulSoup
    body: bytes
    content_type: str
    title: str = ""
    site_name: str = ""
    feed_links: list[str] = field(default_factory=list)


_Ask = tuple[str, str]  # (url, Accept header): one request a probe asks for
_Steps = Generator[_Ask, Fetched, Proposal | Unusable]  # failures come back through throw()


@dataclass
class _Probe:
    host: str
    seen: _Seen
    steps: _Steps
    ask: _Ask | None = None


class _Run:
    def __init__(
        self,
        sources: list[Source],
        fetcher: Fetcher,
        limits: Limits,
        start: list[str],
        now: datetime,
        clock: Callable[[], float],
    ) -> None:
        self.sources = sources
        self.fetcher = fetcher
        self.limits = limits
        self.now = now
        self.clock = clock
        self.started = clock()
        self.deadline = self.started + limits.seconds
        self.configured = {site_host(s.host) for s in sources}
        self.taken_ids = {s.id for s in sources}
        seeds = [*(start or [main_site_url(sources)]), *(s.url for s in sources)]
        self.result = Discovery(seeds=_unique_urls(seeds), limits=limits)
        self.hosts: dict[str, _Seen] = {}  # allowed hosts in the order met
        self.foreign: set[str] = set()
        self.answers: dict[str, Fetched | FetchError] = {}  # host roots fetched by the crawl

    def run(self) -> Discovery:
        try:
            self._crawl()
            self._probe_all()
        finally:
            self.result.elapsed = self.clock() - self.started
        met = {host: number for number, host in enumerate(self.hosts)}  # report in that order
        self.result.proposals.sort(key=lambda p: met.get(p.host, len(met)))
        self.result.unusable.sort(key=lambda u: met.get(u.host, len(met)))
        self.result.foreign = sorted(self.foreign)
        self.result.found_on = {host: seen.found_on for host, seen in self.hosts.items()}
        return self.result

    def _time_left(self) -> bool:
        return self.clock() < self.deadline

    def _get(self, url: str, accept: str) -> Fetched:
        self.result.requests += 1
        return self.fetcher.get(url, conditional=False, accept=accept)

    # -- crawl -------------------------------------------------------------------------------

    def _crawl(self) -> None:
        # Breadth first; within one depth the roots of newly met hosts first, then the other
        # pages host by host in turn (the n-th page of every host before any host's n+1-th), so
        # the politeness wait of one host overlaps with requests to the others.
        queue: list[tuple[int, int, int, int, str]] = []  # (depth, root?, rank, n, url)
        queued: set[str] = set()
        per_host_queued: dict[str, int] = {}
        counter = 0

        def push(url: str, depth: int, root_first: bool) -> None:
            nonlocal counter
            key = canonical_url(url)
            if key in queued or depth > self.limits.depth or _NOT_A_PAGE.search(_path(url)):
                return
            if _SKIPPED_QUERY.search(urlsplit(url).query):
                return
            queued.add(key)
            counter += 1
            rank = per_host_queued.get(_host(url), 0)
            per_host_queued[_host(url)] = rank + 1
            heapq.heappush(queue, (depth, 0 if root_first else 1, rank, counter, url))

        for seed in self.result.seeds:
            if not self.fetcher.allows(seed):
                log.warning("discover: start URL %s is outside the allow-list; skipped", seed)
                continue
            self._meet(seed, found_on=STARTED_HERE)
            push(seed, 0, True)

        per_host: dict[str, int] = {}
        while queue:
            if not self._time_left():
                self.result.stopped = "time limit reached"
                break
            if self.result.pages >= self.limits.pages:
                self.result.stopped = "page limit reached"
                break
            depth, _, _, _, url = heapq.heappop(queue)
            host = _host(url)
            if per_host.get(host, 0) >= self.limits.per_host:
                continue
            per_host[host] = per_host.get(host, 0) + 1
            self.result.pages += 1
            fetched = self._crawl_one(url)
            if fetched is None:
                self.result.failed_pages += 1
                continue
            final_host = _host(fetched.url)
            if final_host != host:
                self._meet(fetched.url, found_on=url)
            if fetched.status != 200 or not _is_html(fetched):
                continue
            for link in _links(fetched):
                if not self.fetcher.allows(link):
                    self.foreign.add(urlsplit(link).netloc.lower())
                    continue
                if self._meet(link, found_on=fetched.url):
                    push(_root_of(link), depth + 1, True)
                push(link, depth + 1, False)

    def _crawl_one(self, url: str) -> Fetched | None:
        is_root = url == _root_of(url)
        try:
            fetched = self._get(url, ACCEPT_HTML)
        except FetchError as exc:
            if is_root:
                self.answers[url] = exc
            refused = _refused_target(self.fetcher, exc)
            if refused:
                self.foreign.add(urlsplit(refused).netloc.lower())
            log.info("discover: crawl %s failed: %s", url, exc)
            return None
        if is_root:
            self.answers[url] = fetched
        return fetched

    def _meet(self, url: str, found_on: str) -> bool:
        """Note the host of an allowed URL; True when it is new."""
        host = _host(url)
        if not host or host in self.hosts:
            return False
        self.hosts[host] = _Seen(root=_root_of(url), found_on=found_on)
        return True

    # -- probes ------------------------------------------------------------------------------

    def _probe_all(self) -> None:
        """Probe every new host, up to PROBES_AT_ONCE at a time, one request per turn."""
        done: set[str] = set()
        active: deque[_Probe] = deque()
        while True:
            for host in list(self.hosts):
                if len(active) >= PROBES_AT_ONCE:
                    break
                if host in done:
                    continue
                done.add(host)
                seen = self.hosts[host]
                if site_host(host) in self.configured:
                    self.result.configured.append(host)
                elif not self._time_left():
                    self._reject(
                        host, seen.root, "not probed: the time limit ran out first", unprobed=True
                    )
                else:
                    probe = _Probe(host, seen, self._probe(host, seen))
                    if self._step(probe, lambda probe=probe: next(probe.steps)):
                        active.append(probe)
            if not active:
                if all(host in done for host in self.hosts):
                    return
                continue
            probe = active.popleft()
            if not self._time_left():
                self._reject(
                    probe.host,
                    probe.seen.root,
                    "probe cut short: the time limit ran out",
                    unprobed=True,
                )
                probe.steps.close()
                continue
            assert probe.ask is not None
            try:
                answer = self._get(*probe.ask)
            except FetchError as exc:
                going = self._step(probe, lambda p=probe, e=exc: p.steps.throw(e))
            else:
                going = self._step(probe, lambda p=probe, a=answer: p.steps.send(a))
            if going:
                active.append(probe)

    def _step(self, probe: _Probe, advance: Callable[[], _Ask]) -> bool:
        """Run a probe to its next request (True) or to its outcome, which is recorded (False)."""
        try:
            probe.ask = advance()
            return True
        except StopIteration as stop:
            outcome = stop.value
        except Exception as exc:  # a bug in one probe must not lose the whole report
            log.debug("discover: probe of %s failed", probe.host, exc_info=True)
            outcome = Unusable(
                probe.host, probe.seen.root, f"internal error while probing: {type(exc).__name__}"
            )
        if isinstance(outcome, Proposal):
            self.result.proposals.append(outcome)
            log.info(
                "discover: %s -> propose %s %s (%s)",
                probe.host,
                outcome.kind,
                outcome.url,
                "; ".join(outcome.evidence),
            )
        else:
            self._reject(probe.host, outcome.url, outcome.reason)
        return False

    def _reject(self, host: str, url: str, reason: str, *, unprobed: bool = False) -> None:
        self.result.unusable.append(Unusable(host, url, reason, unprobed))
        log.info("discover: %s not usable: %s", host, reason)

    def _probe(self, host: str, seen: _Seen) -> _Steps:
        """The probe of one host, as steps: each yield asks for one request, whose answer is
        sent back (or whose FetchError is thrown in); returns a Proposal or an Unusable."""
        root = seen.root
        answer = self.answers.get(root)
        if answer is None:
            try:
                answer = yield (root, ACCEPT_HTML)
            except FetchError as exc:
                answer = exc
        if isinstance(answer, FetchError):
            return Unusable(host, root, _failure_reason(self.fetcher, answer))
        if answer.status >= 500:
            return Unusable(host, root, f"home page answered HTTP {answer.status}")
        if _host(answer.url) != host:
            self._meet(answer.url, found_on=root)
            return Unusable(
                host, root, f"redirects to {_root_of(answer.url)}; that host is considered instead"
            )
        root = _root_of(answer.url)  # http -> https or a port change within the host
        page = _read_page(answer) if answer.status == 200 and _is_html(answer) else None
        home_note = "" if page else f"home page answered HTTP {answer.status}, not an HTML page"

        rest = yield from self._probe_rest(root)
        feed = yield from self._probe_feed(root, page)
        evidence: list[str] = []
        if rest.ok:
            evidence.append(
                f"REST /wp-json/ lists wp/v2/posts; {rest.posts} post(s) seen"
                + (f", newest {_day(rest.newest)}" if rest.newest else "")
            )
        else:
            evidence.append(f"REST: {rest.why}")
        if feed.ok:
            evidence.append(
                f"feed {_path(feed.url)}: {feed.items} item(s)"
                + (f", newest {_day(feed.newest)}" if feed.newest else "")
            )
        else:
            evidence.append(f"feed: {feed.why}")

        names = [
            ("the REST index name", rest.name),
            ("og:site_name", page.site_name if page else ""),
            ("the page <title>", page.title if page else ""),
            ("the feed title", feed.title),
        ]
        opd, opd_from = guess_opd(names, host)
        proposal = Proposal(
            host=host,
            id=self._new_id(host),
            kind="",
            url="",
            opd=opd,
            interval="",
            opd_from=opd_from,
            evidence=evidence,
            found_on=seen.found_on,
        )
        if feed.ok:
            wordpress = rest.ok and feed.url.rstrip("/") == (root + "feed").rstrip("/")
            proposal.kind = "wordpress" if wordpress else "feed"
            proposal.url = root if wordpress else feed.url
            proposal.newest = _latest(rest.newest, feed.newest)
        else:
            listing = infer_listing(page, host) if page else _Listing(why=home_note)
            if listing.ok:
                proposal.kind = "html"
                proposal.url = page.url if page else root
                proposal.item_selector = listing.selector
                proposal.newest = listing.newest
                evidence.append(
                    f"listing {_path(proposal.url)}: {listing.items} dated article link(s) "
                    f"matched by {listing.selector!r}, newest {_day(listing.newest)}"
                )
            else:
                if rest.ok:
                    reason = (
                        f"the REST API works but no feed was found ({feed.why}); the wordpress "
                        "kind reads /feed/ for new posts: needs a person to look"
                    )
                elif listing.why.startswith("needs manual selectors"):
                    reason = f"{listing.why}; REST: {rest.why}; feed: {feed.why}"
                else:
                    reason = (
                        f"no REST API, feed or dated listing: REST: {rest.why}; feed: {feed.why}; "
                        f"listing: {listing.why}"
                    )
                self.taken_ids.discard(proposal.id)
                return Unusable(host, root, reason)
        proposal.interval = propose_interval(proposal.newest, self.now)
        evidence.append(f"interval {proposal.interval}: newest post {_day(proposal.newest)}")
        return proposal

    def _probe_rest(self, root: str) -> Generator[_Ask, Fetched, _Rest]:
        index_url = root + "wp-json/"
        try:
            fetched = yield (index_url, ACCEPT_JSON)
        except FetchError as exc:
            return _Rest(why=f"/wp-json/ failed ({_failure_reason(self.fetcher, exc)})")
        if fetched.status != 200:
            return _Rest(why=f"/wp-json/ answered HTTP {fetched.status}{_rest_code(fetched)}")
        try:
            data = json.loads(fetched.body)
        except (ValueError, RecursionError):
            return _Rest(why="/wp-json/ answered malformed JSON")
        if not isinstance(data, dict):
            return _Rest(why="/wp-json/ answered JSON that is not a REST index")
        name = data.get("name") if isinstance(data.get("name"), str) else ""
        routes = data.get("routes")
        namespaces = data.get("namespaces")
        if isinstance(routes, dict):
            listed = "/wp/v2/posts" in routes
        else:  # an index trimmed by a plugin may list namespaces only
            listed = isinstance(namespaces, list) and "wp/v2" in namespaces
        if not listed:
            return _Rest(name=name, why="/wp-json/ does not list the wp/v2/posts route")
        posts_url = f"{root}wp-json/wp/v2/posts?per_page={REST_SAMPLE}"
        try:
            fetched = yield (posts_url, ACCEPT_JSON)
        except FetchError as exc:
            return _Rest(
                name=name, why=f"wp/v2/posts failed ({_failure_reason(self.fetcher, exc)})"
            )
        if fetched.status != 200:
            return _Rest(
                name=name, why=f"wp/v2/posts answered HTTP {fetched.status}{_rest_code(fetched)}"
            )
        page = parse_wp_posts(fetched.body, fetched.url)
        if not page.items:
            why = page.problems[0] if page.problems else "no posts"
            return _Rest(name=name, why=f"wp/v2/posts gave no posts ({why})")
        dates = [parse_date(item.published) for item in page.items]
        return _Rest(ok=True, name=name, posts=len(page.items), newest=_latest(*dates))

    def _probe_feed(self, root: str, page: _Page | None) -> Generator[_Ask, Fetched, _Feed]:
        host = _host(root)
        candidates = [u for u in (page.feed_links if page else []) if _host(u) == host]
        candidates = _unique_urls([*candidates, root + "feed/"])[:MAX_FEED_TRIES]
        reasons: list[str] = []
        for url in candidates:
            try:
                fetched = yield (url, ACCEPT_FEED)
            except FetchError as exc:
                reasons.append(f"{_path(url)} failed ({_failure_reason(self.fetcher, exc)})")
                continue
            if fetched.status != 200:
                reasons.append(f"{_path(url)} answered HTTP {fetched.status}")
                continue
            parsed = parse_feed(fetched.body, fetched.url, fetched.headers.get("content-type", ""))
            if not parsed.items:
                why = parsed.problems[0] if parsed.problems else "no items"
                reasons.append(f"{_path(url)}: {why}")
                continue
            dates = [parse_date(item.published) for item in parsed.items]
            return _Feed(
                ok=True,
                url=fetched.url,
                title=_feed_title(fetched.body),
                items=len(parsed.items),
                newest=_latest(*dates),
            )
        return _Feed(why="; ".join(reasons) or "no feed URL to try")

    def _new_id(self, host: str) -> str:
        base = source_id_for(host)
        candidate, number = base, 2
        while candidate in self.taken_ids:
            suffix = f"-{number}"
            candidate = base[: 64 - len(suffix)] + suffix
            number += 1
        self.taken_ids.add(candidate)
        return candidate


# --------------------------------------------------------------------------------------------
# Reading pages
# --------------------------------------------------------------------------------------------


def _soup(fetched: Fetched) -> BeautifulSoup:
    body = fetched.body
    if body.count(b"<") > MAX_MARKUP_TAGS:  # the same cap the parsers use: no huge trees
        position = -1
        for _ in range(MAX_MARKUP_TAGS):
            position = body.find(b"<", position + 1)
        body = body[:position]
    return BeautifulSoup(body, "lxml", from_encoding=fetched.charset)


def _links(fetched: Fetched) -> list[str]:
    """Absolute http(s) links of a page, without fragments, in document order."""
    soup = _soup(fetched)
    base = fetched.url
    tag = soup.find("base", href=True)
    if isinstance(tag, Tag) and isinstance(tag.get("href"), str):
        base = _absolute(base, tag["href"]) or base
    links = []
    for anchor in soup.find_all(["a", "area"], href=True):
        url = _absolute(base, anchor.get("href"))
        if url:
            links.append(url)
    return links


def _read_page(fetched: Fetched) -> _Page:
    soup = _soup(fetched)
    page = _Page(
        url=fetched.url,
        soup=soup,
        body=fetched.body,
        content_type=fetched.headers.get("content-type", ""),
    )
    if soup.title is not None:
        page.title = _clean_text(soup.title.get_text(" "))
    for meta in soup.find_all("meta"):
        key = (meta.get("property") or meta.get("name") or "").lower()
        content = meta.get("content")
        if key in ("og:site_name", "application-name") and isinstance(content, str):
            page.site_name = page.site_name or _clean_text(content)
    for link in soup.find_all("link", href=True):
        rel = " ".join(link.get("rel") or []).lower()
        kind = str(link.get("type") or "").lower()
        if "alternate" in rel and kind in ("application/rss+xml", "application/atom+xml"):
            url = _absolute(fetched.url, link.get("href"))
            if url and "comments" not in url.lower():
                page.feed_links.append(url)
    return page


def _feed_title(body: bytes) -> str:
    found = re.search(rb"<title[^>]*>(.*?)</title>", body[:20000], re.S | re.I)
    if not found:
        return ""
    text = found.group(1).decode("utf-8", errors="replace")
    text = re.sub(r"^<!\[CDATA\[|\]\]>$", "", text.strip())
    return _clean_text(html_lib.unescape(text))


# --------------------------------------------------------------------------------------------
# Listings: is the home page a list of dated article links, and which selector picks them?
# --------------------------------------------------------------------------------------------


def infer_listing(page: _Page, host: str) -> _Listing:
    """Find the largest group of sibling elements that each link to a dated article on host,
    and a CSS selector that picks exactly such elements (checked with the real listing parser)."""
    soup = page.soup
    groups: dict[int, tuple[Tag, dict[int, Tag]]] = {}  # parent -> its children holding links
    links: dict[int, set[str]] = {}  # child element -> article URLs inside it
    for anchor in soup.find_all("a", href=True):
        url = _absolute(page.url, anchor.get("href"))
        if not url or _host(url) != host or _in_chrome(anchor):
            continue
        path = _path(url)
        if path in ("", "/") or _NOT_ARTICLE.search(path) or _NOT_A_PAGE.search(path):
            continue
        child: Tag = anchor
        for _ in range(8):
            parent = child.parent
            if not isinstance(parent, Tag) or parent.name in ("html", "[document]"):
                break
            entry = groups.setdefault(id(parent), (parent, {}))
            entry[1][id(child)] = child
            links.setdefault(id(child), set()).add(url)
            child = parent

    best: tuple[int, int, Tag, list[Tag], list[datetime]] | None = None
    for parent, children in groups.values():
        members = [c for c in children.values() if len(links[id(c)]) <= 3]  # one article each
        if len(members) < MIN_LISTING_ITEMS:
            continue
        tag_names = [c.name for c in members]
        common = max(set(tag_names), key=tag_names.count)
        members = [c for c in members if c.name == common]
        dates = [d for d in (_item_date(c, links[id(c)]) for c in members) if d is not None]
        score = (len(dates), len(members))
        if best is None or score > best[:2]:
            best = (*score, parent, members, dates)
    if best is None:
        return _Listing(why="no group of three or more article links on the home page")
    dated, total, parent, members, dates = best
    if dated < MIN_LISTING_ITEMS or dated * 2 < total:
        return _Listing(
            why=(
                f"needs manual selectors: {total} article link(s) on the home page but only "
                f"{dated} with a date"
            )
        )
    article_links = {id(c) for c in members}
    for selector in _selector_candidates(parent, members):
        picked = _select(soup, selector)
        if not picked or not all(id(e) in article_links or id(e) in links for e in picked):
            continue
        if not {id(c) for c in members} <= {id(e) for e in picked}:
            continue
        parsed = parse_listing(
            page.body, page.url, ArticleSelectors(item=selector), content_type=page.content_type
        )
        items = [i for i in parsed.items if _host(i.url) == host]
        if len(items) >= MIN_LISTING_ITEMS and len(items) == len(parsed.items):
            return _Listing(ok=True, selector=selector, items=len(items), newest=max(dates))
    return _Listing(
        why=(
            f"needs manual selectors: {dated} dated article link(s) on the home page, but no "
            "simple CSS selector picks exactly them"
        )
    )


def _in_chrome(node: Tag) -> bool:
    """True inside navigation, menus, sidebars, widgets, or a page-level header or footer."""
    inside_article = node.find_parent("article") is not None
    for ancestor in node.parents:
        if not isinstance(ancestor, Tag) or ancestor.name in ("body", "html", "[document]"):
            continue
        if ancestor.name in ("nav", "aside"):
            return True
        if ancestor.name in ("header", "footer") and not inside_article:
            return True
        tokens = [*(ancestor.get("class") or []), str(ancestor.get("id") or "")]
        if any(_CHROME_TOKEN.match(token) for token in tokens if token):
            return True
    return False


def _item_date(item: Tag, urls: set[str]) -> datetime | None:
    """The date an article entry shows: <time>, a date-classed element, a short text, the URL."""
    for node in item.find_all("time"):
        for text in (node.get("datetime"), node.get_text(" ")):
            found = parse_date(text) if isinstance(text, str) else None
            if found:
                return found
    for node in item.find_all(class_=re.compile(r"date|tanggal|posted|time", re.I)):
        found = parse_date(_clean_text(node.get_text(" ")))
        if found:
            return found
    for number, text in enumerate(item.stripped_strings):
        if number >= 30:
            break
        if len(text) <= 60:
            found = parse_date(text)
            if found:
                return found
    for url in urls:
        match = _DATE_IN_PATH.search(url)
        if match:
            found = parse_date("-".join(match.groups()))
            if found:
                return found
    return None


def _selector_candidates(parent: Tag, members: list[Tag]) -> list[str]:
    """CSS selectors for the members, most specific first."""
    tag = members[0].name
    shared = set(_classes(members[0]))
    for member in members[1:]:
        shared &= set(_classes(member))
    common = [name for name in _classes(members[0]) if name in shared][:1]
    member_part = tag + "".join(f".{name}" for name in common)
    parent_part = ""
    if _CSS_IDENT.match(str(parent.get("id") or "")):
        parent_part = f"#{parent['id']}"
    elif _classes(parent):
        parent_part = f"{parent.name}.{_classes(parent)[0]}"
    candidates = []
    if parent_part:
        candidates.append(f"{parent_part} > {member_part}")
    if common:
        candidates.append(member_part)
    if parent_part and common:
        candidates.append(f"{parent_part} > {tag}")
    return candidates


def _classes(node: Tag) -> list[str]:
    """Class names usable in a selector: plain identifiers, no per-post or post-state classes."""
    return [
        c for c in (node.get("class") or []) if _CSS_IDENT.match(c) and not _STATE_CLASS.search(c)
    ]


def _select(soup: BeautifulSoup, selector: str) -> list[Tag]:
    try:
        return list(soup.select(selector))
    except Exception:  # soupsieve rejects a selector: treat it as matching nothing
        return []


# --------------------------------------------------------------------------------------------
# Names, ids, intervals
# --------------------------------------------------------------------------------------------


def guess_opd(names: list[tuple[str, str]], host: str) -> tuple[str, str]:
    """(OPD name, where it came from): the first site name that is more than boilerplate, else
    a name built from the host ("kelsumbersari" -> "Kelurahan Sumbersari")."""
    for label, raw in names:
        cleaned = clean_site_name(raw)
        if cleaned:
            return cleaned, f'{label} "{_clean_text(html_lib.unescape(raw))[:120]}"'
    return opd_from_host(host), "the host name only (no usable site name): check it"


def clean_site_name(raw: str) -> str:
    """A site title without page names, slogans and the city: "Beranda – Dinas Kesehatan Kota
    Malang" -> "Dinas Kesehatan"; "" when nothing specific is left."""
    text = _clean_text(html_lib.unescape(raw or ""))
    if not text:
        return ""
    parts = [p.strip() for p in _SEPARATORS.split(text) if p.strip()]
    parts = [p for p in parts if not _BOILERPLATE.match(p)]
    if not parts:
        return ""
    units = [p for p in parts if _UNIT_WORDS.search(p)]
    name = (units or parts)[0]
    name = _OFFICIAL_PREFIX.sub("", name)
    name = _CITY_SUFFIX.sub("", name).strip(" ,–—-|")
    if not name or _BOILERPLATE.match(name):
        return ""
    return name[:120]


def opd_from_host(host: str) -> str:
    """A readable name from a host: "kelsumbersari" -> "Kelurahan Sumbersari", else "BKPSDM"."""
    label = source_id_for(host)
    for prefix, word in _HOST_PREFIXES:
        rest = label[len(prefix) :]
        if label.startswith(prefix) and len(rest) >= 3 and rest.isalpha():
            return f"{word} {rest.capitalize()}"
    return label.upper()


def source_id_for(host: str) -> str:
    """A source id from a host: "dinkes.malangkota.go.id" -> "dinkes"."""
    host = site_host(host)
    if host == DEFAULT_DOMAIN:
        label = "malangkota"
    elif host.endswith("." + DEFAULT_DOMAIN):
        label = host[: -len(DEFAULT_DOMAIN) - 1]
    else:
        label = host.split(".")[0] if not _looks_like_ip(host) else host
    label = re.sub(r"[^a-z0-9_-]+", "-", label).strip("-_")[:64]
    return label if label and label[0].isalnum() else f"site-{label}".rstrip("-")[:64]


def propose_interval(newest: datetime | None, now: datetime) -> str:
    """Poll busy sites often and quiet ones rarely: by the age of the newest post."""
    if newest is None:
        return "1d"
    age = now - newest
    if age <= timedelta(days=14):
        return "30m"
    if age <= timedelta(days=90):
        return "6h"
    return "1d"


# --------------------------------------------------------------------------------------------
# The proposal file
# --------------------------------------------------------------------------------------------


def render_proposal(result: Discovery, *, generated_at: datetime, sources_file: str) -> str:
    """The proposal as sources.toml text: a commented header, one [[source]] per proposal with
    its evidence, then the hosts that were found but not proposed, all as comments."""
    limits = result.limits
    lines = [
        "# Saring: proposed sources, found by `flask sources discover`. NOT LIVE CONFIGURATION.",
        f"# Generated {generated_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC, against the sources file",
        f"# {_comment(sources_file)}",
        "# Started from: " + _comment(", ".join(result.seeds)),
        f"# Limits: {limits.pages} pages, depth {limits.depth}, {limits.seconds:g} s, "
        f"{limits.per_host} pages per host.",
        f"# Crawled {result.pages} page(s) ({result.failed_pages} failed); {result.requests} "
        f"request(s) in all; {result.elapsed:.1f} s.",
    ]
    if result.stopped:
        lines.append(f"# The crawl stopped early: {result.stopped} (more links were waiting).")
    lines += [
        f"# Hosts found: {result.hosts_found}; proposed: {len(result.proposals)}; not usable: "
        f"{len(result.unusable)}; already in the sources file: {len(result.configured)}.",
        "#",
        "# Review every entry (the OPD name is a guess from the site's own title), then copy the",
        "# ones you want into the sources file.",
    ]
    if not result.proposals:
        lines += ["", "# No new source to propose."]
    for proposal in result.proposals:
        lines += ["", "[[source]]"]
        lines.append(
            f"# {_comment(proposal.host)}, first linked from {_comment(proposal.found_on)}"
        )
        lines += [f"# evidence: {_comment(note)}" for note in proposal.evidence]
        lines.append(f"# opd guessed from {_comment(proposal.opd_from)}")
        lines += [
            f"id = {_toml_string(proposal.id)}",
            f"kind = {_toml_string(proposal.kind)}",
            f"url = {_toml_string(proposal.url)}",
            f"opd = {_toml_string(proposal.opd)}",
            f"interval = {_toml_string(proposal.interval)}",
        ]
        if proposal.kind == "html":
            lines += [
                "",
                "[source.selectors]",
                "# title, date and body are left to the article heuristics; check one article",
                f"item = {_toml_string(proposal.item_selector)}",
            ]
    lines += ["", "# -- Found but not usable " + "-" * 70]
    if not result.unusable:
        lines.append("# (none)")
    for item in result.unusable:
        lines.append(f"# {_comment(item.host)}: {_comment(item.reason)}")
    lines += ["#", "# -- Already in the sources file, not proposed again " + "-" * 43]
    lines.append("# " + (_comment(", ".join(result.configured)) or "(none)"))
    lines += ["#", "# -- Linked but outside the allow-list, never fetched " + "-" * 42]
    shown = result.foreign[:MAX_LISTED]
    lines.append("# " + (_comment(", ".join(shown)) or "(none)"))
    if len(result.foreign) > len(shown):
        lines.append(f"# ... and {len(result.foreign) - len(shown)} more")
    return "\n".join(lines) + "\n"


def summary_line(result: Discovery) -> str:
    """One line of figures for the end of a run."""
    line = (
        f"Discovery: {result.pages} page(s) crawled ({result.failed_pages} failed), "
        f"{result.requests} request(s) in all, {result.hosts_found} host(s) found "
        f"({len(result.configured)} already configured), {len(result.proposals)} proposal(s), "
        f"{len(result.unusable)} not usable, {result.elapsed:.1f} s."
    )
    return line + (f" Stopped early: {result.stopped}." if result.stopped else "")


def _toml_string(value: str) -> str:
    """A TOML basic string: quotes, backslashes and every control character escaped."""
    out = []
    for char in value:
        if char == '"':
            out.append('\\"')
        elif char == "\\":
            out.append("\\\\")
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _comment(text: str, limit: int = 400) -> str:
    """Text safe inside a TOML comment: one line, no control characters, bounded."""
    text = " ".join(_CONTROL.sub(" ", str(text)).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def _failure_reason(fetcher: Fetcher, exc: FetchError) -> str:
    """Why a fetch failed, in the words the report uses."""
    refused = _refused_target(fetcher, exc)
    if refused:
        return (
            f"redirects to {urlsplit(refused).netloc.lower()}, outside the allow-list "
            "(refused, not followed)"
        )
    if isinstance(exc, RobotsDisallowed):
        return "robots.txt disallows SaringBot"
    if isinstance(exc, FetchTimeout):
        return f"timed out: {exc}"
    if "too many redirects" in str(exc):
        return f"redirect loop: {exc}"
    if isinstance(exc, BlockedURL):
        return f"refused by the fetcher's rules: {exc}"
    return f"unreachable: {exc}"


def _refused_target(fetcher: Fetcher, exc: FetchError) -> str:
    """The foreign URL a refused redirect pointed to, or ""."""
    if isinstance(exc, BlockedURL) and str(exc).startswith("redirect from") and exc.url:
        if not fetcher.allows(exc.url) and urlsplit(exc.url).hostname:
            return exc.url
    return ""


def _rest_code(fetched: Fetched) -> str:
    try:
        data = json.loads(fetched.body)
    except (ValueError, RecursionError):
        return ""
    code = data.get("code") if isinstance(data, dict) else None
    return f" ({_clean_text(str(code))[:60]})" if code else ""


def _is_html(fetched: Fetched) -> bool:
    return fetched.content_type in ("", "text/html", "application/xhtml+xml")


def _absolute(base: str, href: object) -> str:
    if not isinstance(href, str) or not href.strip():
        return ""
    try:
        url = urldefrag(urljoin(base, href.strip())).url
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        return ""
    return url if parts.scheme in ("http", "https") and parts.hostname else ""


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return ""


def _root_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}/"


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _looks_like_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _unique_urls(urls: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    result = []
    for url in urls:
        if url and url not in seen:
            seen.add(url)
            result.append(url)
    return result


def _clean_text(text: str) -> str:
    return " ".join(_CONTROL.sub(" ", text).split())


def _latest(*dates: datetime | None) -> datetime | None:
    known = [d for d in dates if d is not None]
    return max(known) if known else None


def _day(value: datetime | None) -> str:
    return f"{value:%Y-%m-%d}" if value else "unknown"
