"""Report images in the archive (archive.report_images): kept in the report's transaction, and
added to databases created before they existed without touching what those hold."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, func, insert, inspect, select

from archive import Archive
from archive.editorial import Editorial, report_groups, reports
from archive.report_images import NewReportImage, report_images
from archive.store import database_url_for
from archive.tables import metadata

AT = datetime(2025, 6, 1, 3, 0, tzinfo=UTC)
PNG = NewReportImage(b"\x89PNG-bytes", "image/png", 40, 30, "Tarif angkot naik")


def test_a_database_from_before_report_images_gains_the_table_and_keeps_its_reports(tmp_path):
    url = database_url_for(tmp_path)
    old = create_engine(url)
    before = [table for table in metadata.sorted_tables if table.name != "report_images"]
    metadata.create_all(old, tables=before)
    with old.begin() as conn:
        group = conn.execute(
            insert(report_groups).values(
                text="Kabar lama", terms="[]", status="open", reports=1, first_seen=AT, last_seen=AT
            )
        ).inserted_primary_key[0]
        conn.execute(insert(reports).values(group_id=group, text="Kabar lama", created_at=AT))
    old.dispose()

    archive = Archive(url)  # what every start of the app does
    try:
        assert "report_images" in inspect(archive.engine).get_table_names()
        editorial = Editorial(archive.engine)
        (member,) = editorial.get_report_group(group).members
        assert member.text == "Kabar lama" and member.image is None

        new_group, _ = editorial.add_report("Kabar baru", terms=["kabar"], at=AT, image=PNG)
        (stored,) = editorial.get_report_group(new_group).members
        assert stored.image is not None and stored.image.ocr_text == "Tarif angkot naik"
        assert editorial.find_report_image(stored.image.token) == ("image/png", PNG.data)
    finally:
        archive.dispose()


def test_a_report_whose_image_cannot_be_stored_is_not_stored_either(tmp_path):
    archive = Archive(database_url_for(tmp_path))
    editorial = Editorial(archive.engine)
    bad = NewReportImage(b"data", "image/gif", 1, 1)
    try:
        with pytest.raises(ValueError):
            editorial.add_report("Kabar dengan gambar aneh", terms=["kabar"], at=AT, image=bad)
        with archive.engine.connect() as conn:
            for table in (reports, report_groups, report_images):
                assert conn.execute(select(func.count()).select_from(table)).scalar_one() == 0
    finally:
        archive.dispose()


def test_image_tokens_are_random_and_unknown_ones_find_nothing(tmp_path):
    archive = Archive(database_url_for(tmp_path))
    editorial = Editorial(archive.engine)
    try:
        tokens = set()
        for number in range(3):
            text = f"Kabar {number}"
            group, _ = editorial.add_report(text, terms=[str(number)], at=AT, image=PNG)
            tokens.add(editorial.get_report_group(group).members[0].image.token)
        assert len(tokens) == 3 and all(len(token) >= 40 for token in tokens)
        assert editorial.find_report_image("1") is None
        assert editorial.find_report_image("x" * 500) is None
    finally:
        archive.dispose()
