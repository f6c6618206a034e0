"""Labelled data for training and measuring the claim check, loaded the way live data is.

- **Development data** of this project: the corpus releases (`../shared/corpus/releases.jsonl`,
  also bundled as the demo), the correction releases written for Saring
  (`verify/data/dev/denials.jsonl`), and every claim file `verify/data/dev/claims_*.jsonl`
  (text, gold label, the release it is about, the kind of claim). Claims are split **by
  release** into a tuning part and a test part (`part`): all claims about one release fall on
  the same side, so a model tuned on one side has never seen the other side's releases
  discussed. Claims about no release are split by their own id.
- **IndoNLI** (Mahendra et al., 2021, https://github.com/ir-nlp-csui/indonli, CC BY-SA 4.0):
  each premise becomes a release and each hypothesis a claim (entailment -> SUPPORTED,
  contradiction -> CONTRADICTED, neutral -> NOT_FOUND). Its train split may be trained on and
  its validation split tuned on; its test splits are for measuring only. The data is read from
  a local copy; nothing of it is stored in this repository.

`load_releases` ingests releases into a fresh data directory through the real path (WordPress
REST JSON -> parser -> normaliser -> archive -> index), so what is measured is what runs.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from archive.store import Archive, database_url_for
from index.store import WIB, SearchIndex
from ingest.corpus import read_jsonl, wordpress_post
from ingest.fetch import Fetcher
from ingest.indexing import sync_index
from ingest.normalise import canonical_url
from ingest.parsers import parse_wp_posts
from ingest.pipeline import Ingester, SourceReport
from ingest.sources import Source

ROOT = Path(__file__).resolve().parent.parent
DEV_DIR = Path(__file__).resolve().parent / "data" / "dev"
CORPUS_RELEASES = ROOT.parent / "shared" / "corpus" / "releases.jsonl"
DENIALS = DEV_DIR / "denials.jsonl"
LABELS = ("SUPPORTED", "CONTRADICTED", "NOT_FOUND")
# Share of release groups held out as the test part.
TEST_SHARE = 0.3
_INDONLI_LABELS = {"e": "SUPPORTED", "c": "CONTRADICTED", "n": "NOT_FOUND"}
INDONLI_HOST = "indonli.example.org"
# The day development claims are checked on, so that results never depend on today.
CHECK_DAY = datetime(2026, 12, 1, 12, tzinfo=WIB)


def read_releases(paths: Sequence[Path]) -> list[dict]:
    """Releases from corpus-format JSON Lines files (missing files are skipped with a note)."""
    releases: list[dict] = []
    for path in paths:
        if Path(path).exists():
            releases.extend(read_jsonl(path))
        else:
            print(f"note: {path} not found, its releases are left out", file=sys.stderr)
    return releases


def read_claims(paths: Sequence[Path] | None = None) -> list[dict]:
    """Claims from JSON Lines files (default: every `claims_*.jsonl` of the development data),
    each with its `part` (tune or test) set."""
    claims: list[dict] = []
    for path in paths or sorted(DEV_DIR.glob("claims_*.jsonl")):
        for claim in read_jsonl(path):
            claim = dict(claim)
            claim.setdefault("kind", "corpus")
            claim["part"] = part(claim)
            claims.append(claim)
    ids = [c["id"] for c in claims]
    if len(ids) != len(set(ids)):
        raise ValueError("development claims: duplicate ids")
    return claims


def group_of(claim: dict) -> str:
    """What a claim is split by: its release, the release whose topic it borrows, or itself."""
    return claim.get("release_id") or claim.get("topic_release") or claim["id"]


def part(claim: dict) -> str:
    """ "test" or "tune", fixed by a hash of the claim's group (never by its content)."""
    digest = hashlib.sha256(f"saring-split:{group_of(claim)}".encode()).digest()
    return "test" if digest[0] < 256 * TEST_SHARE else "tune"


def load_releases(data_dir: Path, releases: Sequence[dict]) -> tuple[SearchIndex, dict[str, str]]:
    """Ingest corpus-format releases into `data_dir`; the index and corpus id -> archive id."""
    archive = Archive(database_url_for(data_dir))
    index = SearchIndex(data_dir / "index")
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for release in releases:
        groups[(urlsplit(release["url"]).hostname or "", release["opd"])].append(release)
    hosts = {host for host, _ in groups}
    ingester = Ingester(archive, index, Fetcher(allowed_hosts=hosts))
    number = 0
    for position, ((host, opd), members) in enumerate(sorted(groups.items())):
        source = Source(id=f"eval-{position}", kind="wordpress", url=f"https://{host}/", opd=opd)
        posts = []
        for release in members:
            number += 1
            posts.append(wordpress_post(number, release))
        page = parse_wp_posts(
            json.dumps(posts).encode("utf-8"), f"https://{host}/wp-json/wp/v2/posts"
        )
        report = SourceReport(source.id)
        ingester.take(source, page.items, report)
        if report.problems:
            print(f"[{source.id}] {len(report.problems)} problem(s): {report.problems[:2]}",
                  file=sys.stderr)  # fmt: skip
    sync_index(archive, index)
    by_url = {stored.url: str(stored.id) for stored in archive.iter_releases()}
    archive.dispose()
    mapping = {}
    for release in releases:
        archived = by_url.get(canonical_url(release["url"]))
        if archived:
            mapping[release["id"]] = archived
    return index, mapping


def read_indonli(path: Path) -> list[dict]:
    """The rows of one IndoNLI split file (train.jsonl, val.jsonl, test_lay.jsonl ...)."""
    return read_jsonl(path)


def indonli_as_corpus(rows: Sequence[dict]) -> tuple[list[dict], list[dict]]:
    """IndoNLI rows as (releases, claims): one release per premise, one claim per hypothesis.

    A premise's release is headed by its first words, as a headline sums up a release.
    """
    releases: dict[str, dict] = {}
    claims = []
    for row in rows:
        release_id = f"P{row['premise_id']}"
        if release_id not in releases:
            words = row["premise"].split()
            releases[release_id] = {
                "id": release_id,
                "source_site": INDONLI_HOST,
                "opd": "IndoNLI",
                "url": f"https://{INDONLI_HOST}/2021/01/01/premis-{row['premise_id']}/",
                "title": " ".join(words[:8]).rstrip(",.;:"),
                "published": "2021-01-01T09:00:00+07:00",
                "categories": ["IndoNLI"],
                "tags": [],
                "author": "",
                "paragraphs": [row["premise"]],
            }
        claims.append(
            {
                "id": f"nli-{row['pair_id']}",
                "text": row["hypothesis"],
                "release_id": release_id,
                "label": _INDONLI_LABELS[row["label"]],
                "kind": f"indonli-{row.get('annotator_type', '')}",
            }
        )
    return list(releases.values()), claims
