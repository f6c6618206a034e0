"""Every interface string has both languages: the Indonesian msgids found where babel.cfg says
(the templates, the web layer, and the templates of the sentences archive/ and verify/ write),
extracted with Babel as `pybabel extract -F babel.cfg` does, all have an English translation in
translations/en, none fuzzy or with broken placeholders, and the catalogue the app reads is
compiled from the current .po."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from web.i18n import SOURCE_DIR, compile_catalogues

ROOT = Path(__file__).resolve().parent.parent
PO = SOURCE_DIR / "en" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None, "N_": None,
            "pgettext": ((1, "c"), 2), "ngettext": (1, 2)}  # fmt: skip
BABEL_CFG = ROOT / "babel.cfg"  # where pybabel extract looks, and so where this test looks


def _key(context: str | None, msgid: str) -> tuple[str, str]:
    return (context or "", msgid)


@pytest.fixture(scope="module")
def extracted() -> dict[tuple[str, str], str]:
    """Every msgid of the source, with the file and line it was first found at."""
    found: dict[tuple[str, str], str] = {}
    with BABEL_CFG.open(encoding="utf-8") as handle:
        methods, options = parse_mapping_cfg(handle)
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(ROOT), methods, options, keywords=KEYWORDS
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


def test_the_lower_layers_sentence_templates_are_extracted_too(extracted):
    """The claim checker's explanations, the facts it writes and the archive's rules."""
    where = {msgid: place.split(":")[0] for (_, msgid), place in extracted.items()}
    assert where["Rilis resmi %(opd)s (%(date)s)"] == "verify/check.py"
    assert where["bukan %(value)s"] == "verify/compare.py"
    assert where["Rp%(number)s juta"] == "verify/facts/display.py"
    assert where["sejak %(start)s"] == "verify/offices.py"
    assert where["Judul wajib diisi."] == "archive/editorial.py"


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
    """A long msgid with words must not come back unchanged; a template of only placeholders and
    punctuation ("%(person)s (%(acting)s, %(period)s)") has no words to translate."""
    placeholder = re.compile(r"%\([a-z_]+\)s")
    copied = [
        m.id
        for m in catalogue
        if m.id and len(m.id) > 25 and m.id == m.string and re.search(r"[^\W\d_]",
                                                                       placeholder.sub("", m.id))
    ]  # fmt: skip
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
