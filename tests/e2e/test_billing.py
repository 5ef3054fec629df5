"""Billing from outside, in separate processes, after a demo day: the command-line
contract of ``hubport billing run`` (the invoices' PDF and UBL files, each UBL's
PayableAmount its total, a second run that adds nothing) and of ``billing reconcile``
(the ledger equal to the charges recomputed from the event log); a bad day is refused."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from lxml import etree
from pypdf import PdfReader

from tests.e2e.test_cli import run

UBL = Path(__file__).parent.parent / "data" / "ubl-2.1" / "maindoc" / "UBL-Invoice-2.1.xsd"
DAY = "2026-12-01"


def test_billing_run_issues_valid_invoices_once_and_reconciles(after_a_day: dict[str, str]) -> None:
    first = json.loads(
        run(after_a_day, "billing", "run", "--until", DAY, "--issue", "--json").stdout
    )
    invoices = first["invoices"]
    assert first["new_lines"] > 100 and invoices
    assert [i["number"] for i in invoices] == [f"HP-{n:06d}" for n in range(1, len(invoices) + 1)]
    assert sum(Decimal(i["total_cny"]) for i in invoices) == Decimal(first["total_cny"])
    schema = etree.XMLSchema(etree.parse(str(UBL)))
    for invoice in invoices:
        document = etree.parse(invoice["ubl"])
        assert schema.validate(document), schema.error_log
        payable = document.find("{*}LegalMonetaryTotal/{*}PayableAmount")
        assert payable is not None and payable.get("currencyID") == "CNY"
        assert Decimal(payable.text or "") == Decimal(invoice["total_cny"])
        assert invoice["number"] in PdfReader(invoice["pdf"]).pages[0].extract_text()
    second = json.loads(
        run(after_a_day, "billing", "run", "--until", DAY, "--issue", "--json").stdout
    )
    assert (second["new_lines"], second["invoices"]) == (0, [])
    reconciled = json.loads(run(after_a_day, "billing", "reconcile", "--json").stdout)
    assert reconciled["ledger_cny"] == reconciled["recomputed_cny"] == first["total_cny"]


def test_a_bad_day_is_refused_by_name_and_bills_nothing(after_a_day: dict[str, str]) -> None:
    refused = run(after_a_day, "billing", "run", "--until", "2026-13-01", "--json", check=False)
    assert refused.returncode != 0 and "--until '2026-13-01'" in refused.stderr
    assert refused.stdout == ""
    reconciled = json.loads(run(after_a_day, "billing", "reconcile", "--json").stdout)
    assert reconciled["ledger_cny"] == "0.00"


def test_two_processes_issuing_the_same_drafts_number_them_without_gaps(
    after_a_day: dict[str, str],
) -> None:
    import subprocess

    from tests.e2e.test_cli import HUBPORT

    drafts = json.loads(run(after_a_day, "billing", "run", "--until", DAY, "--json").stdout)
    references = [invoice["number"] for invoice in drafts["invoices"]]
    assert references and all(r.startswith("DRAFT-") for r in references)
    issued = 0
    for reference in references:
        racers = [
            subprocess.Popen(
                [*HUBPORT, "invoice", "issue", reference, "--json"],
                env=after_a_day,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        outcomes = [(racer.wait(120), racer.communicate()) for racer in racers]
        winners = [out for code, (out, _err) in outcomes if code == 0]
        losers = [err for code, (_out, err) in outcomes if code != 0]
        assert len(winners) == 1 and "not a draft" in losers[0], outcomes
        issued += 1
    listed = json.loads(run(after_a_day, "invoice", "list", "--json").stdout)
    numbers = sorted(invoice["number"] for invoice in listed)
    assert numbers == [f"HP-{n:06d}" for n in range(1, issued + 1)]
