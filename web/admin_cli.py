"""`flask --app app users ...`: the only way to create staff accounts (no default credentials).

    flask --app app users create NAME --role editor|admin   # asks for the password
    flask --app app users create NAME --generate-password   # prints a random one, once
    flask --app app users list | disable NAME | enable NAME | set-role NAME ROLE | set-password NAME
    flask --app app users demo-login                        # demo data only: admin "demo"

Also `flask --app app clarifications reindex`: put every published clarification back into the
search index (needed after `flask reindex`, which rebuilds the index from releases).
"""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from archive.editorial import ROLES, EditorialError
from index.clarifications import reindex_clarifications
from web.auth import generate_password, get_editorial, hash_password, now, password_problem
from web.formatting import tanggal

users_cli = AppGroup("users", help="Manage staff accounts (editors and admins).")
clarifications_cli = AppGroup("clarifications", help="Published clarifications.")
ACTOR = "cli"


def _ask_password() -> str:
    while True:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        problem = password_problem(password)
        if problem is None:
            return password
        click.echo(f"Error: {problem}", err=True)


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), default="editor", show_default=True)
@click.option("--generate-password", "generate", is_flag=True, help="Create a random password.")
def create_user(username: str, role: str, generate: bool) -> None:
    """Create an account; the password is asked for, or generated and shown once."""
    editorial = get_editorial()
    if editorial.find_user(username) is not None:
        raise click.ClickException(f"user {username.lower()!r} exists already")
    password = generate_password() if generate else _ask_password()
    try:
        user = editorial.create_user(username, hash_password(password), role, actor=ACTOR, at=now())
    except EditorialError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created {user.role} {user.username!r}.")
    if generate:
        click.echo(f"Password (shown only this once): {password}")


@users_cli.command("list")
def list_users() -> None:
    """Show every account: name, role, state, last sign-in."""
    accounts = get_editorial().list_users()
    if not accounts:
        click.echo("No accounts. Create one with: flask --app app users create NAME --role admin")
    for user in accounts:
        state = "active" if user.active else "disabled"
        click.echo(
            f"{user.username:<24} {user.role:<7} {state:<9} "
            f"last sign-in: {tanggal(user.last_login_at, True)}"
        )


def _update(username: str, **changes) -> None:
    try:
        user = get_editorial().update_user(username, actor=ACTOR, at=now(), **changes)
    except EditorialError as exc:
        raise click.ClickException(str(exc)) from exc
    state = "active" if user.active else "disabled"
    click.echo(f"{user.username}: {user.role}, {state}.")


@users_cli.command("disable")
@click.argument("username")
def disable_user(username: str) -> None:
    """Disable an account; its sessions end at once."""
    _update(username, active=False)


@users_cli.command("enable")
@click.argument("username")
def enable_user(username: str) -> None:
    """Enable a disabled account."""
    _update(username, active=True)


@users_cli.command("set-role")
@click.argument("username")
@click.argument("role", type=click.Choice(ROLES))
def set_role(username: str, role: str) -> None:
    """Make an account an editor or an admin."""
    _update(username, role=role)


@users_cli.command("set-password")
@click.argument("username")
@click.option("--generate-password", "generate", is_flag=True, help="Create a random password.")
def set_password(username: str, generate: bool) -> None:
    """Replace an account's password (its sessions end)."""
    if get_editorial().find_user(username) is None:
        raise click.ClickException(f"no user {username!r}")
    password = generate_password() if generate else _ask_password()
    _update(username, password_hash=hash_password(password))
    if generate:
        click.echo(f"Password (shown only this once): {password}")


DEMO_USERNAME = "demo"


@users_cli.command("demo-login")
def demo_login() -> None:
    """On the demo data only: create (or reset) the admin account "demo" with a new random
    password, shown once. Refused when the archive holds anything but demo releases."""
    from ingest.demo import holds_only_demo_data

    if not holds_only_demo_data(current_app):
        raise click.ClickException(
            "this archive is not the demo data (start it with `python app.py` on an empty "
            "data dir); create real accounts with `users create NAME --generate-password`"
        )
    editorial = get_editorial()
    password = generate_password()
    try:
        if editorial.find_user(DEMO_USERNAME) is None:
            editorial.create_user(
                DEMO_USERNAME, hash_password(password), "admin", actor=ACTOR, at=now()
            )
        else:  # a new password ends the sessions of the earlier one
            editorial.update_user(
                DEMO_USERNAME,
                actor=ACTOR,
                at=now(),
                active=True,
                role="admin",
                password_hash=hash_password(password),
            )
    except EditorialError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo("Demo staff account ready (admin). Sign in at /admin/masuk (with `python app.py`:")
    click.echo("http://127.0.0.1:5000/admin/masuk).")
    click.echo(f"Username: {DEMO_USERNAME}")
    click.echo(f"Password (shown only this once): {password}")


@clarifications_cli.command("reindex")
def reindex() -> None:
    """Index every published clarification again (after the index was rebuilt)."""
    from web.services import get_services

    count = reindex_clarifications(get_editorial(), get_services().index)
    click.echo(f"Indexed {count} published clarification(s).")


@click.group("channels", cls=AppGroup, invoke_without_command=True)
@click.pass_context
@with_appcontext
def channels_command(ctx):
    """List the registry of official channels (`channels harvest` fills it from releases)."""
    if ctx.invoked_subcommand is not None:
        return
    from archive.channels import ChannelStore

    items = ChannelStore(current_app.extensions["saring"].archive.engine).list_channels()
    if not items:
        click.echo("The registry is empty; `flask --app app channels harvest` fills it.")
    for item in items:
        state = "" if item.active else "  [deactivated]"
        source = f"  (source: {item.source_url})" if item.source_url else ""
        click.echo(f"{item.kind:9} {item.shown}  {item.owner}{state}{source}")


@channels_command.command("harvest")
def harvest_command():
    """Record the channels stored releases state (numbers, links, accounts) in the registry.

    Only channels the registry does not hold yet are added, each with the first release that
    states it as its source; what staff added, edited or deactivated is left alone.
    """
    from verify.harvest import harvest_archive

    report = harvest_archive(current_app.extensions["saring"].archive)
    click.echo(
        f"Harvest: {report.releases} release(s) read, {report.proposed} channel(s) stated, "
        f"{report.added} added, {report.known} already in the registry."
    )


def init_app(app: Flask) -> None:
    """Register the `users`, `clarifications` and `channels` command groups."""
    app.cli.add_command(users_cli)
    app.cli.add_command(clarifications_cli)
    app.cli.add_command(channels_command)
