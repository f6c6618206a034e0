"""IndoNLI through the site's own API: premises as releases, hypotheses POSTed to /api/v1/check.

    python bench/indonli_api.py --indonli ../indonli/data/indonli [--split test_lay] [--limit N]

The premises of one split (default test_lay, which is only ever used for measuring) are loaded
as releases into a throw-away data directory through the ingest path (`verify.devset`), the site
is created on that directory, and every hypothesis is sent to POST /api/v1/check exactly as a
client would send it. Printed with `verify.evaluate`'s report: accuracy, macro-F1, the
confusion matrix (entailment = SUPPORTED, contradiction = CONTRADICTED, neutral = NOT_FOUND),
Recall@1/@5 of the premise among the evidence, and the calibration of `confidence`.

IndoNLI: Mahendra, Aji, Louvan, Rahman and Vania (2021), CC BY-SA 4.0; read from a local copy.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from verify.devset import indonli_as_corpus, load_releases, read_indonli  # noqa: E402
from verify.evaluate import Outcome, print_report  # noqa: E402


def main() -> int:
    """Load the premises, post every hypothesis, print the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--indonli", type=Path, required=True, help="folder of the JSON Lines")
    parser.add_argument("--split", default="test_lay")
    parser.add_argument("--limit", type=int, help="only the first N hypotheses")
    args = parser.parse_args()
    path = args.indonli / f"{args.split}.jsonl"
    releases, claims = indonli_as_corpus(read_indonli(path))
    claims = claims[: args.limit] if args.limit else claims
    with tempfile.TemporaryDirectory(prefix="saring-indonli-") as temporary:
        data_dir = Path(temporary)
        started = time.perf_counter()
        _, mapping = load_releases(data_dir, releases)
        print(
            f"IndoNLI {args.split}: {len(releases)} premises loaded as releases in "
            f"{time.perf_counter() - started:.0f} s; {len(claims)} hypotheses via the API"
        )
        app = create_app({"DATA_DIR": str(data_dir), "TESTING": True, "CHECK_RATE_LIMIT": ""})
        client = app.test_client()
        outcomes = []
        for claim in claims:
            body = client.post("/api/v1/check", json={"text": claim["text"]}).get_json() or {}
            shown = tuple(dict.fromkeys(str(e["release_id"]) for e in body.get("evidence", [])))
            outcomes.append(
                Outcome(claim["id"], claim["label"], body.get("verdict", "NOT_FOUND"),
                        float(body.get("confidence", 0.0)), mapping.get(claim["release_id"]),
                        shown, claim["kind"])
            )  # fmt: skip
        app.extensions["saring"].archive.dispose()
    print_report(f"IndoNLI {args.split} through POST /api/v1/check", outcomes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
