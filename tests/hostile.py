"""Helpers for tests of hostile sources: fixture files, a local fetcher and a sources file."""

from __future__ import annotations

from pathlib import Path

from ingest.fetch import Fetcher
from ingest.sources import Source, load_sources
from tests.localserver import LocalServer

FIXTURES = Path(__file__).parent / "fixtures" / "hostile"


def fixture(name: str, base: str) -> str:
    """A fixture file with its {base} placeholder replaced by the server's base URL."""
    return (FIXTURES / name).read_text(encoding="utf-8").replace("{base}", base)


def local_fetcher(server: LocalServer, **options: object) -> Fetcher:
    """A fetcher allowed to reach the local server (its own port), without politeness waits."""
    settings: dict[str, object] = {"allow_private": True, "delay": 0, "timeout": 2.0}
    settings.update(options)
    return Fetcher([server.netloc], **settings)  # type: ignore[arg-type]


def source_entry(source_id: str, kind: str, url: str, extra: str = "") -> str:
    """One [[source]] table of a sources file."""
    return (
        f'[[source]]\nid = "{source_id}"\nkind = "{kind}"\nurl = "{url}"\n'
        f'opd = "Dinas Contoh"\n{extra}\n'
    )


def write_sources(path: Path, entries: list[str]) -> list[Source]:
    """Write the entries as a sources file at path and load it (validated)."""
    path.write_text("\n".join(entries), encoding="utf-8")
    return load_sources(path)
