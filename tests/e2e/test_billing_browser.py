"""The billing desk and a box's charges in a real browser (Debian's Chromium) over
``hubport serve``, after a demo day billed from the command line: the billing office's
desk in English and in Chinese, and a shipper's own box's charges to date."""

from __future__ import annotations

import json

import pytest

from tests.e2e.test_cli import run
from tests.e2e.test_console_browser import ARTEFACTS, _log_in, watched_page
from tests.e2e.test_console_browser import browser as browser  # the fixture


@pytest.mark.slow
def test_the_billing_desk_in_both_languages(browser: object, after_a_day: dict[str, str]) -> None:
    from tests.e2e.test_futures import _serve

    env = after_a_day
    billed = json.loads(
        run(env, "billing", "run", "--until", "2026-12-01", "--issue", "--json").stdout
    )
    first = billed["invoices"][0]
    shown = json.loads(run(env, "invoice", "show", first["number"], "--json").stdout)
    box = shown["lines"][0]["box"]
    tokens = {}
    for name, role, party in (("qian", "billing", None), ("line", "shipper", first["customer"])):
        extra = ["--party", party] if party else []
        added = run(env, "user", "add", name, "--role", role, "--json", *extra).stdout
        tokens[name] = json.loads(added)["token"]
    server, base = _serve(env)
    site = base.removesuffix("/api")
    try:
        context, page, refused = watched_page(browser)
        _log_in(page, site, tokens["qian"])
        page.wait_for_selector("#billing-desk")
        assert page.locator("[data-menu=billing]").inner_text() == "Billing desk"
        rows = page.locator("#invoices tr[data-invoice^='HP-']")
        assert rows.count() == len(billed["invoices"])
        assert (
            first["total_cny"]
            in page.locator(f"#invoices tr[data-invoice='{first['number']}']").inner_text()
        )
        assert "equal" in page.inner_text("#reconciliation")
        assert page.locator("figure.chart svg rect").count() >= len(billed["invoices"])
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTEFACTS / "billing-desk.png"), full_page=True)
        page.select_option("select[name=language]", "zh")
        page.wait_for_selector("html[lang=zh-CN]")
        assert page.locator("[data-menu=billing]").inner_text() == "计费台"
        assert "已开具" in page.locator("#invoices").inner_text()
        assert "一致" in page.inner_text("#reconciliation")
        page.screenshot(path=str(ARTEFACTS / "billing-desk-zh.png"), full_page=True)
        shipper = context.browser.new_context().new_page()  # type: ignore[attr-defined]
        _log_in(shipper, site, tokens["line"])
        shipper.goto(f"{site}/console/charges/{box}")
        shipper.wait_for_selector("#charges")
        assert "yes" in shipper.inner_text("#charges")
        assert "CNY" in shipper.inner_text("#charges-total")
        shipper.screenshot(path=str(ARTEFACTS / "box-charges.png"), full_page=True)
        assert refused == []
        context.close()
    finally:
        server.terminate()
        server.communicate(timeout=10)
