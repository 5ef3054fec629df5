"""Billing on the API: the billing office runs and issues, a shipper reads its own
invoices (JSON, PDF, UBL) and its own boxes' charges and nobody else's, and a payment
sent twice is recorded once."""

from __future__ import annotations

from decimal import Decimal

from lxml import etree

from hubport.domain.places import YardSlot
from hubport.services import commands
from tests.integration.app_hub import MINE, THEIRS, Api


def _billed(api: Api) -> dict[str, str]:
    """Both boxes discharged, billed and issued: each customer's invoice number."""
    api.hub.bus.handle(commands.MoveContainer(THEIRS.number, YardSlot("A", 5, 1, 1)))
    answer = api.post("/api/billing/runs", "billing", json={"until": "2026-12-01", "issue": True})
    assert answer.status_code == 200, answer.json()
    return {invoice["customer"]: invoice["reference"] for invoice in answer.json()["invoices"]}


def test_a_shipper_reads_its_own_invoices_and_documents_only(api: Api) -> None:
    numbers = _billed(api)
    assert set(numbers) == {"MSK", "COS"}
    listed = api.get("/api/billing/invoices", "shipper").json()
    assert [invoice["customer"] for invoice in listed] == ["MSK"]
    own = api.get(f"/api/billing/invoices/{numbers['MSK']}", "shipper").json()
    assert own["lines"][0]["box"] == MINE.number.value and own["lines"][0]["charge"]
    assert api.get(f"/api/billing/invoices/{numbers['COS']}", "shipper").status_code == 404
    pdf = api.get(f"/api/billing/invoices/{numbers['MSK']}/pdf", "shipper")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    ubl = etree.fromstring(
        api.get(f"/api/billing/invoices/{numbers['MSK']}/ubl", "shipper").content
    )
    payable = ubl.find("{*}LegalMonetaryTotal/{*}PayableAmount")
    assert payable is not None and Decimal(payable.text or "") == Decimal(own["total_cny"])


def test_a_shipper_sees_its_own_box_s_charges_only(api: Api) -> None:
    _billed(api)
    mine = api.get(f"/api/billing/boxes/{MINE.number.value}/charges?until=2026-12-01", "shipper")
    assert mine.status_code == 200 and mine.json()["lines"][0]["billed"] is True
    theirs = api.get(f"/api/billing/boxes/{THEIRS.number.value}/charges", "shipper")
    assert theirs.status_code == 404
    assert api.get("/api/billing/boxes/NOTABOX/charges", "billing").status_code == 400


def test_a_payment_sent_twice_is_recorded_once(api: Api) -> None:
    numbers = _billed(api)
    body = {"reference": "BANK-0001", "amount_cny": "100.00", "invoice": numbers["MSK"]}
    first = api.post("/api/billing/payments", "billing", json=body)
    again = api.post("/api/billing/payments", "billing", json=body)
    assert first.status_code == again.status_code == 200 and first.json() == again.json()
    receivables = {r["customer"]: r for r in api.get("/api/billing/receivables", "billing").json()}
    assert receivables["MSK"]["paid_cny"] == "100.00"
    other = {**body, "amount_cny": "5.00"}
    assert api.post("/api/billing/payments", "billing", json=other).json()["error"]["code"] == (
        "idempotency_conflict"
    )
    refused = api.post(
        "/api/billing/payments", "billing", json={**body, "reference": "X", "amount_cny": "-1"}
    )
    assert refused.status_code == 422 and "amount_cny" in refused.text
    reconciled = api.get("/api/billing/reconcile", "viewer").json()
    assert reconciled["ledger_cny"] == reconciled["recomputed_cny"]
