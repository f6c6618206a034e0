"""Time the claim check as the API runs it, on the demo data or on a large archive.

    python bench/check_latency.py --demo
    python bench/make_archive.py --count 100000 --out bench/out/archive-100k   # once, ~12 min
    python bench/check_latency.py --data bench/out/archive-100k

Each timed call is `verify.check.check_text(index, text)` exactly as POST /api/v1/check makes
it: cleaning, claim splitting, retrieval, reading and comparing sentences, and the lookup of
published clarifications (leave that out with --no-clarifications).

The messages are generated deterministically (--seed) from the demo releases (demo/wp/*.json):
official sentences as they are (claims the record supports), the same with a number altered
(claims it contradicts), both dressed up as forwarded chat messages (boilerplate, emojis, chat
spelling), two-claim messages, and invented rumours about Malang places (nothing to find).
--claims FILE.jsonl times the "text" of each line of a claims file instead.

Printed: the first (cold) check, then after --warmup checks the median, p95, p99 and maximum
over --count checks, overall and per kind of message, and the verdicts given. Nothing here
asserts a time; compare runs on the same machine.
"""

from __future__ import annotations

import argparse
import html
import json
import platform
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from index.names import KECAMATAN, VENUES  # noqa: E402
from index.store import SearchIndex  # noqa: E402
from verify.check import CheckInputError, check_text  # noqa: E402

DEMO_WP = ROOT / "demo" / "wp"
NOISE_BEFORE = ["Info dari grup sebelah: ", "Diteruskan\n", "VIRAL!!! ", "Katanya ", ""]
NOISE_AFTER = [" VIRALKAN!!", " 😱🙏", " Sebarkan ke grup lain!!", " ya rek", ""]
CHAT = {"tidak": "gak", "yang": "yg", "untuk": "utk", "dengan": "dgn", "sudah": "sdh"}
RUMOURS = [
    "{place} akan ditutup total mulai besok selama tiga bulan",
    "Mulai bulan depan warga {place} wajib bayar iuran keamanan Rp100 ribu per bulan",
    "Pemkot Malang bagi-bagi sembako gratis di {place} tiap Jumat, cukup bawa KTP",
    "Air PDAM di {place} tercemar bakteri, jangan diminum sampai akhir bulan",
    "Ada penculikan anak modus jual mainan di {place}, hati-hati bunda",
]
_TAGS = re.compile(r"<[^>]+>")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)*\b")


def demo_sentences() -> list[str]:
    """Sentences of the demo releases that state something with a number or a name."""
    found = []
    for path in sorted(DEMO_WP.glob("*.json")):
        for post in json.loads(path.read_text(encoding="utf-8")):
            text = html.unescape(_TAGS.sub(" ", post["content"]["rendered"]))
            for sentence in _SENTENCE.split(" ".join(text.split())):
                if 40 <= len(sentence) <= 220 and _NUMBER.search(sentence):
                    found.append(sentence)
    return found


def _alter_number(sentence: str, rng: random.Random) -> str:
    numbers = list(_NUMBER.finditer(sentence))
    match = rng.choice(numbers)
    digits = match.group(0)
    changed = digits + "0" if rng.random() < 0.5 else str(int(re.sub(r"\D", "", digits)) + 7)
    return sentence[: match.start()] + changed + sentence[match.end() :]


def _chat(text: str, rng: random.Random) -> str:
    for word, informal in CHAT.items():
        text = re.sub(rf"\b{word}\b", informal, text)
    return f"{rng.choice(NOISE_BEFORE)}{text}{rng.choice(NOISE_AFTER)}"


def messages(count: int, seed: int) -> list[tuple[str, str]]:
    """(kind, text) pairs: supported, contradicted, chat, two claims, rumour."""
    rng = random.Random(seed)
    sentences = demo_sentences()
    places = [*KECAMATAN, *(k for ks in KECAMATAN.values() for k in ks), *VENUES]
    made = []
    for number in range(count):
        kind = ("official", "altered", "chat", "two claims", "rumour")[number % 5]
        sentence = rng.choice(sentences)
        if kind == "official":
            text = sentence
        elif kind == "altered":
            text = _alter_number(sentence, rng)
        elif kind == "chat":
            text = _chat(_alter_number(sentence, rng) if rng.random() < 0.5 else sentence, rng)
        elif kind == "two claims":
            text = f"{sentence} {_alter_number(rng.choice(sentences), rng)}"
        else:
            text = _chat(rng.choice(RUMOURS).format(place=rng.choice(places)), rng)
        made.append((kind, text))
    return made


