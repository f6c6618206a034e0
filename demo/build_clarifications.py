"""Regenerate demo/clarifications.json from the development corpus (developer tool).

Each corpus clarification becomes a published demo clarification: a headline written here, the
short explanation (the summary's first sentence) split from the fuller text, where the rumour
circulated, and the cited releases as the demo releases' URLs (read from releases.jsonl), which
the demo loader resolves to archived release ids. Run from the repository root:

    python demo/build_clarifications.py [../shared/corpus]
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpus"

# Corpus id -> (headline, where the rumour was seen). Headlines written for the demo.
EDITORIAL: dict[str, tuple[str, str]] = {
    "K001": ("Larangan masuk Kota Malang karena zona hitam Covid-19", "WhatsApp, Facebook"),
    "K002": ("KTP elektronik tidak berlaku lagi dan wajib diganti KTP digital", "WhatsApp"),
    "K003": ("Jalur khusus PPPK Pemkot Malang dengan setoran Rp25 juta", "WhatsApp, Facebook"),
    "K004": ("Video Gedung DPRD Kota Malang terbakar saat demo Agustus 2025", "TikTok, X"),
    "K005": ("Tarif angkot Kota Malang naik menjadi Rp15 ribu", "Facebook"),
    "K006": ("PBB Kota Malang naik empat kali lipat karena Perda 1/2025", "WhatsApp, Instagram"),
    "K007": ("Puluhan siswa SD di Lowokwaru keracunan Makan Bergizi Gratis", "WhatsApp"),
    "K008": ("Toko miras di Jalan Soekarno-Hatta sudah berizin dari Pemkot", "Instagram"),
    "K009": ("Uang pangkal Rp2 juta untuk masuk Sekolah Rakyat Kota Malang", "WhatsApp"),
    "K010": ("BLTS Rp900 ribu otomatis cair ke 72.500 warga tanpa pengecekan", "WhatsApp"),
    "K011": ("Semua siswa baru SD-SMP negeri dan swasta dapat seragam gratis", "Facebook"),
    "K012": ("Pasar Besar Malang dibongkar total pada Januari 2026", "WhatsApp"),
    "K013": ("Parkir di Kayutangan gratis selamanya untuk motor dan mobil", "Instagram, TikTok"),
    "K014": ("Air Tugu Tirta mati se-Kota Malang tiga hari karena proyek drainase", "WhatsApp"),
    "K015": ("UMK Kota Malang 2026 sebesar Rp3.736.101", "WhatsApp"),
}

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80].strip("-")


def _split_summary(text: str) -> tuple[str, str]:
    """(first sentence, the rest): the short explanation and the fuller text."""
    parts = _SENTENCE_END.split(text.strip(), maxsplit=1)
    return parts[0], parts[1] if len(parts) > 1 else ""


def build(corpus: Path) -> list[dict]:
    """The demo clarifications in the shape ingest/demo.py loads."""
    urls = {}
    for line in (corpus / "releases.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            release = json.loads(line)
            urls[release["id"]] = release["url"]
    items = []
    for line in (corpus / "clarifications.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        source = json.loads(line)
        headline, seen_on = EDITORIAL[source["id"]]
        summary, body = _split_summary(source["summary"])
        items.append(
            {
                "slug": _slug(headline),
                "title": headline,
                "rumour": source["rumour"],
                "verdict": source["verdict"],
                "summary": summary,
                "body": body,
                "seen_on": seen_on,
                "sightings": [],
                "release_urls": [urls[r] for r in source["related_release_ids"]],
                "published": source["published"],
            }
        )
    return items


def main(corpus: Path) -> None:
    """Write demo/clarifications.json."""
    items = build(corpus)
    (HERE / "clarifications.json").write_text(
        json.dumps(items, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"{len(items)} demo clarifications")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_CORPUS)
