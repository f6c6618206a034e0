"""What an official sentence does: state something, report what others said, or deny it.

Releases do not only state facts. A correction ("Klarifikasi: ...", "Pemkot Malang Bantah ...")
also *describes* the rumour it answers ("beredar pesan berantai yang menyebut ..."), and a news
release often quotes a complaint ("warga mengaku ditarik Rp15 ribu"). Read naively, such a
sentence looks like the city stating the rumour. Each sentence therefore gets a `Stance`:

- `reports`: it relays what circulated or what someone else claimed (beredar, viral, pesan
  berantai, narasi seolah-olah, unggahan, akun palsu mengatasnamakan, warga mengaku, keluhan),
  or goes on telling it ("Pesan itu juga memuat ...", "Pelaku meminta transfer ...");
- `denies`: it denies or corrects something. Calling something false or answering it (tidak
  benar, hoaks, palsu, membantah, menepis, meluruskan, klarifikasi) also relays what is denied,
  so such a sentence `reports` too; stating the opposite plainly ("dipastikan bukan", "tidak
  pernah mengeluarkan", "tidak ada rencana") does not;
- neither: an ordinary official statement.

A sentence that reports is never official support for what it reports; a denial that relays
nothing ("tarif angkot tidak naik") is an official statement like any other. A release with a
denying sentence (or a denying headline) is a correction: a claim that matches what it reports
is what the city denies. The cues are word patterns of ordinary Indonesian news writing, not of
any one rumour.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


def _pattern(*phrases: str) -> re.Pattern[str]:
    """One case-insensitive pattern matching any phrase as whole words ("-" and spaces flexible)."""
    alternatives = sorted(phrases, key=len, reverse=True)
    body = "|".join(p.replace(" ", r"\s+") for p in alternatives)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)


# Relaying what circulated or what someone else said.
_REPORTS = _pattern(
    "beredar", "diedarkan", "viral", "diviralkan", "memviralkan", "pesan berantai",
    "narasi", "seolah", "seolah-olah", "seakan", "seakan-akan", "isu yang", "isu bahwa",
    "isu tersebut", "isu itu", "rumor", "desas-desus", "kabar burung", "kabar bohong",
    "kabar yang", "kabar bahwa", "kabar tersebut", "kabar itu", "informasi yang beredar",
    "informasi yang menyebut", "informasi yang menyebutkan", "informasi tersebut",
    "unggahan", "diunggah", "mengunggah", "postingan", "diposting", "konten yang",
    "konten tersebut", "tangkapan layar", "screenshot", "video lama", "foto lama",
    "hasil suntingan", "editan", "akun palsu", "akun tidak resmi", "mengatasnamakan",
    "mencatut", "dicatut", "mengaku", "mengklaim", "diklaim", "klaim tersebut", "klaim bahwa",
    "disebut-sebut", "dikabarkan", "diisukan", "dituding", "tudingan", "menuding", "keluhan",
    "dikeluhkan", "mengeluhkan", "mengeluh", "warganet", "netizen", "hoaks", "hoax",
    "modus penipuan",
)  # fmt: skip
# A later sentence that goes on telling what the message said ("Pesan itu juga memuat perintah
# agar ...", "Unggahan tersebut menyebut ...", "Pelaku meminta transfer ..."): the thing that
# circulated, or whoever sent it, as the subject of a verb of saying, asking or offering.
_CARRIERS = (
    "pesan", "pesan suara", "unggahan", "postingan", "konten", "akun", "tautan", "link",
    "poster", "pamflet", "selebaran", "brosur", "surat", "video", "foto", "gambar", "rekaman",
    "isu", "kabar", "informasi", "narasi", "lowongan", "iklan", "status", "utas", "orang",
)  # fmt: skip
_RELAYING_VERBS = (
    "menyebut", "menyebutkan", "mengklaim", "memuat", "berisi", "berisikan", "meminta",
    "menawarkan", "mengajak", "menjanjikan", "mencantumkan", "menyatakan", "mengatakan",
    "mengimbau", "memerintahkan", "menginstruksikan", "menuliskan", "menulis", "menampilkan",
    "memperlihatkan", "menggambarkan", "disertai", "menginformasikan", "mengabarkan",
    "menuding", "menuduh", "mengancam", "mengiming-imingi",
)  # fmt: skip
_RELAYED = re.compile(
    rf"(?<![\w-])(?:(?:{'|'.join(_CARRIERS)})\s+(?:itu|tersebut)|pelaku|penipu)\s+"
    rf"(?:(?:juga|pun|bahkan|lalu|kemudian)\s+)?(?:{'|'.join(_RELAYING_VERBS)})(?![\w-])",
    re.IGNORECASE,
)
# Calling what circulated false, or answering it: the sentence carries the rumour it answers
# ("Pemkot membantah kabar Pasar Besar dibongkar", "Informasi tarif naik itu tidak benar").
_ANSWERS = _pattern(
    "tidak benar", "tak benar", "tidaklah benar", "bukan hal yang benar", "hoaks", "hoax",
    "palsu", "bohong", "dusta", "fitnah", "tidak berdasar", "tanpa dasar", "menyesatkan",
    "disinformasi", "misinformasi", "keliru", "membantah", "dibantah", "bantahan", "menepis",
    "ditepis", "menampik", "ditampik", "menyangkal", "disangkal", "meluruskan", "diluruskan",
    "klarifikasi", "mengklarifikasi", "diklarifikasi", "penipuan",
    # headline forms: "Pemkot Bantah ...", "Dishub Luruskan ...", "Dinkes Tepis ..."
    "bantah", "tepis", "tampik", "sangkal", "luruskan",
)  # fmt: skip
# Stating the opposite plainly: an official statement that denies without relaying.
_DENIES = _pattern(
    "tidak pernah mengeluarkan", "tidak pernah menerbitkan", "tidak pernah membuat",
    "tidak pernah meminta", "tidak pernah memungut", "tidak pernah menarik",
    "tidak pernah menyampaikan", "tidak pernah mengimbau", "tidak pernah menginstruksikan",
    "tidak pernah memerintahkan", "tidak pernah membuka", "tidak pernah mengadakan",
    "tidak pernah menetapkan", "dipastikan tidak", "dipastikan bukan", "memastikan tidak",
    "memastikan bukan", "menegaskan tidak", "menegaskan bukan", "bukan berasal", "bukan dari",
    "bukan milik", "bukan akun resmi", "tidak ada rencana", "tidak ada kebijakan",
    "belum ada rencana", "tidak ada pungutan", "tidak dipungut", "tidak ada kaitannya",
    "bukan terjadi", "tidak terjadi di", "pastikan tidak", "pastikan bukan", "tegaskan tidak",
    "tegaskan bukan",
)  # fmt: skip


@dataclass(frozen=True)
class Stance:
    """What one sentence does: `reports` others' words, `denies` something, or neither."""

    reports: bool = False
    denies: bool = False

    @property
    def official(self) -> bool:
        """Whether the sentence speaks for itself: it does not relay someone else's words.

        A denial without a report ("tarif angkot tidak naik") is an official statement too.
        """
        return not self.reports


@lru_cache(maxsize=65536)
def sentence_stance(text: str) -> Stance:
    """The stance of one sentence, from its wording."""
    answers = bool(_ANSWERS.search(text))
    return Stance(
        reports=answers or bool(_REPORTS.search(text) or _RELAYED.search(text)),
        denies=answers or bool(_DENIES.search(text)),
    )


def is_correction(title: str, stances: list[Stance]) -> bool:
    """Whether a release corrects or denies something: its headline or a sentence denies."""
    return sentence_stance(title).denies or any(s.denies for s in stances)
