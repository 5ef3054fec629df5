"""The console in a real browser (Debian's Chromium, driven by Playwright) over `hubport
serve --live`: log in, watch the cranes move, open a train's load plan, ask for a quote,
place and lift a customs hold as the customs officer, and read the console in Chinese.

Screenshots are kept in ``artefacts/console/`` at the project's root."""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_api_serve import _free_port
from tests.e2e.test_cli import HUBPORT, run

CHROMIUM = Path("/usr/bin/chromium")
ARTEFACTS = Path(__file__).resolve().parents[2] / "artefacts" / "console"
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: `make test` installs Debian's chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        yield launched
        launched.close()


@pytest.fixture
def live_hub(env: dict[str, str]) -> Iterator[tuple[str, dict[str, str]]]:
    """`hubport serve --live` on a free port, and a token per role it is used with."""
    run(env, "init")
    tokens = {}
    for name, role in (("zhang", "operator"), ("li", "customs"), ("wang", "viewer")):
        added = run(env, "user", "add", name, "--role", role, "--json").stdout
        tokens[role] = json.loads(added)["token"]
    port = _free_port()
    command = [*HUBPORT, "serve", "--live", "--speed", "240", "--port", str(port)]
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    base = f"http://127.0.0.1:{port}"
    for _attempt in range(100):
        try:
            urllib.request.urlopen(f"{base}/api/health", timeout=2).close()
            break
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    try:
        yield base, tokens
    finally:
        server.terminate()
        server.communicate(timeout=20)


