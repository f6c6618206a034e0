"""Every interface string has both languages: the Indonesian msgids found in the templates and
the web layer (extracted with Babel, as `pybabel extract -F babel.cfg` does) all have an English
translation in translations/en, none fuzzy or with broken placeholders, and the catalogue the app
reads is compiled from the current .po."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from web.i18n import SOURCE_DIR, compile_catalogues

ROOT = Path(__file__).resolve().parent.parent
PO = SOURCE_DIR / "en" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None, "N_": None,
            "pgettext": ((1, "c"), 2), "ngettext": (1, 2)}  # fmt: skip
METHODS = [("web/**.py", "python"), ("archive/editorial.py", "python"),  # its rules' messages
           ("archive/channels.py", "python"), ("verify/channels.py", "python"),  # and remarks
           ("templates/**.html", "jinja2")]  # fmt: skip


def _key(context: str | None, msgid: str) -> tuple[str, str]:
    return (context or "", msgid)


@pytest.fixture(scope="module")
def extracted() -> dict[tuple[str, str], str]:
    """Every msgid of the source, with the file and line it was first found at."""
    found: dict[tuple[str, str], str] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(ROOT), METHODS, keywords=KEYWORDS
    ):
        for msgid in message if isinstance(message, tuple) else (message,):
            found.setdefault(_key(context, msgid), f"{filename}:{lineno}")
    return found


@pytest.fixture(scope="module")
def catalogue():
    with PO.open("rb") as handle:
        return read_po(handle, locale="en")


def test_the_source_has_interface_strings_on_every_main_page(extracted):
    msgids = {msgid for _, msgid in extracted}
    for expected in ("Cek klaim", "Cari", "Halaman tidak ditemukan", "Kirim laporan", "Riwayat"):
        assert expected in msgids


def test_every_interface_string_has_an_english_translation(extracted, catalogue):
    translated = {
        _key(m.context, m.id): m.string for m in catalogue if m.id and "fuzzy" not in m.flags
    }
    missing = [
        f"{where}: {msgid!r}"
        for (context, msgid), where in sorted(extracted.items())
        if not translated.get((context, msgid), "").strip()
    ]
    assert not missing, "strings without English (run pybabel update, see README):\n" + "\n".join(
        missing
    )


def test_the_catalogue_has_no_fuzzy_or_stale_entries(extracted, catalogue):
    fuzzy = [m.id for m in catalogue if m.id and "fuzzy" in m.flags]
    stale = [m.id for m in catalogue if m.id and _key(m.context, m.id) not in extracted]
    assert not fuzzy, fuzzy
    assert not stale, f"translations of strings no longer in the source: {stale}"


def test_translations_keep_the_placeholders_of_their_msgid(catalogue):
    placeholder = re.compile(r"%\([a-z_]+\)s|%%")
    for message in catalogue:
        if message.id:
            assert sorted(placeholder.findall(message.id)) == sorted(
                placeholder.findall(message.string)
            ), message.id
    assert not [error for _, errors in catalogue.check() for error in errors]


def test_english_is_not_indonesian_copied(catalogue):
    copied = [m.id for m in catalogue if m.id and len(m.id) > 25 and m.id == m.string]
    assert not copied


def test_the_app_reads_a_catalogue_compiled_from_the_current_po(app, catalogue):
    compiled = Path(app.config["DATA_DIR"]) / "translations" / "en" / "LC_MESSAGES" / "messages.mo"
    with compiled.open("rb") as handle:
        mo = read_mo(handle)
    expected = {_key(m.context, m.id): m.string for m in catalogue if m.id}
    assert {_key(m.context, m.id): m.string for m in mo if m.id} == expected


def test_a_changed_po_is_compiled_again_and_an_unchanged_one_is_not(tmp_path):
    source = tmp_path / "source"
    shutil.copytree(SOURCE_DIR, source)
    target = tmp_path / "compiled"
    assert len(compile_catalogues(source, target)) == 1
    assert compile_catalogues(source, target) == []  # nothing changed: nothing rebuilt
    po = source / "en" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(
        text.replace('msgid "Beranda"\nmsgstr "Home"', 'msgid "Beranda"\nmsgstr "Start"'),
        encoding="utf-8",
    )
    stat = po.stat()
    os.utime(po, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert len(compile_catalogues(source, target)) == 1
    with (target / "en" / "LC_MESSAGES" / "messages.mo").open("rb") as handle:
        assert read_mo(handle).get("Beranda").string == "Start"
