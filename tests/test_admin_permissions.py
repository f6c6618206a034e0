"""Every staff route refuses anonymous visitors; admin-only routes refuse editors; every staff
form carries a CSRF token and a POST without one is refused."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest

from archive.channels import ChannelInput, ChannelStore
from tests.staff import ANGKOT_FORM, csrf_token, editorial, login, make_user, post_form

ADMIN_ONLY = {"admin.users", "admin.update_user", "admin.audit", "admin.sources"}
# Signing in and out are open to anyone (signing out without a session changes nothing).
PUBLIC_ADMIN = {"admin.login", "admin.logout"}
PLACEHOLDERS = {"clarification_id": 1, "group_id": 1, "username": "sari", "channel_id": 1}


def _staff_routes(app) -> list[tuple[str, str, str]]:
    """(endpoint, method, path) of every admin rule except signing in and out."""
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("admin.") or rule.endpoint in PUBLIC_ADMIN:
            continue
        path = rule.rule
        for name, value in PLACEHOLDERS.items():
            path = re.sub(rf"<(?:\w+:)?{name}>", str(value), path)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((rule.endpoint, method, path))
    return routes


@pytest.fixture
def staff(app):
    """An editor 'sari', an admin 'budi', one draft and one report group to act on."""
    make_user(app, "sari", "editor")
    make_user(app, "budi", "admin")
    make_user(app, "ani", "editor")
    from datetime import UTC, datetime

    from archive.editorial import ClarificationInput

    store = editorial(app)
    data = ClarificationInput(**{k: v for k, v in ANGKOT_FORM.items() if k != "sightings"})
    store.create_clarification(data, author="x", actor="test", at=datetime.now(UTC))
    store.add_report("kabar uji", terms=["kabar", "uji"], at=datetime.now(UTC))
    ChannelStore(store.engine).add(
        ChannelInput("phone", "112", "Dinas Komunikasi dan Informatika"),
        actor="test",
        at=datetime.now(UTC),
    )
    return app


def test_the_route_list_covers_the_staff_blueprint(staff):
    endpoints = {endpoint for endpoint, _, _ in _staff_routes(staff)}
    assert ADMIN_ONLY <= endpoints
    assert {"admin.dashboard", "admin.new_clarification", "admin.reports"} <= endpoints
    assert len(endpoints) >= 13


def test_anonymous_visitors_are_refused_everywhere(staff):
    client = staff.test_client()
    token = csrf_token(client, "/admin/masuk")
    for endpoint, method, path in _staff_routes(staff):
        if method == "GET":
            response = client.get(path)
            assert response.status_code == 302, (endpoint, path)
            assert "/admin/masuk" in response.headers["Location"]
        else:
            response = client.post(path, data={"csrf_token": token, "status": "handled"})
            assert response.status_code == 401, (endpoint, path)
    assert editorial(staff).list_report_groups()[1][0].status == "open"
    actions = {e.action for e in editorial(staff).list_audit(limit=500)[1]}
    assert not actions & {"clarification.publish", "reports.handled", "user.update"}


def test_editors_are_refused_on_admin_only_routes(staff):
    client = staff.test_client()
    login(client, "sari")
    token = csrf_token(client, "/admin/")
    for endpoint, method, path in _staff_routes(staff):
        if endpoint not in ADMIN_ONLY:
            continue
        if method == "GET":
            response = client.get(path)
        else:
            response = client.post(path, data={"csrf_token": token, "role": "admin"})
        assert response.status_code == 403, (endpoint, path)
    assert editorial(staff).find_user("sari").role == "editor"


def test_editors_reach_the_editorial_pages(staff):
    client = staff.test_client()
    login(client, "sari")
    for path in (
        "/admin/",
        "/admin/klarifikasi",
        "/admin/klarifikasi/baru",
        "/admin/klarifikasi/1",
        "/admin/laporan",
        "/admin/laporan/1",
        "/admin/kanal",
        "/admin/kanal/baru",
        "/admin/kanal/1",
    ):
        assert client.get(path).status_code == 200, path
    page = client.get("/admin/").get_data(as_text=True)
    assert "Log audit" not in page and "Pengguna" not in page


def test_admins_reach_every_page(staff):
    client = staff.test_client()
    login(client, "budi")
    for endpoint, method, path in _staff_routes(staff):
        if method == "GET":
            assert client.get(path).status_code == 200, (endpoint, path)


def test_every_staff_post_without_a_csrf_token_is_refused(staff):
    client = staff.test_client()
    login(client, "budi")
    for endpoint, method, path in _staff_routes(staff):
        if method == "POST":
            response = client.post(path, data={"status": "handled", "note": "x", "role": "admin"})
            assert response.status_code == 400, (endpoint, path)
            assert "CSRF" in response.get_data(as_text=True)
    assert editorial(staff).find_user("sari").role == "editor"
    assert editorial(staff).list_report_groups()[1][0].status == "open"


class _Forms(HTMLParser):
    """The forms of a page: (method, action, {field name: value}) each, read as a browser does."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            method = (attributes.get("method") or "get").lower()
            self.forms.append((method, attributes.get("action") or "", {}))
        elif tag in {"input", "button", "textarea", "select"} and self.forms:
            self.forms[-1][2][attributes.get("name") or ""] = attributes.get("value") or ""


def _post_forms(page: str, path: str) -> list[tuple[str, dict[str, str]]]:
    """(action, fields) of each POST form; a form without an action posts to its page."""
    parser = _Forms()
    parser.feed(page)
    return [(action or path, fields) for method, action, fields in parser.forms if method == "post"]


def test_every_staff_form_carries_a_csrf_token(staff):
    client = staff.test_client()
    login(client, "budi")
    editorial(staff).publish_clarification(1, actor="test", at=datetime.now(UTC))  # + withdraw form
    urls = staff.url_map.bind("localhost")
    posted_to = set()
    for endpoint, method, path in _staff_routes(staff):
        if method != "GET":
            continue
        page = client.get(path).get_data(as_text=True)
        for action, fields in _post_forms(page, path):
            assert fields.get("csrf_token"), (endpoint, action)
            posted_to.add(urls.match(action, method="POST")[0])
    # A form was read for every staff POST but "publish", which no form posts to (publishing is
    # a button of the edit form), and for signing out, on every page.
    posting = {endpoint for endpoint, method, path in _staff_routes(staff) if method == "POST"}
    assert posted_to == posting - {"admin.publish"} | {"admin.logout"}


def test_admins_manage_accounts_and_read_the_audit_log(staff):
    client = staff.test_client()
    login(client, "budi")
    response = post_form(
        client, "/admin/pengguna/ani", {"active": "0"}, token_from="/admin/pengguna"
    )
    assert response.status_code == 303
    assert not editorial(staff).find_user("ani").active
    post_form(client, "/admin/pengguna/sari", {"role": "admin"}, token_from="/admin/pengguna")
    assert editorial(staff).find_user("sari").role == "admin"
    own = post_form(client, "/admin/pengguna/budi", {"active": "0"}, token_from="/admin/pengguna")
    assert own.status_code == 400 and editorial(staff).find_user("budi").active
    audit = client.get("/admin/audit").get_data(as_text=True)
    assert "user.update" in audit and "login.success" in audit and "budi" in audit
    assert "user.update" in client.get("/admin/audit?action=user").get_data(as_text=True)
    assert "user.update" not in client.get("/admin/audit?action=login").get_data(as_text=True)
