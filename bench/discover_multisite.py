"""Time `flask sources discover` on the test multisite (tests/test_discover.py) on 127.0.0.1.

    python bench/discover_multisite.py                 # the test site, as the tests see it
    python bench/discover_multisite.py --extra 100     # plus 100 more WordPress subsites
    python bench/discover_multisite.py --delay 1.0     # with the production politeness delay

The multisite's names are led to its local servers by the tests' resolver (no real DNS, no
network); the command runs through Flask's CLI runner on a throw-away data directory exactly as
`flask --app app sources discover --out FILE` would. Extra subsites are WordPress sites with
REST and feed, listed on the main site's /profil/ page (two hops from the start). Printed: the
command's own figures line for each run and the median time. Nothing here asserts a time; compare
runs on the same machine.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from ingest.sources import load_sources  # noqa: E402
from tests.test_discover import CITY, SOURCES_TOML, Multisite, page  # noqa: E402


def run_once(extra: int, delay: float, workdir: Path, options: list[str]) -> tuple[str, float]:
    """Build the multisite, run the command once; (its figures line, seconds)."""
    with ExitStack() as stack:
        sites = Multisite(stack)
        names = [f"kelbench{n:03d}.{CITY}" for n in range(extra)]
        for name in names:
            sites.wordpress(name, home=page(f"Kelurahan {name[:11]}", "<p>x</p>"), rest=True,
                            age_days=3, index=None)  # fmt: skip
        if names:
            links = "".join(f'<a href="http://{name}/">{name}</a> ' for name in names)
            sites.main.static("/profil/", page("Profil", f"<div>{links}</div>"))
        real_resolver = socket.getaddrinfo
        socket.getaddrinfo = sites.resolver
        try:
            sources = workdir / "sources.toml"
            sources.write_text(SOURCES_TOML, encoding="utf-8")
            out = workdir / "usulan.toml"
            app = create_app(
                {
                    "TESTING": True,
                    "DATA_DIR": str(workdir / "data"),
                    "DATABASE_URL": "",
                    "FETCH_DELAY": delay,
                    "FETCH_TIMEOUT": 5.0,
                }
            )
            started = time.perf_counter()
            result = app.test_cli_runner().invoke(
                args=["sources", "discover", "--sources", str(sources), "--out", str(out)] + options
            )
            seconds = time.perf_counter() - started
            app.extensions["saring"].archive.dispose()
        finally:
            socket.getaddrinfo = real_resolver
        if result.exit_code != 0:
            raise SystemExit(f"discover failed:\n{result.output}")
        proposed = len(load_sources(out))
        figures = result.output.strip().splitlines()[-1]
        return f"{figures} [{proposed} entries load]", seconds


def main() -> int:
    """Run the command --repeat times and print its figures and the median time."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--extra", type=int, default=0, help="more WordPress subsites")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds between requests/host")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("options", nargs="*", help="passed to the command, after --")
    args = parser.parse_args()
    os.environ["SARING_ALLOW_PRIVATE_HOSTS"] = "1"  # the servers are on 127.0.0.1
    times = []
    for number in range(1, args.repeat + 1):
        with tempfile.TemporaryDirectory(prefix="saring-discover-") as folder:
            figures, seconds = run_once(args.extra, args.delay, Path(folder), args.options)
        times.append(seconds)
        print(f"run {number}: {seconds:.2f} s (the command) | {figures}")
    print(f"median {statistics.median(times):.2f} s over {len(times)} run(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
