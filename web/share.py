"""How a claim check is said to a citizen and passed on: the plain verdict shown large on the
result page (what it means, what it does not mean) and the short reply a person pastes back into
the chat group the rumour came from (`web.claimreview.whatsapp_url` makes its WhatsApp link).
The reply also carries the check's remarks on the message's numbers, links and accounts
(`verify.channels`) in general words with the official channels, never the suspicious number or
link itself (a chat app would make it a tappable link again).

Everything here is a pure function of a `CheckResult` and link builders, so it is tested without a
request. The reply is built from the official record only: the text the person typed is never
echoed into it (nor stored or logged here). Its lines are `archive.messages.Message` values, so
the reply is Indonesian by default and in the page's language when the page passes `say`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from archive.messages import N_, CalendarDate
from verify.channels import IMPERSONATION, LOOKALIKE, UNKNOWN, Official
from verify.check import CheckResult, Evidence, Verdict

REPLY_SENTENCE_CHARS = 240
SIGN_OFF = N_("Saring sebelum sharing.")
OFFICIAL = "Pemkot Malang"


@dataclass(frozen=True)
class PlainVerdict:
    """A verdict in the words a citizen reads at a glance."""

    label: str  # the large label
    label_en: str  # its English gloss
    means: str  # what it means
    not_means: str  # what it does not mean
    advice: str  # what to do with the message (used in the reply)


PLAIN_VERDICTS = {
    Verdict.SUPPORTED: PlainVerdict(
        label=N_("Sejalan dengan rilis resmi"),
        label_en="Consistent with official releases",
        means=N_("Rilis resmi Pemkot Malang menyebut hal yang sama dengan pesan ini."),
        not_means=N_(
            "Bukan jaminan seluruh isi pesan benar: hanya bagian yang cocok dengan rilis yang "
            "diperiksa. Baca rilis aslinya sebelum meneruskan."
        ),
        advice=N_("Tetap baca rilis aslinya sebelum meneruskan."),
    ),
    Verdict.CONTRADICTED: PlainVerdict(
        label=N_("Rilis resmi menyebut lain"),
        label_en="Official releases say otherwise",
        means=N_(
            "Rilis resmi Pemkot Malang menyebut angka, tanggal, tempat atau ketentuan yang lain "
            "dari pesan ini."
        ),
        not_means=N_(
            "Belum tentu disebar dengan sengaja: bisa kabar lama, salah ketik atau salah paham. "
            "Yang jelas, versi pesan ini tidak sama dengan catatan resmi."
        ),
        advice=N_("Jangan teruskan pesan itu; baca dulu apa kata sumber resminya."),
    ),
    Verdict.NOT_FOUND: PlainVerdict(
        label=N_("Belum ada rilis resmi yang membahas"),
        label_en="No official release addresses this",
        means=N_("Saring tidak menemukan rilis resmi Pemkot Malang yang membahas kabar ini."),
        not_means=N_(
            "Bukan berarti kabar ini bohong, dan bukan berarti benar: belum ada pernyataan resmi "
            "tentangnya. Jangan disebarkan dulu sampai ada konfirmasi."
        ),
        advice=N_(
            "Belum ada pernyataan resmi Pemkot Malang tentang kabar ini. Jangan disebarkan dulu "
            "sampai ada konfirmasi resmi."
        ),
    ),
}
# The relation an official sentence must have to stand for each verdict in a reply.
_RELATIONS = {
    Verdict.SUPPORTED: ("supports",),
    Verdict.CONTRADICTED: ("refutes", "contradicts"),
    Verdict.NOT_FOUND: (),
}


def shorten(text: str, limit: int = REPLY_SENTENCE_CHARS) -> str:
    """`text` on one line, cut at a word boundary to at most `limit` characters (with "…")."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit - 1].rstrip(" ,;:.") + "…"


def best_evidence(result: CheckResult) -> Evidence | None:
    """The official sentence that best stands for the overall verdict, or None."""
    wanted = _RELATIONS[result.verdict]
    for relation in wanted:  # a refutation says it most plainly, then a differing figure
        for evidence in result.evidence:
            if evidence.relation == relation:
                return evidence
    return None


def deciding_clarification(result: CheckResult) -> dict | None:
    """The published clarification whose label set the verdict, if one did.

    One whose figures differ from the message's decides nothing (`verify.clarifications`).
    """
    if result.basis != "clarification":
        return None
    return next((c for c in result.clarifications if c.get("stance") != "differs"), None)


