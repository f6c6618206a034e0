"""Staff accounts: created only from the CLI, signed in with a hashed password, slowed down after
repeated failures, audited, and carried in a safe session cookie."""

from __future__ import annotations

import pytest

from tests.staff import PASSWORD, FakeClock, csrf_token, editorial, login, make_user, post_form


@pytest.fixture
def clock(app):
    """A fake clock for the app."""
    fake = FakeClock()
    app.config["CLOCK"] = fake
    return fake


def _actions(app) -> list[str]:
    _, entries = editorial(app).list_audit(limit=500)
    return [entry.action for entry in reversed(entries)]


def test_a_fresh_installation_has_no_accounts(app, runner):
    assert editorial(app).list_users() == []
    assert "No accounts" in runner.invoke(args=["users", "list"]).output


def test_cli_creates_an_account_with_a_prompted_password_that_signs_in(app, runner, client):
    result = runner.invoke(
        args=["users", "create", "Sari", "--role", "editor"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert "Created editor 'sari'" in result.output
    assert PASSWORD not in result.output
    user = editorial(app).find_user("sari")
    assert user.role == "editor" and user.password_hash.startswith("scrypt:")
    assert PASSWORD not in user.password_hash
    response = login(client, "sari", PASSWORD)
    assert response.status_code == 303 and response.headers["Location"].endswith("/admin/")
    assert "sari (editor)" in client.get("/admin/").get_data(as_text=True)


def test_cli_generated_password_is_shown_once_and_works(app, runner, client):
    result = runner.invoke(
        args=["users", "create", "budi", "--role", "admin", "--generate-password"]
    )
    assert result.exit_code == 0, result.output
    password = result.output.split("shown only this once): ")[1].strip()
    assert len(password) >= 16
    assert login(client, "budi", password).status_code == 303
    listing = runner.invoke(args=["users", "list"]).output
    assert "budi" in listing and "admin" in listing and password not in listing


def test_cli_refuses_short_passwords_duplicates_and_unknown_roles(app, runner):
    short = runner.invoke(args=["users", "create", "ani"], input="pendek\npendek\n")
    assert short.exit_code != 0 and "at least 12" in short.output
    assert editorial(app).find_user("ani") is None
    runner.invoke(args=["users", "create", "ani", "--generate-password"])
    again = runner.invoke(args=["users", "create", "ANI", "--generate-password"])
    assert again.exit_code != 0 and "exists already" in again.output
    bad_role = runner.invoke(args=["users", "create", "dodi", "--role", "root"])
    assert bad_role.exit_code != 0
    assert [u.username for u in editorial(app).list_users()] == ["ani"]


def test_sign_in_failure_and_sign_out_are_audited(app, client, clock):
    make_user(app, "sari")
    assert login(client, "sari", "salah-sekali-kata-sandinya").status_code == 401
    assert login(client, "tidakada", PASSWORD).status_code == 401
    assert login(client, "sari").status_code == 303
    post_form(client, "/admin/keluar", {}, token_from="/admin/")
    assert client.get("/admin/").status_code == 302
    actions = _actions(app)
    assert actions[-4:] == ["login.failure", "login.failure", "login.success", "logout"]
    _, entries = editorial(app).list_audit(action="login.failure")
    assert {e.detail["reason"] for e in entries} == {"wrong password", "unknown user"}


def test_five_failures_from_one_address_make_that_pair_wait(app, client, clock):
    make_user(app, "sari")
    for _ in range(4):
        assert login(client, "sari", "bukan-kata-sandinya-x").status_code == 401
    fifth = login(client, "sari", "bukan-kata-sandinya-x")
    assert fifth.status_code == 429
    assert "Terlalu banyak percobaan" in fifth.get_data(as_text=True)
    # Waiting: even the right password is refused, and the refusal is audited.
    clock.advance(seconds=29)
    waiting = login(client, "sari")
    assert waiting.status_code == 429
    assert client.get("/admin/").status_code == 302
    assert "login.locked" in _actions(app)
    clock.advance(seconds=2)
    assert login(client, "sari").status_code == 303


def test_failures_older_than_the_window_are_forgotten(app, client, clock):
    make_user(app, "sari")
    for _ in range(5):
        login(client, "sari", "bukan-kata-sandinya-x")
    clock.advance(hours=24, seconds=1)
    for _ in range(4):
        assert login(client, "sari", "bukan-kata-sandinya-x").status_code == 401
    assert login(client, "sari").status_code == 303


def test_a_successful_sign_in_resets_the_failure_count(app, client, clock):
    make_user(app, "sari")
    for _ in range(4):
        login(client, "sari", "bukan-kata-sandinya-x")
    assert login(client, "sari").status_code == 303
    post_form(client, "/admin/keluar", {}, token_from="/admin/")
    for _ in range(4):
        assert login(client, "sari", "bukan-kata-sandinya-x").status_code == 401


def test_addresses_are_stored_only_as_keyed_hashes(app, client, clock):
    make_user(app, "sari")
    login(client, "sari", "bukan-kata-sandinya-x")
    with app.extensions["saring"].archive.engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT address FROM login_attempts").all()
    assert rows and all("127.0.0.1" not in row.address and len(row.address) == 32 for row in rows)


def test_forms_without_a_valid_csrf_token_are_refused(app, client, clock):
    make_user(app, "sari")
    response = client.post("/admin/masuk", data={"username": "sari", "password": PASSWORD})
    assert response.status_code == 400
    forged = client.post(
        "/admin/masuk", data={"username": "sari", "password": PASSWORD, "csrf_token": "palsu"}
    )
    assert forged.status_code == 400
    assert client.get("/admin/").status_code == 302
    assert "login.success" not in _actions(app)


def test_session_cookie_is_httponly_samesite_and_secure_over_https(app, clock):
    make_user(app, "sari")
    plain = app.test_client()
    cookie = login(plain, "sari").headers.getlist("Set-Cookie")[-1]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    secure = app.test_client()
    token = csrf_token(secure, "https://localhost/admin/masuk")
    response = secure.post(
        "https://localhost/admin/masuk",
        data={"username": "sari", "password": PASSWORD, "csrf_token": token},
        headers={"Referer": "https://localhost/admin/masuk"},
    )
    assert response.status_code == 303
    cookie = response.headers.getlist("Set-Cookie")[-1]
    assert "Secure" in cookie and "HttpOnly" in cookie


def test_saring_https_marks_cookies_secure_even_behind_a_plain_proxy(tmp_path):
    from app import create_app

    app = create_app(
        {"TESTING": True, "DATA_DIR": str(tmp_path), "DATABASE_URL": "", "HTTPS": True}
    )
    response = app.test_client().get("/lapor")
    assert "Secure" in response.headers["Set-Cookie"]
    app.extensions["saring"].archive.dispose()


def test_disabling_an_account_ends_its_session(app, client, runner, clock):
    make_user(app, "sari")
    login(client, "sari")
    assert client.get("/admin/").status_code == 200
    assert runner.invoke(args=["users", "disable", "sari"]).exit_code == 0
    assert client.get("/admin/").status_code == 302
    assert login(client, "sari").status_code == 401
    runner.invoke(args=["users", "enable", "sari"])
    assert login(client, "sari").status_code == 303


def test_changing_the_password_ends_older_sessions(app, client, runner, clock):
    make_user(app, "sari")
    login(client, "sari")
    result = runner.invoke(args=["users", "set-password", "sari", "--generate-password"])
    assert result.exit_code == 0
    assert client.get("/admin/").status_code == 302
    assert "user.update" in _actions(app)


def test_next_parameter_only_returns_to_local_pages(app, client, clock):
    make_user(app, "sari")
    token = csrf_token(client)
    form = {"username": "sari", "password": PASSWORD, "csrf_token": token}
    response = client.post("/admin/masuk?next=//evil.example/x", data=form)
    assert response.headers["Location"].endswith("/admin/")
    client.post("/admin/keluar", data={"csrf_token": csrf_token(client, "/admin/")})
    form["csrf_token"] = csrf_token(client)
    response = client.post("/admin/masuk?next=/admin/laporan", data=form)
    assert response.headers["Location"].endswith("/admin/laporan")


def test_a_line_break_in_next_cannot_split_the_redirect_header(app, client, clock):
    make_user(app, "sari")
    form = {"username": "sari", "password": PASSWORD, "csrf_token": csrf_token(client)}
    response = client.post("/admin/masuk?next=/admin/%0d%0aX-Evil:%201", data=form)
    assert response.status_code in (302, 303)
    assert response.headers["Location"].endswith("/admin/")
    assert "X-Evil" not in response.headers
