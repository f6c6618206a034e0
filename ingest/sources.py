"""The sources file: which sites to ingest, how, and how often. Validated when loaded."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ingest.parsers import ArticleSelectors

KINDS = ("wordpress", "feed", "html", "jdih")
SELECTOR_KEYS = ("item", "title", "date", "body")
_DURATION = re.compile(r"^\s*(\d+)\s*([smhd])\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


class SourcesError(ValueError):
    """The sources file is missing, unreadable or has a bad entry; the message names the key."""


def parse_duration(value: str | int) -> int:
    """'15m', '2h', '1d', '30s' or a number of seconds -> seconds (at least 1)."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    match = _DURATION.match(str(value))
    if not match or int(match.group(1)) <= 0:
        raise ValueError(f"not a duration: {value!r} (use e.g. '30s', '15m', '2h', '1d')")
    return int(match.group(1)) * _UNITS[match.group(2)]


@dataclass(frozen=True)
class Source:
    """One site to ingest."""

    id: str
    kind: str
    url: str
    opd: str
    categories: tuple[str, ...] = ()
    interval: int = 1800  # seconds between polls
    edit_check: int = 6 * 3600  # seconds between asks for recently modified posts
    max_pages: int = 500  # backfill paging limit
    selectors: ArticleSelectors = field(default_factory=ArticleSelectors)

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").lower()

    @property
    def allowed_host(self) -> str:
        """The fetcher's allow-list entry: the host, with the port when the URL names one."""
        parts = urlsplit(self.url)
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{parts.port}" if parts.port is not None else host

    @property
    def root(self) -> str:
        """The site root: scheme, netloc and path up to the last slash (for subdir sites)."""
        parts = urlsplit(self.url)
        path = parts.path if parts.path.endswith("/") else parts.path.rsplit("/", 1)[0] + "/"
        return f"{parts.scheme}://{parts.netloc}{path}"


def default_sources_path() -> Path:
    """sources.toml at the repository root."""
    return Path(__file__).resolve().parent.parent / "sources.toml"


def load_sources(path: str | Path) -> list[Source]:
    """Read and validate a sources file; raise SourcesError naming the offending entry and key."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SourcesError(f"sources file not found: {path}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SourcesError(f"{path}: not valid TOML: {exc}") from exc
    defaults = data.get("defaults", {})
    entries = data.get("source")
    if not isinstance(entries, list) or not entries:
        raise SourcesError(f"{path}: no [[source]] entries")
    sources: list[Source] = []
    seen: set[str] = set()
    for position, entry in enumerate(entries, start=1):
        source = _build(entry, defaults, where=f"{path}: source #{position}")
        if source.id in seen:
            raise SourcesError(f"{path}: source #{position}: duplicate id {source.id!r}")
        seen.add(source.id)
        sources.append(source)
    return sources


_KNOWN_KEYS = {
    "id",
    "kind",
    "url",
    "opd",
    "category",
    "interval",
    "edit_check",
    "max_pages",
    "selectors",
}


def _build(entry: dict, defaults: dict, where: str) -> Source:
    if not isinstance(entry, dict):
        raise SourcesError(f"{where}: must be a table")
    unknown = set(entry) - _KNOWN_KEYS
    if unknown:
        raise SourcesError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    merged = {**defaults, **entry}

    def need(key: str) -> str:
        value = merged.get(key)
        if not isinstance(value, str) or not value.strip():
            raise SourcesError(f"{where}: key {key!r} is required and must be a non-empty string")
        return value.strip()

    source_id = need("id")
    where = f"{where} ({source_id})"
    if not _ID.match(source_id):
        raise SourcesError(f"{where}: key 'id' must be lower-case letters, digits, '-' or '_'")
    kind = need("kind")
    if kind not in KINDS:
        raise SourcesError(f"{where}: key 'kind' must be one of {', '.join(KINDS)}, not {kind!r}")
    url = need("url")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        raise SourcesError(f"{where}: key 'url' is not a valid URL: {url!r}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SourcesError(f"{where}: key 'url' must be an http(s) URL, not {url!r}")
    categories = merged.get("category", [])
    if isinstance(categories, str):
        categories = [categories]
    if not isinstance(categories, list) or not all(isinstance(c, str) for c in categories):
        raise SourcesError(f"{where}: key 'category' must be a string or a list of strings")
    try:
        interval = parse_duration(merged.get("interval", "30m"))
        edit_check = parse_duration(merged.get("edit_check", "6h"))
    except ValueError as exc:
        raise SourcesError(f"{where}: {exc}") from exc
    max_pages = merged.get("max_pages", 500)
    if not isinstance(max_pages, int) or isinstance(max_pages, bool) or not 1 <= max_pages <= 10000:
        raise SourcesError(f"{where}: key 'max_pages' must be an integer from 1 to 10000")
    raw_selectors = entry.get("selectors", {})
    if not isinstance(raw_selectors, dict) or set(raw_selectors) - set(SELECTOR_KEYS):
        raise SourcesError(
            f"{where}: key 'selectors' may only hold {', '.join(SELECTOR_KEYS)} (CSS selectors)"
        )
    selectors = ArticleSelectors(**{k: str(v) for k, v in raw_selectors.items()})
    if kind == "html" and not selectors.item:
        raise SourcesError(f"{where}: an html source needs selectors.item (links to articles)")
    return Source(
        id=source_id,
        kind=kind,
        url=url,
        opd=need("opd"),
        categories=tuple(categories),
        interval=interval,
        edit_check=edit_check,
        max_pages=max_pages,
        selectors=selectors,
    )
