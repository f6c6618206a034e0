"""Hostile input on the web side never becomes a 500: ids beyond the database's integer range,
dates before year 1000, lone surrogates and deep nesting in JSON, bodies over the size limit
(with a length, or chunked without one, against a real server on 127.0.0.1). Also: both Atom
feeds stay well-formed XML whatever control characters a title or body holds, and with
SARING_BASE_URL set a forged Host header reaches no link, feed or API answer.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

import pytest
from werkzeug.serving import make_server

from app import create_app
from archive.release import Release
from ingest.indexing import sync_index
from tests.staff import (
    ANGKOT_FORM,
    ANGKOT_RELEASE,
    add_releases,
    csrf_token,
    login,
    make_user,
    post_form,
)
from web.inputs import MAX_ID

ATOM = "{http://www.w3.org/2005/Atom}"
HUGE_IDS = [str(MAX_ID + 1), str(2**63), "9" * 30, "9" * 5000]
# Every C0 control character XML 1.0 forbids, and its two non-characters U+FFFE and U+FFFF.
CONTROL = "".join(chr(c) for c in range(0x20) if chr(c) not in "\t\n\r") + "\ufffe\uffff"


@pytest.fixture
def archive(app):
    """The app with one release and one signed-in admin client."""
    ids = add_releases(app, [ANGKOT_RELEASE])
    make_user(app, "admin1", "admin")
    return app, ids["tarif-angkot-tetap"]


@pytest.fixture
def admin(archive, client):
    login(client, "admin1")
    return client


def _is_json_error(response, code: int) -> bool:
    body = response.get_json(silent=True) or {}
    return response.status_code == code and body.get("error", {}).get("code") == code


# Ids --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("number", HUGE_IDS)
def test_public_ids_beyond_the_integer_range_are_not_found(archive, client, number):
    release_id = archive[1]
    for path in (
        f"/rilis/{number}",
        f"/rilis/{number}/versi",
        f"/rilis/{number}/versi/1",
        f"/rilis/{release_id}/versi/{number}",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Halaman tidak ditemukan" in response.get_data(as_text=True)
    for path in (
        f"/api/v1/releases/{number}",
        f"/api/v1/releases/{number}/diff",
        f"/api/v1/releases/{number}/versions/1",
        f"/api/v1/releases/{release_id}/versions/{number}",
    ):
        assert _is_json_error(client.get(path), 404), path


def test_the_largest_id_is_still_an_id(archive, client):
    assert client.get(f"/rilis/{MAX_ID}").status_code == 404  # well-formed, just not stored
    assert client.get(f"/rilis/{archive[1]}").status_code == 200
    assert client.get("/rilis/0").status_code == 404
    assert client.get("/rilis/-1").status_code == 404


@pytest.mark.parametrize("number", HUGE_IDS)
def test_staff_ids_beyond_the_integer_range_are_not_found(admin, number):
    for path in (f"/admin/klarifikasi/{number}", f"/admin/laporan/{number}"):
        assert admin.get(path).status_code == 404, path
    token = csrf_token(admin, "/admin/")
    for path in (
        f"/admin/klarifikasi/{number}",
        f"/admin/klarifikasi/{number}/terbitkan",
        f"/admin/klarifikasi/{number}/tarik",
        f"/admin/laporan/{number}/status",
    ):
        response = admin.post(path, data={"csrf_token": token, "reason": "uji", "status": "open"})
        assert response.status_code == 404, path


@pytest.mark.parametrize("value", ["²", "٣", "1e3", " ", "-1", str(MAX_ID + 1), "9" * 5000])
def test_a_report_group_that_is_not_an_id_is_not_found(admin, value):
    response = admin.get("/admin/klarifikasi/baru", query_string={"laporan": value})
    assert response.status_code == 404
    assert "Kelompok laporan tidak ditemukan" in response.get_data(as_text=True)


def test_a_version_argument_of_thousands_of_digits_is_a_clear_400(archive, client):
    release_id = archive[1]
    response = client.get(f"/rilis/{release_id}/versi", query_string={"ke": "9" * 5000})
    assert response.status_code in (200, 400)  # one version: no comparison is made at all
    api = client.get(f"/api/v1/releases/{release_id}/diff", query_string={"to": "9" * 5000})
    assert _is_json_error(api, 400)


# Dates ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        {"from": "0001-01-01"},
        {"to": "0001-01-01"},
        {"from": "0999-12-31", "to": "2025-01-01"},
        {"from": "0001-01-02", "to": "0001-01-01"},
    ],
)
def test_search_dates_before_year_1000_are_a_clear_400(archive, client, args):
    page = client.get("/cari", query_string=args)
    assert page.status_code == 400
    assert "1000-01-01" in page.get_data(as_text=True)
    for path in ("/api/v1/search", "/cari.atom", "/cari.csv", "/cari.json"):
        response = client.get(path, query_string=args)
        assert _is_json_error(response, 400), path
        assert "1000-01-01" in response.get_json()["error"]["detail"]


def test_a_search_year_before_1000_is_a_clear_400_like_the_dates(archive, client):
    page = client.get("/cari", query_string={"year": "0001"})
    assert page.status_code == 400 and "1000" in page.get_data(as_text=True)
    assert _is_json_error(client.get("/api/v1/search?year=0999"), 400)
    assert client.get("/api/v1/search?year=1000").status_code == 200


def test_search_dates_at_the_edges_of_the_range_still_work(archive, client):
    for args in ({"from": "1000-01-01"}, {"to": "9999-12-31"}, {"from": "9999-12-31"}):
        assert client.get("/api/v1/search", query_string=args).status_code == 200, args
    found = client.get("/api/v1/search", query_string={"from": "1000-01-01", "q": "angkot"})
    assert found.get_json()["total"] == 1


@pytest.mark.parametrize("month", ["0001-01", "0999-12", "9999-12"])
def test_clarification_months_out_of_range_are_a_clear_400(app, client, month):
    page = client.get("/klarifikasi", query_string={"month": month})
    assert page.status_code == 400
    assert "2025-01" in page.get_data(as_text=True)
    assert _is_json_error(client.get("/api/v1/clarifications", query_string={"month": month}), 400)
    assert client.get("/klarifikasi", query_string={"month": "1000-01"}).status_code == 200


# JSON and forms ---------------------------------------------------------------------------------


def test_a_lone_surrogate_in_a_checked_claim_is_replaced_not_a_500(archive, client):
    raw = '{"text": "Tarif angkot Kota Malang naik \\ud800 jadi Rp15 ribu sekali jalan"}'
    response = client.post("/api/v1/check", data=raw, content_type="application/json")
    assert response.status_code == 200
    assert "\ufffd" in response.get_data(as_text=True)
    assert "\\ud800" not in response.get_data(as_text=True)
    alone = client.post(
        "/api/v1/check", data='{"text": "\\udfff"}', content_type="application/json"
    )
    assert _is_json_error(alone, 400)
    key = client.post(
        "/api/v1/check", data='{"text": "angkot", "\\ud800": 1}', content_type="application/json"
    )
    assert key.status_code == 200


def test_surrogate_bytes_in_forms_and_search_are_answered_normally(archive, client):
    """Werkzeug never decodes percent-escaped surrogate bytes into a surrogate: no 500 here."""
    search = client.get("/cari?q=angkot%ED%A0%80")
    assert search.status_code == 200
    token = csrf_token(client, "/cek")
    form = f"csrf_token={token}&text=Tarif+angkot+Kota+Malang+naik+%ED%A0%80+Rp15+ribu"
    page = client.post("/cek", data=form, content_type="application/x-www-form-urlencoded")
    assert page.status_code == 200
    assert "Tarif angkot Kota Malang naik" in page.get_data(as_text=True)


@pytest.mark.parametrize(
    "body", ["[" * 100_000, '{"a":' * 5_000, '{"text": "x", "n": ' + "[" * 40 + "]" * 40 + "}"]
)
def test_deeply_nested_json_is_a_400(app, client, body):
    response = client.post("/api/v1/check", data=body, content_type="application/json")
    assert _is_json_error(response, 400)


def test_shallow_nesting_beside_the_text_is_accepted(archive, client):
    body = '{"text": "tarif angkot kota malang", "meta": ' + "[" * 10 + "]" * 10 + "}"
    response = client.post("/api/v1/check", data=body, content_type="application/json")
    assert response.status_code == 200


# Request size -----------------------------------------------------------------------------------


@contextmanager
def served(app) -> Iterator[int]:
    """The app on a real WSGI server on a free 127.0.0.1 port; yields the port."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        thread.join()


