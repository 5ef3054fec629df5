"""``hubport user``: the platform's users and their tokens."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.console import Console

from hubport.entrypoints.bus_cli import send

DAYS = typer.Option(
    "--days", min=0, help="days the token opens the API (0: never); default HUBPORT_TOKEN_DAYS"
)
user_app = typer.Typer(help="Users of the API and console, with their roles.", no_args_is_help=True)
console = Console()


@user_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="the user's name")],
    role: Annotated[
        str,
        typer.Option(
            help="operator, customs, shipper, viewer, admin; machines: railway, gate, equipment"
        ),
    ],
    party: Annotated[
        str | None,
        typer.Option(help="a shipper's party (the operator code of its boxes) or a member's code"),
    ] = None,
    language: Annotated[str, typer.Option(help="the console's language: en or zh")] = "en",
    days: Annotated[float | None, DAYS] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the result as JSON")] = False,
) -> None:
    """Add a user and print its token once (only its digest is kept: keep the token)."""
    from hubport.config import Settings
    from hubport.domain.access import new_token, token_digest
    from hubport.services.access_commands import AddUser

    token, expires = new_token(), Settings().token_expiry(days)
    result = send(AddUser(name, role, token_digest(token), party, language, expires))
    if as_json:
        print(json.dumps({**result, "token": token}))
        return
    console.print(f"user {result['user']} ({result['role']}) added; its token, shown once:")
    print(token)


@user_app.command("token")
def token(
    name: Annotated[str, typer.Argument(help="the user's name")],
    days: Annotated[float | None, DAYS] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the result as JSON")] = False,
) -> None:
    """Give a user a new token and print it once; its old token opens nothing any more."""
    from hubport.config import Settings
    from hubport.domain.access import new_token, token_digest
    from hubport.services.access_commands import IssueToken

    fresh = new_token()
    result = send(IssueToken(name, token_digest(fresh), Settings().token_expiry(days)))
    if as_json:
        print(json.dumps({**result, "token": fresh}))
        return
    console.print(f"user {result['user']} ({result['role']}) has a new token, shown once:")
    print(fresh)


@user_app.command("revoke")
def revoke(
    name: Annotated[str, typer.Argument(help="the user's name")],
    reason: Annotated[str, typer.Option(help="why, for the record")] = "",
) -> None:
    """Revoke a user's token now: it opens nothing, and its open event streams close."""
    from hubport.services.access_commands import RevokeToken

    result = send(RevokeToken(name, datetime.now(UTC), reason))
    console.print(f"user {result['user']} ({result['role']}): token revoked")


__all__ = ["user_app"]