def watched_page(browser: object) -> tuple[Any, Any, list[str]]:
    """A new page in a 1280×900 context, and the Content Security Policy refusals its
    console reports (none is the expectation)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    refused: list[str] = []
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return context, page, refused


def _log_in(page: object, base: str, token: str) -> None:
    page.goto(f"{base}/")  # type: ignore[attr-defined]
    page.fill("input[name=token]", token)  # type: ignore[attr-defined]
    page.click("button[type=submit]")  # type: ignore[attr-defined]


def _moves_done(page: object) -> int:
    counts = page.eval_on_selector_all(  # type: ignore[attr-defined]
        "[data-crane]", "cranes => cranes.map(c => Number(c.dataset.done))"
    )
    return int(sum(counts))


def _positions(page: object) -> list[str]:
    return list(
        page.eval_on_selector_all(  # type: ignore[attr-defined]
            "[data-crane]", "cranes => cranes.map(c => c.dataset.x)"
        )
    )


@pytest.mark.slow
def test_a_day_at_the_console(browser: object, live_hub: tuple[str, dict[str, str]]) -> None:
    base, tokens = live_hub
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    page = context.new_page()
    _log_in(page, base, tokens["operator"])
    page.wait_for_url(f"{base}/console/control")
    assert page.locator("[data-crane]").count() == 4

    # the cranes move on screen: the panel refreshes itself, no reload
    first_done, first_x = _moves_done(page), _positions(page)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and (
        _moves_done(page) < first_done + 3 or _positions(page) == first_x
    ):
        page.wait_for_timeout(1000)
    assert _moves_done(page) >= first_done + 3, "no crane moved on screen in three minutes"
    assert _positions(page) != first_x
    page.screenshot(path=str(ARTEFACTS / "control-room.png"), full_page=True)

    # a train on its track, and its load plan wagon by wagon
    page.wait_for_selector("[data-load-plan]", timeout=180_000)
    page.locator("[data-load-plan]").first.click()
    page.wait_for_selector("#load-plan tbody tr")
    assert page.locator("#load-plan tbody tr").count() >= 10
    page.screenshot(path=str(ARTEFACTS / "load-plan.png"), full_page=True)

    # a quote with its itineraries and landed-cost bill
    page.click("[data-menu=shipper]")
    page.fill("input[name=from]", "CNJGJ")
    page.fill("input[name=to]", "THLCH")
    page.click("#quote-form button[type=submit]")
    page.wait_for_selector("#quote .option")
    assert page.locator("#quote .option").count() >= 1
    assert page.locator("#quote table.bill").first.is_visible()
    page.screenshot(path=str(ARTEFACTS / "quote.png"), full_page=True)

    # the customs officer holds a box in the yard, then lifts the hold
    officer = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()  # type: ignore[attr-defined]
    _log_in(officer, base, tokens["customs"])
    officer.wait_for_url(f"{base}/console/customs")
    request = urllib.request.Request(f"{base}/api/containers?state=in_hub&limit=1")
    request.add_header("Authorization", f"Bearer {tokens['customs']}")
    with urllib.request.urlopen(request, timeout=10) as answer:
        number = json.loads(answer.read())[0]["number"]
    officer.fill("#hold-form input[name=box]", number)
    officer.fill("#hold-form input[name=reason]", "x-ray scan")
    officer.click("#hold-form button[type=submit]")
    row = officer.locator(f"#holds tr[data-box='{number}']")
    try:
        row.wait_for()
    finally:
        officer.screenshot(path=str(ARTEFACTS / "customs-desk.png"), full_page=True)
    assert "x-ray scan" in row.inner_text()
    row.locator("button").click()
    officer.wait_for_load_state()
    assert officer.locator(f"#holds tr[data-box='{number}']").count() == 0

    # the operator switches to Chinese: the page, its menu and its statuses
    page.click("[data-menu=control]")
    page.select_option("select[name=language]", "zh")
    page.wait_for_selector("html[lang=zh-CN]")
    assert page.locator("[data-menu=customs]").inner_text() == "海关工作台"
    assert "轨道上的龙门吊" in page.inner_text("main")
    assert "Cranes along the rail" not in page.inner_text("main")
    page.screenshot(path=str(ARTEFACTS / "control-room-zh.png"), full_page=True)
    assert all(
        (ARTEFACTS / name).stat().st_size > 10_000
        for name in (
            "control-room.png",
            "load-plan.png",
            "quote.png",
            "customs-desk.png",
            "control-room-zh.png",
        )
    )

    # the API's docs render offline from the hub's own assets, under its CSP
    docs = context.new_page()
    refused: list[str] = []
    docs.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    docs.goto(f"{base}/api/docs")
    docs.wait_for_selector(".swagger-ui .info .title", timeout=30_000)
    assert "hubport" in docs.inner_text(".swagger-ui .info .title")
    assert docs.locator(".opblock").count() >= 20
    assert refused == []


@pytest.mark.slow
def test_the_delivery_desk_in_both_languages(browser: object, env: dict[str, str]) -> None:
    """A member opens the delivery desk: its deliveries with their states, the slot on the
    timeline, the tally against the matched volume; then the same in Chinese."""
    from datetime import datetime, timedelta

    from hubport.domain.hub_time import HUB_TIME
    from tests.e2e.test_futures import Client, _serve

    run(env, "init")
    tokens = {}
    for name, role, party in (
        ("dce", "exchange", None),
        ("seller", "member", "M0202"),
        ("ops", "operator", None),
        ("li", "inspector", None),
    ):
        extra = ["--party", party] if party else []
        added = run(env, "user", "add", name, "--role", role, "--json", *extra).stdout
        tokens[name] = json.loads(added)["token"]
    server, base = _serve(env)
    api = Client(base + "/futures", tokens)
    today = datetime.now(HUB_TIME).date()
    tomorrow = today + timedelta(days=1)
    try:
        api.call(
            "POST",
            "/deliveries",
            "dce",
            {
                "delivery": "DCE-7",
                "contract": "LG2612",
                "lots": 1,
                "buyer": "M0101",
                "seller": "M0202",
                "matched_on": today.isoformat(),
                "settlement_day": today.isoformat(),
                "price_cny_per_m3": "810",
            },
        )
        booked = api.call(
            "POST",
            "/deliveries/DCE-7/slot",
            "seller",
            {
                "track": "LH1",
                "spot": "A",
                "start": f"{tomorrow}T09:00",
                "end": f"{tomorrow}T12:00",
                "loads": [
                    {"wagon_type": "C70", "volume_m3": "45"},
                    {"wagon_type": "C70", "volume_m3": "45"},
                ],
            },
        )
        assert booked[0] == 200, booked
        arrived = api.call("POST", "/deliveries/DCE-7/arrival", "ops", {"carriers": ["C70-4471"]})
        assert arrived[0] == 200, arrived
        tally = "species,length_m,diameter_cm\n" + "radiata pine,4.0,30\n" * 262
        assert api.call("POST", "/deliveries/DCE-7/tally?inspector=Li", "li", text=tally)[0] == 200
        context, page, refused = watched_page(browser)
        site = base.removesuffix("/api")
        _log_in(page, site, tokens["seller"])
        page.wait_for_selector("#futures-desk")
        assert page.locator("[data-menu=futures]").inner_text() == "Delivery desk"
        row = page.locator("#deliveries tr[data-delivery='DCE-7']")
        assert "inspected" in row.inner_text()
        assert page.locator("#tallies tr[data-delivery='DCE-7'] meter").count() == 1
        page.goto(f"{site}/console/futures?day={tomorrow}")
        assert page.locator("#slot-timeline rect[data-delivery='DCE-7']").count() == 1
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTEFACTS / "delivery-desk.png"), full_page=True)
        page.select_option("select[name=language]", "zh")
        page.wait_for_selector("html[lang=zh-CN]")
        assert page.locator("[data-menu=futures]").inner_text() == "交割台"
        assert "已检验" in page.locator("#deliveries tr[data-delivery='DCE-7']").inner_text()
        assert "原木期货车板交割" in page.inner_text("main")
        page.screenshot(path=str(ARTEFACTS / "delivery-desk-zh.png"), full_page=True)
        assert refused == []
        context.close()
    finally:
        server.terminate()
        server.communicate(timeout=10)


@pytest.mark.slow
def test_the_park_pages_in_both_languages(
    browser: object, env: dict[str, str], tmp_path: Path
) -> None:
    """The service office's request queue and the month's KPIs, then a department's own
    queue, in English and in Chinese."""
    from tests.e2e.test_futures import _serve
    from tests.e2e.test_park import HISTORY

    run(env, "init")
    history = tmp_path / "history.json"
    history.write_text(json.dumps(HISTORY, ensure_ascii=False))
    run(env, "park", "import", str(history))
    run(env, "park", "seed")  # the synthetic portfolio: 114 projects
    tokens = {}
    for name, role, party in (("office", "park-admin", None), ("land", "department", "land")):
        extra = ["--party", party] if party else []
        added = run(env, "user", "add", name, "--role", role, "--json", *extra).stdout
        tokens[name] = json.loads(added)["token"]
    server, base = _serve(env)
    site = base.removesuffix("/api")
    try:
        context, page, refused = watched_page(browser)
        _log_in(page, site, tokens["office"])
        page.wait_for_selector("#park-desk")
        page.goto(f"{site}/console/park?month=2026-11")
        assert page.locator("#requests tr[data-request^='R']").count() == 5
        assert "verified and closed" in page.locator("#requests tr[data-request='R1']").inner_text()
        assert page.locator("#kpi-bars rect[data-kpi='completion_rate']").count() == 1
        assert "66.7 %" in page.inner_text("#park-kpis")
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTEFACTS / "park.png"), full_page=True)
        page.select_option("select[name=language]", "zh")
        page.wait_for_selector("html[lang=zh-CN]")
        assert page.locator("[data-menu=park]").inner_text() == "园区服务"
        assert "验收销号" in page.locator("#requests tr[data-request='R1']").inner_text()
        assert "办结率" in page.inner_text("#park-kpis")
        page.screenshot(path=str(ARTEFACTS / "park-zh.png"), full_page=True)
        # a task reported done by its owner is checked off at the joint meeting (four eyes)
        from tests.e2e.test_futures import Client

        api = Client(base + "/park", tokens)
        task = {"task": "T1", "title": "power line to plot 7", "owner": "land", "due": "2026-12-03"}
        assert api.call("POST", "/tasks", "office", task)[0] == 201
        assert api.call("POST", "/tasks/T1/done", "land", {"note": "energised"})[0] == 200
        meeting = {
            "meeting": "JM-1",
            "kind": "joint",
            "held_on": "2026-12-04",
            "attendees": ["office", "land"],
        }
        assert api.call("POST", "/meetings", "office", meeting)[0] == 201
        page.select_option("select[name=language]", "en")
        page.wait_for_selector("html[lang=en]")
        page.goto(f"{site}/console/park")
        item = page.locator("#meetings li[data-item='task T1']")
        item.locator("input[name=evidence]").fill("acceptance sheet 117")
        item.locator("button").click()
        page.wait_for_selector("#meetings li[data-item='task T1']")
        assert (
            "verified and closed" in page.locator("#meetings li[data-item='task T1']").inner_text()
        )
        assert page.locator("#projects tr[data-project]").count() == 114
        page.goto(f"{site}/console/park/projects/P001")
        assert page.locator("#gantt rect[data-stage]").count() == 8
        page.screenshot(path=str(ARTEFACTS / "park-project.png"), full_page=True)
        page.select_option("select[name=language]", "zh")
        page.wait_for_selector("html[lang=zh-CN]")
        assert "签约" in page.inner_text("#stages")
        department = browser.new_context().new_page()  # type: ignore[attr-defined]
        _log_in(department, site, tokens["land"])
        department.wait_for_selector("#park-desk")
        assert department.locator("#requests tr[data-request^='R']").count() == 1  # R2 only
        assert department.locator("#requests tr[data-request='R2']").count() == 1
        assert refused == []
        context.close()
    finally:
        server.terminate()
        server.communicate(timeout=10)
