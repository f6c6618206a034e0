"""Staff sessions and accounts under attack (issue 9): sessions end after 8 hours and on sign-out
or account changes even when a copied cookie is replayed; usernames are one account in any case
and the site never loses its last admin; failed sign-ins slow an attacker down without locking
other staff out; staff pages are never cached."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
from sqlalchemy import insert

from archive.editorial import EditorialError, users
from tests.staff import PASSWORD, FakeClock, csrf_token, editorial, login, make_user, post_form
from web.auth import hash_password

WRONG = "bukan-kata-sandinya-x"


@pytest.fixture
def clock(app):
    """A fake clock for the app."""
    fake = FakeClock()
    app.config["CLOCK"] = fake
    return fake


def _copy_session(source, target) -> None:
    """Give `target` the session cookie `source` holds, as an attacker copying it would."""
    cookie = source.get_cookie("session")
    assert cookie is not None, "no session cookie to copy"
    target.set_cookie("session", cookie.value)


def _actions(app, prefix: str) -> list[str]:
    _, entries = editorial(app).list_audit(limit=1000, action=prefix)
    return [entry.action for entry in entries]


# -- defect 3: sessions --------------------------------------------------------------------------


def test_the_session_cookie_lasts_eight_hours_not_a_month(app, client, clock):
    make_user(app, "sari")
    response = login(client, "sari")
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    expires = parsedate_to_datetime(cookie.split("Expires=")[1].split(";")[0])
    remaining = expires - datetime.now(UTC)
    assert timedelta(hours=7, minutes=50) < remaining <= timedelta(hours=8, minutes=1)
    assert app.permanent_session_lifetime == timedelta(hours=8)


def test_a_replayed_cookie_is_refused_eight_hours_after_sign_in(app, client, clock):
    make_user(app, "sari")
    login(client, "sari")
    copied = app.test_client()
    _copy_session(client, copied)
    for _ in range(7):  # in use all day: the session does not slide past 8 hours
        clock.advance(hours=1)
        assert client.get("/admin/").status_code == 200
    clock.advance(minutes=59)
    assert copied.get("/admin/").status_code == 200
    clock.advance(minutes=2)
    assert client.get("/admin/").status_code == 302
    assert copied.get("/admin/").status_code == 302
    assert login(client, "sari").status_code == 303  # signing in again starts a new 8 hours
    assert client.get("/admin/").status_code == 200


def test_a_cookie_copied_before_sign_out_no_longer_opens_admin(app, client, clock):
    make_user(app, "sari")
    login(client, "sari")
    copied = app.test_client()
    _copy_session(client, copied)
    assert copied.get("/admin/").status_code == 200
    post_form(client, "/admin/keluar", {}, token_from="/admin/")
    assert copied.get("/admin/").status_code == 302
    assert copied.get("/admin/klarifikasi").status_code == 302
    assert _actions(app, "logout") == ["logout"]


def test_signing_out_ends_the_accounts_sessions_on_other_devices(app, clock):
    make_user(app, "sari")
    phone, laptop = app.test_client(), app.test_client()
    login(phone, "sari")
    login(laptop, "sari")
    post_form(phone, "/admin/keluar", {}, token_from="/admin/")
    assert laptop.get("/admin/").status_code == 302
    assert login(laptop, "sari").status_code == 303
    assert laptop.get("/admin/").status_code == 200


def test_a_role_change_ends_the_sessions_of_that_account(app, clock):
    make_user(app, "budi", "admin")
    make_user(app, "sari", "admin")
    admin, target = app.test_client(), app.test_client()
    login(admin, "budi")
    login(target, "sari")
    assert target.get("/admin/pengguna").status_code == 200
    changed = post_form(
        admin, "/admin/pengguna/sari", {"role": "editor"}, token_from="/admin/pengguna"
    )
    assert changed.status_code == 303
    assert target.get("/admin/").status_code == 302
    assert login(target, "sari").status_code == 303
    assert target.get("/admin/pengguna").status_code == 403


# -- defect 4: usernames in any case, and the last admin ----------------------------------------


def test_an_admin_cannot_demote_or_disable_themselves_by_changing_the_case(app, client, clock):
    make_user(app, "budi", "admin")
    make_user(app, "ani", "admin")
    login(client, "budi")
    for spelling in ("BUDI", "Budi", " budi"):
        demoted = post_form(
            client, f"/admin/pengguna/{spelling}", {"role": "editor"}, token_from="/admin/pengguna"
        )
        assert demoted.status_code == 400
        disabled = post_form(
            client, f"/admin/pengguna/{spelling}", {"active": "0"}, token_from="/admin/pengguna"
        )
        assert disabled.status_code == 400
    budi = editorial(app).find_user("budi")
    assert budi.role == "admin" and budi.active
    assert client.get("/admin/pengguna").status_code == 200


def test_no_change_leaves_the_site_without_an_active_admin(app, runner, clock):
    make_user(app, "budi", "admin")
    make_user(app, "sari", "editor")
    store = editorial(app)
    for change in ({"role": "editor"}, {"active": False}):
        with pytest.raises(EditorialError, match="last active admin"):
            store.update_user("BUDI", actor="test", at=clock(), **change)
    for args in (["users", "set-role", "Budi", "editor"], ["users", "disable", "BUDI"]):
        result = runner.invoke(args=args)
        assert result.exit_code != 0 and "last active admin" in result.output
    budi = store.find_user("budi")
    assert budi.role == "admin" and budi.active
    # With a second active admin the first may step down; then the second is the last one.
    assert runner.invoke(args=["users", "set-role", "sari", "admin"]).exit_code == 0
    assert runner.invoke(args=["users", "set-role", "BUDI", "editor"]).exit_code == 0
    assert runner.invoke(args=["users", "disable", "Sari"]).exit_code != 0
    assert [u.username for u in store.list_users() if u.is_admin and u.active] == ["sari"]


def test_a_disabled_admin_does_not_count_as_the_remaining_admin(app, runner, clock):
    make_user(app, "budi", "admin")
    make_user(app, "ani", "admin")
    assert runner.invoke(args=["users", "disable", "ani"]).exit_code == 0
    result = runner.invoke(args=["users", "set-role", "budi", "editor"])
    assert result.exit_code != 0 and "last active admin" in result.output


def test_usernames_that_differ_only_in_case_are_one_account(app, runner, client, clock):
    # An account stored with capitals (written before names were lower-cased, or by hand).
    with app.extensions["saring"].archive.engine.begin() as conn:
        conn.execute(
            insert(users).values(
                username="Dewi",
                password_hash=hash_password(PASSWORD),
                role="editor",
                active=True,
                session_epoch=1,
                created_at=clock(),
            )
        )
    store = editorial(app)
    with pytest.raises(EditorialError, match="exists already"):
        store.create_user("dewi", hash_password(PASSWORD), "admin", actor="test", at=clock())
    result = runner.invoke(args=["users", "create", "DEWI", "--generate-password"])
    assert result.exit_code != 0 and "exists already" in result.output
    assert [u.username for u in store.list_users()] == ["Dewi"]
    assert store.find_user("dEWI").username == "Dewi"
    assert login(client, "dewi").status_code == 303
    assert store.find_user("dewi").last_login_at is not None
    assert runner.invoke(args=["users", "disable", "DEWI"]).exit_code == 0
    assert not store.find_user("Dewi").active


def test_the_audit_log_filters_an_actor_in_any_case(app, client, clock):
    make_user(app, "budi", "admin")
    login(client, "budi")
    total, _ = editorial(app).list_audit(actor="BUDI")
    assert total >= 1
    assert "login.success" in client.get("/admin/audit?actor=Budi").get_data(as_text=True)


# -- defect 9: failed sign-ins slow the attacker, never lock out other staff ---------------------


def _try(client, token: str, username: str, password: str, address: str):
    return client.post(
        "/admin/masuk",
        data={"username": username, "password": password, "csrf_token": token},
        environ_overrides={"REMOTE_ADDR": address},
    )


def test_many_failures_from_one_address_do_not_stop_another_staff_member(app, clock):
    make_user(app, "sari")
    make_user(app, "budi")
    attacker = app.test_client()
    token = csrf_token(attacker)
    for number in range(25):  # one account, then a spray of names, all from one address
        _try(attacker, token, "sari", WRONG, "127.0.0.1")
        _try(attacker, token, f"tebakan{number}", WRONG, "127.0.0.1")
    assert _try(attacker, token, "sari", PASSWORD, "127.0.0.1").status_code == 429
    colleague = app.test_client()  # the same address: behind one proxy, everyone shares it
    assert login(colleague, "budi").status_code == 303
    assert colleague.get("/admin/").status_code == 200


def test_the_attacked_account_still_signs_in_from_its_usual_address(app, clock):
    make_user(app, "sari")
    office = app.test_client()
    office.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    assert login(office, "sari").status_code == 303
    post_form(office, "/admin/keluar", {}, token_from="/admin/")
    clock.advance(days=2)
    attacker = app.test_client()
    token = csrf_token(attacker)
    for number in range(30):  # from many addresses at once
        _try(attacker, token, "sari", WRONG, f"198.51.100.{number}")
    assert login(office, "sari").status_code == 303
    # From an address never used before the wait is short: at most two minutes.
    laptop = app.test_client()
    token = csrf_token(laptop)
    waited = _try(laptop, token, "sari", PASSWORD, "203.0.113.5")
    if waited.status_code == 429:
        clock.advance(minutes=2, seconds=1)
        waited = _try(laptop, token, "sari", PASSWORD, "203.0.113.5")
    assert waited.status_code == 303


def test_guessing_one_password_from_one_address_is_slowed_to_a_dozen_tries_an_hour(app, clock):
    make_user(app, "sari")
    attacker = app.test_client()
    token = csrf_token(attacker)
    for _ in range(60):  # one guess a minute for an hour
        _try(attacker, token, "sari", WRONG, "198.51.100.1")
        clock.advance(minutes=1)
    guesses = len(_actions(app, "login.failure"))
    assert 5 <= guesses <= 12
    assert len(_actions(app, "login.locked")) >= 60 - guesses


def test_guessing_from_many_addresses_is_slowed_too(app, clock):
    make_user(app, "sari")
    attacker = app.test_client()
    token = csrf_token(attacker)
    for number in range(60):  # a new address every 30 seconds for half an hour
        _try(attacker, token, "sari", WRONG, f"198.51.{number // 250}.{number % 250}")
        clock.advance(seconds=30)
    guesses = len(_actions(app, "login.failure"))
    assert 10 <= guesses <= 25


def test_proxy_headers_without_proxy_fix_are_warned_about_once(app, client, caplog):
    with caplog.at_level(logging.WARNING, logger="web.auth"):
        client.get("/admin/masuk")
        client.get("/admin/masuk", headers={"X-Forwarded-For": "203.0.113.9"})
        client.get("/admin/masuk", headers={"X-Forwarded-For": "203.0.113.10"})
    warnings = [r for r in caplog.records if "SARING_PROXY_FIX" in r.getMessage()]
    assert len(warnings) == 1
    assert "X-Forwarded-For" in warnings[0].getMessage()


def test_no_proxy_warning_when_proxy_fix_is_on(tmp_path, caplog):
    from app import create_app

    proxied = create_app(
        {"TESTING": True, "DATA_DIR": str(tmp_path), "DATABASE_URL": "", "PROXY_FIX": True}
    )
    try:
        with caplog.at_level(logging.WARNING, logger="web.auth"):
            response = proxied.test_client().get(
                "/admin/masuk", headers={"X-Forwarded-For": "203.0.113.9"}
            )
        assert response.status_code == 200
        assert not [r for r in caplog.records if "SARING_PROXY_FIX" in r.getMessage()]
    finally:
        proxied.extensions["saring"].archive.dispose()


# -- defect 10b: staff pages are not stored -------------------------------------------------------


def test_staff_pages_and_pages_seen_signed_in_are_never_stored(app, client, clock):
    make_user(app, "budi", "admin")
    assert "no-store" not in client.get("/cari").headers.get("Cache-Control", "")
    # the home page's check form carries a CSRF token, so a first visit sets the session cookie
    assert app.test_client().get("/").headers.get("Cache-Control") == "no-store"
    assert client.get("/admin/masuk").headers.get("Cache-Control") == "no-store"
    assert client.get("/admin/").headers.get("Cache-Control") == "no-store"  # the redirect too
    login(client, "budi")
    for path in ("/admin/", "/admin/pengguna", "/admin/audit", "/admin/klarifikasi", "/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers.get("Cache-Control") == "no-store", path
    post_form(client, "/admin/keluar", {}, token_from="/admin/")
    assert "no-store" not in client.get("/cari").headers.get("Cache-Control", "")
