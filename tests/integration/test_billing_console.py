"""The billing desk's forms: a draft issued once however often its form comes, a
payment recorded once, a bad amount refused with its reason, and only the billing office
may act."""

from __future__ import annotations

from tests.integration.app_hub import Api
from tests.integration.test_console import logged_in


def _drafted(api: Api) -> list[dict[str, str]]:
    answer = api.post("/api/billing/runs", "billing", json={"until": "2026-12-01"})
    drafts: list[dict[str, str]] = answer.json()["invoices"]
    assert drafts and all(d["state"] == "draft" for d in drafts)
    return drafts


def test_the_billing_office_issues_a_draft_and_records_a_payment_once_per_form(
    api: Api,
) -> None:
    draft = _drafted(api)[0]
    desk = logged_in(api, "billing")
    assert f'data-invoice="{draft["reference"]}"' in desk.get("/console/billing").text
    for _ in range(2):  # a double click: the second changes nothing
        sent = desk.post(
            f"/console/billing/drafts/{draft['id']}/issue",
            data={"nonce": "issue-1"},
            follow_redirects=False,
        )
        assert sent.status_code == 303
    listed = api.get("/api/billing/invoices", "billing").json()
    assert [i["number"] for i in listed] == ["HP-000001"]
    form = {"reference": "BANK-7", "amount": "10.00", "invoice": "HP-000001", "nonce": "p-1"}
    for _ in range(2):
        assert (
            desk.post("/console/billing/payments", data=form, follow_redirects=False).status_code
            == 303
        )
    receivables = api.get("/api/billing/receivables", "billing").json()
    assert sum(float(r["paid_cny"]) for r in receivables) == 10.0
    page = desk.get("/console/billing").text
    assert "BANK-7" in page and "partly paid" in page
    bad = desk.post("/console/billing/payments", data={**form, "reference": "X", "amount": "ten"})
    assert bad.status_code == 400 and "&#39;ten&#39; is not an amount" in bad.text
    over = desk.post("/console/billing/payments", data={**form, "reference": "Y", "amount": "1e9"})
    assert over.status_code == 409 and "is more than" in over.text


def test_only_the_billing_office_may_issue_or_record(api: Api) -> None:
    draft = _drafted(api)[0]
    operator = logged_in(api, "operator")
    assert "payment-form" not in operator.get("/console/billing").text
    refused = operator.post(f"/console/billing/drafts/{draft['id']}/issue", data={"nonce": "n"})
    assert refused.status_code == 403