def file_messages(path: Path) -> list[tuple[str, str]]:
    """("file", text) for each line of a claims JSON Lines file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [("file", json.loads(line)["text"]) for line in lines if line.strip()]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _line(name: str, seconds: list[float]) -> str:
    ms = [s * 1000 for s in seconds]
    return (
        f"  {name:<12} n={len(ms):<5} median {statistics.median(ms):7.1f} ms   "
        f"p95 {_percentile(ms, 0.95):7.1f} ms   p99 {_percentile(ms, 0.99):7.1f} ms   "
        f"max {max(ms):7.1f} ms"
    )


def run(index: SearchIndex, batch: list[tuple[str, str]], warmup: int, clarifications: bool):
    """Time each message; returns the cold time, timings per kind and the verdicts."""
    started = time.perf_counter()
    _check(index, batch[0][1], clarifications)
    cold = time.perf_counter() - started
    for _, text in batch[1 : warmup + 1]:
        _check(index, text, clarifications)
    timings: dict[str, list[float]] = defaultdict(list)
    verdicts: Counter[str] = Counter()
    for kind, text in batch[warmup + 1 :]:
        started = time.perf_counter()
        verdict = _check(index, text, clarifications)
        timings[kind].append(time.perf_counter() - started)
        verdicts[verdict] += 1
    return cold, timings, verdicts


def _check(index: SearchIndex, text: str, clarifications: bool) -> str:
    try:
        return check_text(index, text, with_clarifications=clarifications).verdict.value
    except CheckInputError:
        return "INPUT_ERROR"


def _demo_index(directory: Path) -> SearchIndex:
    """Load the bundled demo into a fresh data directory, through the real ingest path."""
    from app import create_app
    from ingest.demo import load_demo_if_empty

    app = create_app({"DATA_DIR": str(directory), "DATABASE_URL": ""})
    with app.app_context():
        load_demo_if_empty(app)
    return app.extensions["saring"].index


def main(argv: list[str] | None = None) -> None:
    """Parse arguments, time the checks, print the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--data", type=Path, help="a Saring data directory (with index/)")
    where.add_argument("--demo", action="store_true", help="load the demo into a temp dir")
    parser.add_argument("--count", type=int, default=300, help="timed checks")
    parser.add_argument("--warmup", type=int, default=20, help="untimed checks first")
    parser.add_argument("--seed", type=int, default=20261128)
    parser.add_argument("--claims", type=Path, help="time the texts of a claims.jsonl instead")
    parser.add_argument("--no-clarifications", action="store_true",
                        help="leave out the lookup of published clarifications")  # fmt: skip
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="saring-latency-") as temporary:
        if args.demo:
            index = _demo_index(Path(temporary))
            label = "demo"
        else:
            index = SearchIndex(args.data / "index")
            label = str(args.data)
        documents = index.doc_count()
        if not documents:
            raise SystemExit(f"no search index under {label}")
        if args.claims:
            batch = file_messages(args.claims)
            while len(batch) < args.count + args.warmup + 1:
                batch = batch + batch
            batch = batch[: args.count + args.warmup + 1]
        else:
            batch = messages(args.count + args.warmup + 1, args.seed)
        cold, timings, verdicts = run(index, batch, args.warmup, not args.no_clarifications)

    everything = [s for values in timings.values() for s in values]
    print(f"Claim check latency on {label}: {documents} documents, "
          f"{platform.python_implementation()} {platform.python_version()}, "
          f"clarifications {'off' if args.no_clarifications else 'on'}")  # fmt: skip
    print(f"  cold first check {cold * 1000:.1f} ms; {args.warmup} warm-up checks untimed")
    print(_line("all", everything))
    for kind in sorted(timings):
        print(_line(kind, timings[kind]))
    print("  verdicts: " + ", ".join(f"{v} {n}" for v, n in sorted(verdicts.items())))
    result = {
        "data": label,
        "documents": documents,
        "checks": len(everything),
        "clarifications": not args.no_clarifications,
        "cold_ms": round(cold * 1000, 1),
        "median_ms": round(statistics.median(everything) * 1000, 1),
        "p95_ms": round(_percentile(everything, 0.95) * 1000, 1),
        "p99_ms": round(_percentile(everything, 0.99) * 1000, 1),
    }
    print("RESULT " + json.dumps(result))


if __name__ == "__main__":
    main()
