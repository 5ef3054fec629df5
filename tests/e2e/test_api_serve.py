"""The API as a user starts it: `hubport user add` prints a token once, `hubport serve`
answers on a port, and the token opens what its role allows."""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta

from tests.e2e.test_cli import HUBPORT, run


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str, token: str | None = None) -> tuple[int, dict[str, object]]:
    request = urllib.request.Request(url)
    if token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _a_revoked_token_closes_its_open_stream(env: dict[str, str], base: str, token: str) -> None:
    """A stream opened before ``hubport user revoke`` (another process) ends within
    seconds with a ``closed`` event; the token then opens nothing."""
    stream = urllib.request.Request(f"{base}/events")
    stream.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(stream, timeout=15) as response:
        assert response.readline().startswith(b"retry:")
        run(env, "user", "revoke", "li", "--reason", "left the company")
        revoked = time.monotonic()
        tail = response.read().decode()  # the server ends the stream
        waited = time.monotonic() - revoked
    assert "event: closed" in tail and "no longer opens" in tail
    assert waited < 15  # bounded by the read's timeout; the check runs every 2 s
    assert _get(f"{base}/me", token)[0] == 401


def test_a_token_from_user_add_opens_the_served_api(env: dict[str, str]) -> None:
    run(env, "init")
    added = json.loads(run(env, "user", "add", "li", "--role", "viewer", "--json").stdout)
    token = added.pop("token")
    expires = datetime.fromisoformat(added.pop("token_expires_at"))
    assert added == {"user": "li", "role": "viewer", "party": None, "language": "en"}
    assert timedelta(days=89) < expires - datetime.now(UTC) <= timedelta(days=90)
    assert len(token) >= 40
    (added_event,) = [
        e for e in json.loads(run(env, "audit", "--json").stdout) if e["event"] == "UserAdded"
    ]
    assert added_event["channel"] == "cli" and added_event["role"] == "shell"
    refused = run(env, "user", "add", "wang", "--role", "shipper", check=False)
    assert refused.returncode == 2 and "needs its party code" in refused.stderr
    port = _free_port()
    server = subprocess.Popen(
        [*HUBPORT, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}/api"
    try:
        for _attempt in range(100):
            try:
                status, health = _get(f"{base}/health")
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        else:
            raise AssertionError(f"hubport serve did not answer: {server.stderr}")
        assert status == 200 and health["locode"] == "CNJGJ"
        assert _get(f"{base}/me", token) == (
            200,
            {"user": "li", "role": "viewer", "party": None, "language": "en"},
        )
        status, error = _get(f"{base}/me", "not-a-token")
        assert status == 401 and error["error"] == {  # type: ignore[comparison-overlap]
            "code": "unauthorised",
            "message": "the token opens nothing",
        }
        stream = urllib.request.Request(f"{base}/events?limit=1")
        stream.add_header("Authorization", f"Bearer {token}")
        with urllib.request.urlopen(stream, timeout=5) as response:
            assert response.headers["Content-Type"].startswith("text/event-stream")
            frames = response.read().decode().split("\n\n")
        assert any("event: UserAdded" in frame for frame in frames), frames
        status, schema = _get(f"{base}/openapi.json")
        assert status == 200 and "/api/containers/{number}" in schema["paths"]  # type: ignore[operator]
        _a_revoked_token_closes_its_open_stream(env, base, token)
    finally:
        server.terminate()
        server.communicate(timeout=10)


def test_serve_live_runs_the_hub_while_it_serves(env: dict[str, str]) -> None:
    run(env, "init")
    added = run(env, "user", "add", "ops", "--role", "operator", "--json").stdout
    token = json.loads(added)["token"]
    port = _free_port()
    command = [*HUBPORT, "serve", "--live", "--speed", "600", "--port", str(port)]
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    base = f"http://127.0.0.1:{port}/api"
    moved: list[str] = []
    try:
        for _attempt in range(240):  # the cranes start with the day's first trucks and train
            time.sleep(0.5)
            request = urllib.request.Request(f"{base}/events?follow=false")
            request.add_header("Authorization", f"Bearer {token}")
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    text = response.read().decode()
            except (urllib.error.URLError, ConnectionError):
                continue  # not listening yet
            moved = [frame for frame in text.split("\n\n") if "event: ContainerMoved" in frame]
            if len(moved) >= 5:
                break
        status, cranes = _get(f"{base}/cranes", token)
    finally:
        server.terminate()
        output, errors = server.communicate(timeout=20)
    assert len(moved) >= 5, f"no crane moved in two minutes: {output} {errors}"
    assert "stopped" not in output, output
    assert status == 200
    assert {crane["crane"] for crane in cranes} == {"ARMG1", "ARMG2", "ARMG3", "ARMG4"}  # type: ignore[union-attr]
