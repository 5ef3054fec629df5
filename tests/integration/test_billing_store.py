"""Billing on the store (SQLite and PostgreSQL): the ledger from the event log, runs that
charge nothing twice and a rebuilt ledger with the same lines, invoice numbers without
gaps under two concurrent issuers, a credit note that reverses exactly, UBL documents
valid against the UBL 2.1 schema, and the out-gate that refuses an unpaid box, naming the
amount and the payer, and lets it go once paid."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader
from sqlalchemy import Engine, delete, select

from hubport.adapters.database import load_site
from hubport.adapters.event_log import read_events
from hubport.billing.adapters import tables
from hubport.billing.adapters.invoice_files import write_invoice_files
from hubport.billing.bootstrap import BillingDesk, gate_payment_check
from hubport.billing.domain.charges import LoggedEvent, charges
from hubport.billing.domain.invoice import InvoiceRefused
from hubport.billing.services import commands as billing
from hubport.bootstrap import Hub
from hubport.config import Settings
from hubport.domain.gate import GateRefused
from hubport.domain.places import WagonSlot, parse_place
from hubport.services import commands, gate_commands
from hubport.services.clock import ManualClock
from hubport.services.handlers import COMMAND_HANDLERS, EVENT_HANDLERS
from hubport.services.messagebus import MessageBus
from hubport.services.sql_unit_of_work import SqlUnitOfWork
from tests.conftest import T0, box, train, truck
from tests.integration.test_store import store as store  # the fixture

UBL = Path(__file__).parent.parent / "data" / "ubl-2.1" / "maindoc"
CUSTOMERS = ("COS", "OOL", "CMA", "MSC", "EMC", "SITC")
DAY = T0.date()


@pytest.fixture
def hub(store: Engine, tmp_path: Path) -> Iterator[Hub]:
    settings = Settings(data_dir=tmp_path)
    site = load_site(store)
    check = gate_payment_check(settings)
    bus = MessageBus(
        lambda: SqlUnitOfWork(store, site, payment_check=check),
        ManualClock(T0),
        COMMAND_HANDLERS,
        EVENT_HANDLERS,
    )
    yield Hub(settings, store, site, bus, check)


@pytest.fixture
def desk(hub: Hub) -> BillingDesk:
    return hub.billing()


def _clock(hub: Hub) -> ManualClock:
    assert isinstance(hub.bus.clock, ManualClock)
    return hub.bus.clock


def _discharge(hub: Hub, boxes: int, operators: tuple[str, ...] = CUSTOMERS) -> None:
    """A train of ``boxes`` boxes, each of an operator in turn, discharged to the yard."""
    bus = hub.bus
    bus.handle(commands.RegisterTrain(train("T100", wagons=boxes)))
    for index in range(boxes):
        bus.handle(
            commands.AnnounceContainer(box(index, operator=operators[index % len(operators)]))
        )
    consist = tuple((box(i).number, WagonSlot("T100", i + 1, "A")) for i in range(boxes))
    bus.handle(commands.ArriveTrain("T100", "T1", consist))
    for index in range(boxes):
        _clock(hub).advance(120)
        bay = 1 + 2 * (index // 4)
        place = parse_place(f"yard:A-{bay:02d}-{index % 4 + 1:02d}-1")
        bus.handle(commands.MoveContainer(box(index).number, place))


def _collect(hub: Hub, index: int, visit: str) -> None:
    hub.bus.handle(commands.GateIn(truck(visit), ()))
    hub.bus.handle(commands.MoveContainer(box(index).number, parse_place(f"truck:{visit}:A")))
    hub.bus.handle(gate_commands.TruckLeaves(visit))


def _ledger(store: Engine) -> dict[str, tuple[str, str, str]]:
    with store.connect() as connection:
        rows = connection.execute(select(tables.charge_lines)).all()
    return {row.key: (row.customer, row.amount, row.vat) for row in rows}


def test_a_billing_run_charges_each_event_once_and_reconciles(
    hub: Hub, desk: BillingDesk, store: Engine
) -> None:
    _discharge(hub, 12)
    _clock(hub).advance(6 * 86400)
    _collect(hub, 0, "TV1")
    first = desk.bus.handle(billing.RunBilling(DAY + timedelta(days=6))).result
    kinds = {line.kind for lines in _unbilled_or_drafted(desk) for line in lines}
    # 12 discharges, one lift-on; full 20' boxes pay storage from their 5th day
    assert {"discharge_wagon", "lift_on_truck", "storage_20_full"} <= kinds
    assert first["new_lines"] == len(_ledger(store)) > 13
    again = desk.bus.handle(billing.RunBilling(DAY + timedelta(days=6))).result
    assert (again["new_lines"], again["total_cny"], again["invoices"]) == (0, "0.00", [])
    found = desk.queries.reconcile()
    assert found.ledger == found.recomputed == Decimal(first["total_cny"])


def _unbilled_or_drafted(desk: BillingDesk) -> list[list[object]]:
    return [list(invoice.lines) for invoice in desk.queries.invoices()]


def test_billing_day_by_day_gives_the_lines_of_one_run_and_a_rebuilt_ledger(
    hub: Hub, desk: BillingDesk, store: Engine
) -> None:
    _discharge(hub, 8)
    for day in range(1, 15):
        _clock(hub).set(T0 + timedelta(days=day))
        if day in (3, 9):
            _collect(hub, day // 2, f"TV{day}")
        desk.bus.handle(billing.RunBilling(DAY + timedelta(days=day - 1)))
    _clock(hub).set(T0 + timedelta(days=15))
    desk.bus.handle(billing.RunBilling(DAY + timedelta(days=14)))
    by_day = _ledger(store)
    with store.connect() as connection:
        history = [LoggedEvent(e.id, e.event) for e in read_events(connection)]
    at_once = charges(desk.book, history, DAY + timedelta(days=14))
    assert by_day == {
        line.key: (line.customer, str(line.amount), str(line.vat)) for line in at_once
    }
    with store.begin() as connection:
        connection.execute(tables.invoice_lines.delete())
        connection.execute(delete(tables.charge_lines))
        connection.execute(delete(tables.invoices))
        for table in (tables.billing_state, tables.billing_stays, tables.billing_boxes):
            connection.execute(delete(table))
        connection.execute(delete(tables.customer_balances))
    desk.bus.handle(billing.RunBilling(DAY + timedelta(days=14)))
    assert _ledger(store) == by_day


def test_invoice_numbers_have_no_gaps_under_two_concurrent_issuers(
    hub: Hub, desk: BillingDesk
) -> None:
    _discharge(hub, 12)
    drafts = desk.bus.handle(billing.RunBilling(DAY)).result["invoices"]
    assert len(drafts) == len(CUSTOMERS)
    refused: list[str] = []

    def issuer() -> None:
        for draft in drafts:
            try:
                desk.bus.handle(billing.IssueInvoice(draft["id"]))
            except InvoiceRefused as error:
                refused.append(str(error))

    threads = [threading.Thread(target=issuer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    numbers = sorted(invoice.number or "" for invoice in desk.queries.invoices())
    assert numbers == [f"HP-{n:06d}" for n in range(1, len(CUSTOMERS) + 1)]
    assert len(refused) == len(CUSTOMERS) and all("not a draft" in r for r in refused)


def test_a_credit_note_reverses_an_invoice_exactly_and_its_lines_are_invoiced_anew(
    hub: Hub, desk: BillingDesk, tmp_path: Path
) -> None:
    _discharge(hub, 6, ("COS",))
    issued = desk.bus.handle(billing.RunBilling(DAY, issue=True)).result["invoices"]
    assert [i["reference"] for i in issued] == ["HP-000001"]
    invoice = desk.queries.invoice("HP-000001")
    result = desk.bus.handle(billing.CreditInvoice("HP-000001", "wrong customer reference"))
    note = desk.queries.invoice(result.result["credit_note"]["reference"])
    assert note.number == "CN-000001" and note.credits == "HP-000001"
    assert note.lines == invoice.lines and note.total == invoice.total
    assert desk.queries.invoice("HP-000001").state.value == "credited"
    with pytest.raises(InvoiceRefused, match="only an issued invoice"):
        desk.bus.handle(billing.CreditInvoice("HP-000001", "again"))
    again = desk.bus.handle(billing.RunBilling(DAY, issue=True)).result["invoices"]
    assert [(i["reference"], i["total_cny"]) for i in again] == [("HP-000002", str(invoice.total))]
    _valid_documents([invoice, note, desk.queries.invoice("HP-000002")], desk, tmp_path)


def _valid_documents(invoices: list, desk: BillingDesk, folder: Path) -> None:
    schemas = {
        "invoice": etree.XMLSchema(etree.parse(str(UBL / "UBL-Invoice-2.1.xsd"))),
        "credit_note": etree.XMLSchema(etree.parse(str(UBL / "UBL-CreditNote-2.1.xsd"))),
    }
    for invoice in invoices:
        files = write_invoice_files(invoice, desk.accounts, folder)
        first = (files.pdf.read_bytes(), files.ubl.read_bytes())
        again = write_invoice_files(invoice, desk.accounts, folder)
        assert (again.pdf.read_bytes(), again.ubl.read_bytes()) == first  # written again: same
        document = etree.parse(str(files.ubl))
        schema = schemas[invoice.document.value]
        assert schema.validate(document), schema.error_log
        payable = document.find("{*}LegalMonetaryTotal/{*}PayableAmount")
        assert payable is not None and payable.get("currencyID") == "CNY"
        assert Decimal(payable.text or "") == invoice.total
        text = "".join(page.extract_text() for page in PdfReader(files.pdf).pages)
        assert invoice.number in text and f"{invoice.total:,.2f}" in text


def test_the_out_gate_refuses_an_unpaid_box_naming_the_amount_and_frees_it_once_paid(
    hub: Hub, desk: BillingDesk
) -> None:
    _discharge(hub, 2, ("WALKIN",))  # not on the accounts file: cash
    _clock(hub).advance(7 * 86400)
    hub.bus.handle(commands.GateIn(truck("TV1"), ()))
    hub.bus.handle(commands.MoveContainer(box(0).number, parse_place("truck:TV1:A")))
    owed = desk.queries.box(box(0).number.value, DAY + timedelta(days=7)).total
    # a discharge (200), a lift-on (120) and days 5-8 of storage (4 × 8), with 6 % VAT
    assert owed == Decimal("373.12")
    with pytest.raises(GateRefused, match=r"WALKIN owes CNY 373\.12, to be paid"):
        hub.bus.handle(gate_commands.TruckLeaves("TV1"))
    with hub.unit_of_work() as uow:
        assert uow.inventory.truck("TV1").state == "on_site"
    desk.bus.handle(billing.RecordPayment("R1", Decimal(1000), customer="WALKIN"))
    assert hub.bus.handle(gate_commands.TruckLeaves("TV1")).result["lane"] == "out"
    repeated = desk.bus.handle(billing.RecordPayment("R1", Decimal(1000), customer="WALKIN"))
    assert repeated.result["recorded"] is False
    with pytest.raises(InvoiceRefused, match="recorded already"):
        desk.bus.handle(billing.RecordPayment("R1", Decimal(5), customer="WALKIN"))


def test_a_payment_on_an_invoice_marks_it_paid_in_part_then_in_full(
    hub: Hub, desk: BillingDesk
) -> None:
    _discharge(hub, 2, ("COS",))
    desk.bus.handle(billing.RunBilling(DAY, issue=True))
    invoice = desk.queries.invoice("HP-000001")
    desk.bus.handle(billing.RecordPayment("B1", Decimal(100), invoice="HP-000001"))
    assert desk.queries.invoice("HP-000001").state.value == "partly_paid"
    with pytest.raises(InvoiceRefused, match="more than"):
        desk.bus.handle(billing.RecordPayment("B2", invoice.total, invoice="HP-000001"))
    desk.bus.handle(billing.RecordPayment("B3", invoice.total - 100, invoice="HP-000001"))
    assert desk.queries.invoice("HP-000001").state.value == "paid"


def test_the_audit_finds_a_tampered_invoice_and_a_ledger_that_left_the_log(
    hub: Hub, desk: BillingDesk, store: Engine
) -> None:
    _discharge(hub, 4, ("COS",))
    desk.bus.handle(billing.RunBilling(DAY, issue=True))
    assert desk.queries.audit() == (1, [])
    with store.begin() as connection:
        connection.execute(tables.invoices.update().values(total_cny="1.00"))
        connection.execute(
            tables.charge_lines.delete()
            .where(tables.charge_lines.c.kind == "discharge_wagon")
            .where(tables.charge_lines.c.box == box(0).number.value)
        )
    _count, problems = desk.queries.audit()
    assert any("recomputed from the event log" in p for p in problems)
    assert any("says CNY 1.00" in p for p in problems)


def test_the_gate_charges_a_box_s_events_even_when_its_clock_reads_the_day_before(
    hub: Hub, desk: BillingDesk, store: Engine
) -> None:
    """The out-gate's clock may lag the runtime's events across midnight: every event of
    the box is charged all the same, and the box is held until paid."""
    from hubport.billing.adapters.queries import payment_refusal

    _discharge(hub, 1, ("WALKIN",))
    with store.connect() as connection:
        owed = payment_refusal(
            connection, desk.book, desk.accounts, box(0).number.value, T0 - timedelta(days=1)
        )
    assert owed is not None and owed.amount == Decimal("212.00")  # the discharge, with VAT


def test_the_gate_charges_a_box_whose_events_are_logged_out_of_time_order(
    hub: Hub, desk: BillingDesk, store: Engine
) -> None:
    """An arrival stamped by an API's wall clock after the moves a scaled runtime stamps
    earlier: the box's charges are all counted at the gate."""
    from hubport.billing.adapters.queries import payment_refusal

    wall = MessageBus(  # the API's clock: a day ahead of the runtime's
        lambda: SqlUnitOfWork(store, hub.site),
        ManualClock(T0 + timedelta(days=1)),
        COMMAND_HANDLERS,
        EVENT_HANDLERS,
    )
    wall.handle(commands.RegisterTrain(train("T100", wagons=1)))
    wall.handle(commands.AnnounceContainer(box(0, operator="WALKIN")))
    wall.handle(commands.ArriveTrain("T100", "T1", ((box(0).number, WagonSlot("T100", 1, "A")),)))
    hub.bus.handle(commands.MoveContainer(box(0).number, parse_place("yard:A-01-01-1")))
    with store.connect() as connection:
        owed = payment_refusal(connection, desk.book, desk.accounts, box(0).number.value, T0)
    assert owed is not None and owed.amount == Decimal("212.00")
