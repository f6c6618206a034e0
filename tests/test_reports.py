"""Citizens' rumour reports: the form, its CSRF and rate limit, grouping of near-duplicates, and
the staff's work on the groups (mark handled, start a clarification)."""

from __future__ import annotations

import re

import pytest

from tests.staff import FakeClock, csrf_token, editorial, login, make_user, post_form

KTP = "Mulai tahun depan KTP elektronik sudah tidak berlaku, semua warga wajib ganti KTP digital"
KTP_VARIANTS = [
    KTP,
    "INFO PENTING!! Mulai tahun depan KTP elektronik sudah tidak berlaku, semua warga wajib "
    "ganti KTP digital 🙏🙏",
    "Info dari grup sebelah: mulai tahun depan ktp elektronik udah gak berlaku, semua warga "
    "wajib ganti ke KTP digital",
    "mulai tahun depan KTP elektronik tidak berlaku lagi. Semua warga wajib ganti KTP digital ya",
    "Katanya mulai tahun depan KTP elektronik sudah tidak berlaku dan warga wajib ganti KTP "
    "digital, benarkah?",
]
OTHER_RUMOURS = [
    "Pasar Besar Malang dibongkar total bulan depan, semua pedagang wajib pindah minggu ini",
    "Tarif angkot Kota Malang naik jadi Rp15 ribu sekali jalan mulai Senin",
]


@pytest.fixture
def clock(app):
    """A fake clock, and a fresh per-app rate limiter (each test app has its own)."""
    fake = FakeClock()
    app.config["CLOCK"] = fake
    return fake


def _report(client, text: str, **fields):
    return post_form(client, "/lapor", {"text": text, **fields})