def check_reply(
    result: CheckResult,
    *,
    release_url: Callable[[str], str],
    site_path: Callable[[str], str],
    check_url: str,
    say: Callable[[str], str] = str,
) -> str:
    """The short reply to paste back into the group for this check: Indonesian, or each line
    as `say` words it (`web.i18n.say`: in the reader's language).

    `release_url(release_id)` gives a release's absolute archive link; `site_path("/x")` the
    absolute URL of a path on the site; `check_url` that of the check page. The typed message
    is not part of the reply; the official sentences, titles and names are quoted as published.
    """
    plain = PLAIN_VERDICTS[result.verdict]
    lines: list[str] = [N_("Cek di Saring: *%(label)s*.", label=plain.label), plain.advice]
    clarification = deciding_clarification(result)
    evidence = best_evidence(result)
    cited: set[str] = set()
    if clarification:
        label, title = clarification["verdict"], clarification["title"]
        if clarification.get("stance") == "opposes":
            about = N_(
                "Klarifikasi resmi atas kabar sebaliknya: [%(label)s] %(title)s",
                label=label,
                title=title,
            )
        else:
            about = N_("Klarifikasi resmi: [%(label)s] %(title)s", label=label, title=title)
        lines += ["", about]
        if clarification.get("summary"):
            lines.append(shorten(clarification["summary"]))
        url = clarification["url"]
        lines.append(site_path(url) if url.startswith("/") else url)
    elif evidence:
        published = evidence.published
        date = CalendarDate.of(published) if published else N_("tanggal tidak diketahui")
        lines += [
            "",
            N_("Kata rilis resmi: “%(sentence)s”", sentence=shorten(evidence.sentence)),
            N_(
                "Sumber: %(title)s (%(source)s)",
                title=evidence.title,
                source=[part for part in (evidence.opd, date) if part],
            ),
            release_url(evidence.release_id),
        ]
        cited.add(evidence.release_id)
    else:
        lines += ["", N_("Periksa sendiri: %(url)s", url=check_url)]
    if result.unchecked:
        lines.insert(2, N_("Sebagian pesan belum diperiksa."))
    lines += channel_lines(result, release_url, cited=cited)
    return "\n".join(str(say(line)) for line in [*lines, "", SIGN_OFF])


def channel_lines(
    result: CheckResult, release_url: Callable[[str], str], *, cited: Collection[str] = ()
) -> list[str]:
    """The reply's lines about the message's channels: the impersonation pattern with the
    city's warning (unless the reply `cited` that release already), and that a number, link or
    account is not official, with the official channels. Empty when there is nothing to say."""
    pattern = next((r for r in result.channels if r.status == IMPERSONATION), None)
    doubtful = [r for r in result.channels if r.status in (LOOKALIKE, UNKNOWN)]
    lines: list[str] = []
    if pattern is not None:
        lines.append(
            N_(
                "Permintaan uang atas nama pejabat atau lewat nomor yang tidak resmi adalah pola "
                "penipuan yang dikenal. Jangan mentransfer sebelum memastikannya lewat kanal resmi."
            )
        )
        if pattern.warnings and pattern.warnings[0].release_id not in cited:
            warning = pattern.warnings[0]
            lines += [
                N_("Peringatan resmi: %(title)s", title=warning.title),
                release_url(warning.release_id),
            ]
    if doubtful:
        if any(r.status == LOOKALIKE for r in doubtful):
            lines.append(N_("Ada nomor, tautan atau akun dalam pesan itu yang meniru kanal resmi."))
        else:
            lines.append(
                N_(
                    "Ada nomor, tautan atau akun dalam pesan itu yang tidak tercatat sebagai "
                    "kanal resmi %(official)s.",
                    official=OFFICIAL,
                )
            )
    officials: dict[tuple[str, str], Official] = {}
    for remark in [*([pattern] if pattern else []), *doubtful]:
        for official in remark.official:
            officials.setdefault((official.kind, official.value), official)
    if lines and officials:
        shown = [f"{o.shown} ({o.owner})" for o in list(officials.values())[:2]]
        lines.append(N_("Kanal resmi: %(channels)s", channels="; ".join(shown)))
    return ["", *lines] if lines else []