def status_of(port: int, head: bytes, body: bytes = b"") -> int:
    """Send a raw request (headers, then as much body as the server takes); its status code."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(head)
        try:
            connection.sendall(body)
        except OSError:
            pass  # the server answered and closed before taking the whole body
        answer = b""
        while b"\r\n" not in answer:
            chunk = connection.recv(4096)
            if not chunk:
                break
            answer += chunk
    return int(answer.split(b" ", 2)[1])


def chunked(data: bytes, size: int = 4096) -> bytes:
    parts = [data[i : i + size] for i in range(0, len(data), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in parts) + b"0\r\n\r\n"


def test_a_50_mb_body_gets_413_before_it_is_read(app):
    assert app.config["MAX_CONTENT_LENGTH"] == 1_000_000  # the default
    with served(app) as port:
        for path, kind in (
            ("/api/v1/check", "application/json"),
            ("/cek", "application/x-www-form-urlencoded"),
            ("/lapor", "application/x-www-form-urlencoded"),
        ):
            head = (
                f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {kind}\r\n"
                "Content-Length: 50000000\r\nConnection: close\r\n\r\n"
            ).encode()
            # Only 1 kB of the announced 50 MB is ever sent: a server that read the body first
            # would wait for the rest and the read above would time out.
            assert status_of(port, head, b'{"text": "' + b"a" * 1000) == 413, path


def test_a_chunked_body_over_the_limit_is_refused_not_cut(tmp_path, monkeypatch):
    """Werkzeug would hand the view the first MAX_CONTENT_LENGTH bytes of a chunked body."""
    monkeypatch.setenv("SARING_MAX_CONTENT_LENGTH", "20000")
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "DATABASE_URL": ""})
    assert app.config["MAX_CONTENT_LENGTH"] == 20_000

    def head(path: str, kind: str) -> bytes:
        return (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {kind}\r\n"
            "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        ).encode()

    api = head("/api/v1/check", "application/json")
    report = head("/lapor", "application/x-www-form-urlencoded")
    claim = b'{"text": "Tarif angkot Kota Malang naik"'
    with served(app) as port:
        assert status_of(port, api, chunked(claim + b"}")) == 200
        padded = claim + b', "pad": "' + b"a" * 30_000 + b'"}'
        assert status_of(port, api, chunked(padded)) == 413
        assert status_of(port, report, chunked(b"text=" + b"a" * 30_000)) == 413
    app.extensions["saring"].archive.dispose()


# Errors -----------------------------------------------------------------------------------------


def test_errors_are_indonesian_pages_for_people_and_json_for_machines(client):
    page = client.get("/tidak-ada")
    assert page.status_code == 404
    text = page.get_data(as_text=True)
    assert "Halaman tidak ditemukan" in text and "requested URL" not in text
    api = client.get("/api/v1/tidak-ada")
    assert _is_json_error(api, 404)
    assert "requested URL" not in api.get_json()["error"]["detail"]
    assert _is_json_error(client.post("/api/v1/search"), 405)
    assert _is_json_error(client.get("/cari.json?year=abc"), 400)


# Atom feeds -------------------------------------------------------------------------------------


def test_both_atom_feeds_stay_valid_xml_with_control_characters(archive, admin):
    app, _ = archive
    services = app.extensions["saring"]
    services.archive.record(
        Release(
            url="https://dishub.malangkota.go.id/2025/03/02/kontrol/",
            title=f"Angkot{CONTROL} kontrol judul",
            paragraphs=[f"Isi angkot dengan karakter{CONTROL} kontrol."],
            html="",
            source_id="uji",
            opd=f"Dinas{CONTROL} Perhubungan",
            categories=[f"Kate{CONTROL}gori"],
            published=datetime(2025, 3, 2, 2, 0, tzinfo=UTC),
        )
    )
    sync_index(services.archive, services.index)
    form = {**ANGKOT_FORM, "action": "publish"}
    form.update(
        {k: f"{v}\x0b\x08\x1b{v}" for k, v in ANGKOT_FORM.items() if k in ("title", "body")}
    )
    form["summary"] = ANGKOT_FORM["summary"] + "\x0c"
    created = post_form(admin, "/admin/klarifikasi/baru", form)
    assert created.status_code == 303, created.get_data(as_text=True)[:400]

    clarifications = admin.get("/klarifikasi.atom")
    assert clarifications.status_code == 200
    root = ET.fromstring(clarifications.data)
    [entry] = root.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title").startswith("[HOAKS] Tarif angkot")
    assert "Penarikan ongkos" in entry.findtext(f"{ATOM}content")

    search = admin.get("/cari.atom", query_string={"q": "kontrol"})
    assert search.status_code == 200
    root = ET.fromstring(search.data)
    titles = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
    assert "Angkot kontrol judul" in titles
    term = root.find(f"{ATOM}entry/{ATOM}category").get("term")
    assert term.startswith("Kate") and term.endswith("gori")


# Base URL ---------------------------------------------------------------------------------------

FORGED = {"Host": "evil.example"}


@pytest.fixture
def published(archive, admin):
    created = post_form(admin, "/admin/klarifikasi/baru", {**ANGKOT_FORM, "action": "publish"})
    assert created.status_code == 303
    return archive


def _absolute_links(client, release_id: int) -> dict[str, str]:
    slug = client.get("/api/v1/clarifications").get_json()["results"][0]["slug"]
    paths = [
        f"/rilis/{release_id}",
        f"/rilis/{release_id}/versi/1",
        f"/klarifikasi/{slug}",
        "/klarifikasi.atom",
        "/cari.atom?q=angkot&kind=all",
        "/cari.json?q=angkot&kind=all",
        "/cari.csv?q=angkot",
        "/api/v1/search?q=angkot&kind=all",
        f"/api/v1/releases/{release_id}",
        f"/api/v1/releases/{release_id}/versions/1",
        "/api/v1/clarifications",
        f"/api/v1/clarifications/{slug}",
        "/api/v1/openapi.json",
        "/api",
    ]
    bodies = {}
    for path in paths:
        response = client.get(path, headers=FORGED)
        assert response.status_code == 200, path
        bodies[path] = response.get_data(as_text=True)
    return bodies


def test_a_forged_host_never_reaches_links_when_the_base_url_is_set(published, client):
    app, release_id = published
    app.config["BASE_URL"] = "https://saring.malangkota.go.id"
    bodies = _absolute_links(client, release_id)
    for path, body in bodies.items():
        assert "evil.example" not in body, path
        assert "https://saring.malangkota.go.id" in body, path
    release_page = bodies[f"/rilis/{release_id}"]
    canonical = f'<link rel="canonical" href="https://saring.malangkota.go.id/rilis/{release_id}">'
    assert canonical in release_page
    assert f'content="https://saring.malangkota.go.id/rilis/{release_id}"' in release_page
    clarification = next(body for path, body in bodies.items() if path.startswith("/klarifikasi/"))
    assert '"url": "https://saring.malangkota.go.id/klarifikasi/' in clarification  # ClaimReview
    assert (
        'property="og:url" content="https://saring.malangkota.go.id/klarifikasi/' in clarification
    )
    feed = ET.fromstring(bodies["/klarifikasi.atom"].encode())
    assert feed.findtext(f"{ATOM}id") == "https://saring.malangkota.go.id/klarifikasi.atom"
    assert feed.findtext(f"{ATOM}entry/{ATOM}id").startswith(
        "https://saring.malangkota.go.id/klarifikasi/"
    )


def test_without_a_base_url_links_follow_the_request_host(published, client):
    """The development fallback, documented in the README; the test above proves it is off."""
    app, release_id = published
    assert app.config["BASE_URL"] == ""
    bodies = _absolute_links(client, release_id)
    assert f'href="http://evil.example/rilis/{release_id}"' in bodies[f"/rilis/{release_id}"]


@pytest.mark.parametrize(
    "value", ["saring.malangkota.go.id", "ftp://x.id", "https://x.id/?a=1", "https://"]
)
def test_a_malformed_base_url_stops_the_start(tmp_path, value):
    with pytest.raises(ValueError, match="SARING_BASE_URL"):
        create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "BASE_URL": value})


def test_the_base_url_is_read_from_the_environment_without_its_final_slash(tmp_path, monkeypatch):
    monkeypatch.setenv("SARING_BASE_URL", "https://saring.malangkota.go.id/")
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "DATABASE_URL": ""})
    assert app.config["BASE_URL"] == "https://saring.malangkota.go.id"
    app.extensions["saring"].archive.dispose()