def _addressed(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_the_form_prefills_from_the_claim_check_and_asks_for_no_personal_data(client):
    page = client.get("/lapor?text=Parkir+Kayutangan+gratis+selamanya").get_data(as_text=True)
    assert ">Parkir Kayutangan gratis selamanya</textarea>" in page
    assert 'name="csrf_token"' in page
    assert "Apa yang terjadi setelah ini?" in page
    form = re.search(r'<form class="stacked".*?</form>', page, re.S).group(0)
    fields = set(re.findall(r'name="([^"]+)"', form))
    assert fields == {"csrf_token", "text", "link", "seen_on", "image"}
    assert "tidak meminta nama" in page


def test_a_report_is_stored_and_the_reporter_told_what_happens_next(app, client, clock):
    response = _report(client, KTP, link="https://www.facebook.com/x/1", seen_on="facebook")
    assert response.status_code == 303 and response.headers["Location"].endswith("/lapor/terkirim")
    thanks = client.get("/lapor/terkirim").get_data(as_text=True)
    assert "laporan Anda sudah kami terima" in thanks
    _, [group] = editorial(app).list_report_groups()
    assert group.reports == 1 and group.text == KTP
    assert group.links == ["https://www.facebook.com/x/1"] and group.places == [("facebook", 1)]


def test_reports_store_no_address_or_other_personal_data(app, clock):
    _report(_addressed(app, "203.0.113.77"), KTP, seen_on="whatsapp")
    engine = app.extensions["saring"].archive.engine
    with engine.connect() as conn:
        columns = {row[1] for row in conn.exec_driver_sql("PRAGMA table_info(reports)")}
        dump = "\n".join(
            str(tuple(row))
            for table in ("reports", "report_groups", "audit_log")
            for row in conn.exec_driver_sql(f"SELECT * FROM {table}")
        )
    assert columns == {"id", "group_id", "text", "link", "seen_on", "created_at"}
    assert "203.0.113.77" not in dump


def test_reports_need_a_csrf_token(app, client, clock):
    refused = client.post("/lapor", data={"text": KTP})
    assert refused.status_code == 400
    assert editorial(app).list_report_groups()[0] == 0
    page = refused.get_data(as_text=True)
    assert "Formulir ini sudah kedaluwarsa" in page  # said in Indonesian, with what to do
    assert "CSRF token is missing" not in page


def test_bad_reports_are_refused_with_reasons(app, client, clock):
    response = _report(client, "hoaks", link="javascript:alert(1)", seen_on="telepati")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "paling sedikit 10 karakter" in page and "Tautan harus diawali" in page
    assert "Pilih tempat" in page
    assert editorial(app).list_report_groups()[0] == 0


def test_reports_are_rate_limited_per_address(app, clock):
    app.config["REPORT_RATE_LIMIT"] = "3 per 10 minutes"
    first = _addressed(app, "198.51.100.1")
    for number in range(3):
        assert _report(first, f"{OTHER_RUMOURS[0]} nomor {number}").status_code == 303
    refused = _report(first, OTHER_RUMOURS[1])
    assert refused.status_code == 429
    assert "Terlalu banyak laporan" in refused.get_data(as_text=True)
    assert OTHER_RUMOURS[1] in refused.get_data(as_text=True)  # the typed text is not lost
    assert _report(_addressed(app, "198.51.100.2"), OTHER_RUMOURS[1]).status_code == 303
    total = sum(g.reports for g in editorial(app).list_report_groups(status=None)[1])
    assert total == 4


def test_near_duplicates_are_grouped_and_different_rumours_are_not(app, clock):
    client = app.test_client()
    app.config["REPORT_RATE_LIMIT"] = "100 per minute"
    first_seen = clock()
    for text in KTP_VARIANTS:
        _report(client, text)
        clock.advance(hours=1)
    for text in OTHER_RUMOURS:
        _report(client, text)
    total, groups = editorial(app).list_report_groups()
    assert total == 3
    ktp = next(g for g in groups if g.text == KTP)
    assert ktp.reports == len(KTP_VARIANTS)
    assert ktp.first_seen == first_seen
    assert ktp.last_seen == first_seen.replace(hour=first_seen.hour + len(KTP_VARIANTS) - 1)
    assert sorted(g.reports for g in groups) == [1, 1, len(KTP_VARIANTS)]


def test_staff_see_one_row_per_rumour_and_mark_it_handled(app, clock):
    app.config["REPORT_RATE_LIMIT"] = "100 per minute"
    citizen = app.test_client()
    for text in KTP_VARIANTS + OTHER_RUMOURS[:1]:
        _report(citizen, text)
    make_user(app, "sari")
    staff = app.test_client()
    login(staff, "sari")
    page = staff.get("/admin/laporan").get_data(as_text=True)
    rows = re.findall(r'<tr class="report-group" data-group="(\d+)">(.*?)</tr>', page, re.S)
    assert len(rows) == 2
    ktp_id, ktp_row = next(row for row in rows if "KTP elektronik" in row[1])
    assert f'<td class="number">{len(KTP_VARIANTS)}</td>' in ktp_row
    assert "Buat klarifikasi" in ktp_row
    response = post_form(
        staff, f"/admin/laporan/{ktp_id}/status", {"status": "handled"}, token_from="/admin/laporan"
    )
    assert response.status_code == 303
    assert f'data-group="{ktp_id}"' not in staff.get("/admin/laporan").get_data(as_text=True)
    handled = staff.get("/admin/laporan?status=handled").get_data(as_text=True)
    assert f'data-group="{ktp_id}"' in handled
    assert "reports.handled" in {e.action for e in editorial(app).list_audit()[1]}
    # The same rumour reported again still joins its (handled) group.
    _report(citizen, KTP_VARIANTS[1])
    assert editorial(app).get_report_group(int(ktp_id)).reports == len(KTP_VARIANTS) + 1
    detail = staff.get(f"/admin/laporan/{ktp_id}").get_data(as_text=True)
    assert detail.count("<li><p>") == len(KTP_VARIANTS) + 1


def test_a_clarification_started_from_a_group_is_prefilled_and_closes_it(app, clock):
    app.config["REPORT_RATE_LIMIT"] = "100 per minute"
    citizen = app.test_client()
    _report(citizen, KTP, link="https://www.facebook.com/x/1", seen_on="facebook")
    _report(citizen, KTP_VARIANTS[1], link="https://t.me/x/2", seen_on="whatsapp")
    [group] = editorial(app).list_report_groups()[1]
    make_user(app, "sari")
    staff = app.test_client()
    login(staff, "sari")
    form_page = staff.get(f"/admin/klarifikasi/baru?laporan={group.id}").get_data(as_text=True)
    assert f">{KTP}</textarea>" in form_page
    assert "https://www.facebook.com/x/1\nhttps://t.me/x/2</textarea>" in form_page
    assert 'value="Facebook, WhatsApp"' in form_page
    assert f'name="laporan" value="{group.id}"' in form_page
    response = post_form(
        staff,
        "/admin/klarifikasi/baru",
        {
            "laporan": str(group.id),
            "title": "KTP elektronik tidak berlaku lagi",
            "rumour": KTP,
            "verdict": "HOAKS",
            "summary": "KTP elektronik tetap berlaku; IKD hanya pelengkap.",
            "sightings": "https://www.facebook.com/x/1",
            "action": "publish",
        },
        token_from=f"/admin/klarifikasi/baru?laporan={group.id}",
    )
    assert response.status_code == 303
    group = editorial(app).get_report_group(group.id)
    item = editorial(app).get_clarification(group.clarification_id)
    assert item.status == "published" and item.rumour == KTP
    assert group.status == "handled" and group.handled_by == "sari"


def test_reporting_a_clarified_rumour_points_to_the_clarification(app, clock):
    from datetime import UTC, datetime

    from archive.editorial import ClarificationInput
    from index.clarifications import sync_clarifications

    store = editorial(app)
    store.load_published(
        ClarificationInput(
            title="KTP elektronik tidak berlaku lagi",
            rumour=KTP,
            verdict="HOAKS",
            summary="KTP elektronik tetap berlaku; IKD hanya pelengkap.",
        ),
        slug="ktp-elektronik",
        author="Diskominfo Kota Malang",
        published_at=datetime(2024, 4, 24, 3, 0, tzinfo=UTC),
        actor="test",
        at=datetime.now(UTC),
    )
    sync_clarifications(store, app.extensions["saring"].index)
    client = app.test_client()
    _report(client, "ktp-el katanya ga berlaku tahun depan, harus ganti ktp digital semua")
    thanks = client.get("/lapor/terkirim").get_data(as_text=True)
    assert "Mungkin sudah dijawab" in thanks and "/klarifikasi/ktp-elektronik" in thanks
    assert "Mungkin sudah dijawab" not in client.get("/lapor/terkirim").get_data(as_text=True)
    # Staff see the same hint beside the report group.
    make_user(app, "sari")
    staff = app.test_client()
    login(staff, "sari")
    page = staff.get("/admin/laporan").get_data(as_text=True)
    assert "Mungkin sudah diklarifikasi" in page and "/klarifikasi/ktp-elektronik" in page


def test_csrf_token_helper_reads_the_report_form(client):
    assert len(csrf_token(client, "/lapor")) > 20


def test_report_button_on_a_check_result_fills_the_form_without_storing(app, client, clock):
    page = post_form(client, "/cek", {"text": "Parkir di Kayutangan gratis selamanya"})
    html = page.get_data(as_text=True)
    form = re.search(r'<form class="report".*?</form>', html, re.S).group(0)
    assert 'method="post"' in form and 'name="prefill"' in form  # the text stays out of URLs
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form))
    response = client.post("/lapor", data=fields)
    assert response.status_code == 200
    assert "Kayutangan gratis selamanya</textarea>" in response.get_data(as_text=True)
    assert editorial(app).list_report_groups(status=None) == (0, [])  # nothing stored yet
