"""Sessions, forms and headers: the console's cookie is a server-side session that logging
out ends, every console write carries its session's nonce, failed authentications are
logged and limited per source, and every answer carries the security headers."""

from __future__ import annotations

import logging

import pytest

from hubport.domain.access import new_token, token_digest
from hubport.services.access_commands import IssueToken
from tests.integration.app_hub import MINE, Api
from tests.integration.test_console import ConsoleClient, logged_in


def _holds(api: Api) -> list[object]:
    record = api.get(f"/api/containers/{MINE.number.value}", "customs").json()
    holds: list[object] = record["customs_record"]["holds"]
    return holds


def test_the_console_cookie_is_a_random_session_id_with_strict_flags(api: Api) -> None:
    plain = logged_in(api, "viewer")
    session = plain.cookies.get("hubport_session")
    assert session and session != api.tokens["viewer"] and len(session) >= 40
    secure = ConsoleClient(plain.app, base_url="https://testserver")
    answer = secure.post(
        "/console/login", data={"token": api.tokens["viewer"]}, follow_redirects=False
    )
    flags = answer.headers["set-cookie"].lower()
    assert "secure" in flags and "httponly" in flags and "samesite=strict" in flags
    assert "secure" not in plain.post(
        "/console/login", data={"token": api.tokens["viewer"]}, follow_redirects=False
    ).headers["set-cookie"].lower().replace("samesite", "")


def test_logging_out_ends_the_session_even_for_a_copied_cookie(api: Api) -> None:
    viewer = logged_in(api, "viewer")
    copied = viewer.cookies.get("hubport_session")
    assert viewer.get("/console/kpi").status_code == 200
    out = viewer.post("/console/logout", data={}, follow_redirects=False)
    assert out.status_code == 303
    thief = ConsoleClient(viewer.app)
    thief.cookies.set("hubport_session", copied or "", path="/console")
    answer = thief.get("/console/kpi", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/console/login"


def test_a_new_token_ends_the_sessions_opened_with_the_old_one(api: Api) -> None:
    viewer = logged_in(api, "viewer")
    api.hub.bus.handle(IssueToken("viewer-user", token_digest(new_token()), None))
    answer = viewer.get("/console/kpi", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/console/login"


@pytest.mark.parametrize("nonce", [None, "", "forged-nonce", "other-session"])
def test_a_console_write_without_its_sessions_nonce_is_refused(api: Api, nonce: str | None) -> None:
    desk = logged_in(api, "customs")
    form = {"box": MINE.number.value, "nonce": "n1"}
    if nonce == "other-session":
        form["csrf"] = logged_in(api, "customs").csrf
    elif nonce is not None:
        form["csrf"] = nonce
    desk.csrf = ""  # the form as sent, nothing added
    answer = desk.post("/console/customs/holds", data=form, follow_redirects=False)
    assert answer.status_code == 403
    assert _holds(api) == []


def test_repeated_failed_authentications_are_logged_then_refused_per_source(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="hubport.security"):
        for _attempt in range(10):
            assert (
                api.client.get("/api/me", headers={"Authorization": "Bearer guess"}).status_code
                == 401
            )
    assert sum("failed authentication from" in r.getMessage() for r in caplog.records) == 10
    refused = api.client.get("/api/me", headers={"Authorization": "Bearer guess"})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert refused.json()["error"]["code"] == "too_many_failures"
    # the source waits, whatever token it sends now; the console's login counts the same
    assert api.get("/api/me", "viewer").status_code == 429
    login = api.client.post("/console/login", data={"token": api.tokens["viewer"]})
    assert login.status_code == 429


def test_the_console_login_logs_a_failed_attempt(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="hubport.security"):
        api.client.post("/console/login", data={"token": "nope"})
    assert any("/console/login" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize("path", ["/api/health", "/console/login", "/api/docs", "/api/nowhere"])
def test_every_answer_carries_the_security_headers(api: Api, path: str) -> None:
    answer = api.client.get(path)
    csp = answer.headers["content-security-policy"]
    script = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script and "frame-ancestors 'none'" in csp
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["x-content-type-options"] == "nosniff"


def test_the_api_docs_load_their_assets_from_the_hub_itself(api: Api) -> None:
    page = api.client.get("/api/docs").text
    assert "cdn" not in page.lower() and "<script>" not in page
    for asset in ("/api/docs/assets/swagger-ui-bundle.js", "/api/docs/assets/swagger-ui.css"):
        assert asset in page
        fetched = api.client.get(asset)
        assert fetched.status_code == 200 and len(fetched.content) > 10_000
    init = api.client.get("/api/docs/init.js")
    assert init.status_code == 200 and "/api/openapi.json" in init.text
