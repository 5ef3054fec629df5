"""An invoice as a UBL 2.1 document (OASIS UBL 2.1, the syntax EN 16931 binds to): an
``Invoice`` (type code 380) or a ``CreditNote`` (381) referring to the invoice it
reverses. Amounts are the ledger's, in CNY; each line carries its own VAT (the hub
rounds VAT per line, ``money.py``), and the tax total is their sum. The tests validate
every document against the UBL 2.1 schema."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from xml.etree import ElementTree as ET

from hubport.billing.domain.accounts import Account
from hubport.billing.domain.invoice import Document, Invoice, InvoiceLine

NS = {
    "inv": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "cn": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
CUSTOMIZATION = "urn:cen.eu:en16931:2017"
CURRENCY = "CNY"
#: UN/ECE Recommendation 20 units: one (C62) for a move or a day, hour (HUR) for power.
UNITS = {"reefer_hour": "HUR"}

ET.register_namespace("cac", NS["cac"])
ET.register_namespace("cbc", NS["cbc"])


def _cbc(parent: ET.Element, name: str, text: object, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{NS['cbc']}}}{name}", attributes)
    element.text = str(text)
    return element


def _cac(parent: ET.Element, name: str) -> ET.Element:
    return ET.SubElement(parent, f"{{{NS['cac']}}}{name}")


def _money(parent: ET.Element, name: str, amount: Decimal) -> None:
    _cbc(parent, name, f"{amount:.2f}", currencyID=CURRENCY)


def _party(parent: ET.Element, role: str, account: Account) -> None:
    party = _cac(_cac(parent, role), "Party")
    if account.customer:
        identification = _cac(party, "PartyIdentification")
        _cbc(identification, "ID", account.customer)
    _cbc(_cac(party, "PartyName"), "Name", account.name)
    address = _cac(party, "PostalAddress")
    if account.address:
        _cbc(address, "CityName", account.address)
    _cbc(_cac(address, "Country"), "IdentificationCode", "CN")
    if account.tax_id:
        scheme = _cac(party, "PartyTaxScheme")
        _cbc(scheme, "CompanyID", account.tax_id)
        _cbc(_cac(scheme, "TaxScheme"), "ID", "VAT")
    _cbc(_cac(party, "PartyLegalEntity"), "RegistrationName", account.name)


def _tax_category(parent: ET.Element, name: str, percent: Decimal) -> None:
    category = _cac(parent, name)
    _cbc(category, "ID", "S")
    _cbc(category, "Percent", f"{percent:g}")
    _cbc(_cac(category, "TaxScheme"), "ID", "VAT")


def _rate_percent(line: InvoiceLine) -> Decimal:
    if not line.amount:
        return Decimal(0)
    return (line.vat / line.amount * 100).quantize(Decimal(1))


def _lines(root: ET.Element, lines: Iterable[InvoiceLine], credit: bool) -> None:
    for position, line in enumerate(lines, start=1):
        element = _cac(root, "CreditNoteLine" if credit else "InvoiceLine")
        _cbc(element, "ID", position)
        _cbc(element, "Note", f"{line.charge}")
        unit = UNITS.get(line.kind, "C62")
        _cbc(
            element,
            "CreditedQuantity" if credit else "InvoicedQuantity",
            line.quantity,
            unitCode=unit,
        )
        _money(element, "LineExtensionAmount", line.amount)
        period = _cac(element, "InvoicePeriod")
        _cbc(period, "StartDate", line.day.isoformat())
        _cbc(period, "EndDate", line.day.isoformat())
        tax = _cac(element, "TaxTotal")
        _money(tax, "TaxAmount", line.vat)
        item = _cac(element, "Item")
        _cbc(item, "Description", f"{line.kind} {line.box} {line.day.isoformat()}")
        _cbc(item, "Name", line.kind)
        _tax_category(item, "ClassifiedTaxCategory", _rate_percent(line))
        price = _cac(element, "Price")
        _money(price, "PriceAmount", line.rate)


def ubl_document(invoice: Invoice, supplier: Account, customer: Account) -> bytes:
    """The UBL 2.1 XML of an issued invoice or credit note."""
    credit = invoice.document is Document.CREDIT_NOTE
    root = ET.Element(f"{{{NS['cn' if credit else 'inv']}}}{'CreditNote' if credit else 'Invoice'}")
    _cbc(root, "UBLVersionID", "2.1")
    _cbc(root, "CustomizationID", CUSTOMIZATION)
    _cbc(root, "ID", invoice.number or f"DRAFT-{invoice.id}")
    if invoice.issued_on is not None:
        _cbc(root, "IssueDate", invoice.issued_on.isoformat())
    else:
        _cbc(root, "IssueDate", min(line.day for line in invoice.lines).isoformat())
    if not credit and invoice.due_on is not None:
        _cbc(root, "DueDate", invoice.due_on.isoformat())
    _cbc(root, "CreditNoteTypeCode" if credit else "InvoiceTypeCode", 381 if credit else 380)
    if invoice.number is None:
        _cbc(root, "Note", "DRAFT: not an invoice until issued")
    if invoice.reason:
        _cbc(root, "Note", invoice.reason)
    _cbc(root, "DocumentCurrencyCode", CURRENCY)
    period = _cac(root, "InvoicePeriod")
    _cbc(period, "StartDate", min(line.day for line in invoice.lines).isoformat())
    _cbc(period, "EndDate", max(line.day for line in invoice.lines).isoformat())
    if credit and invoice.credits:
        reference = _cac(_cac(root, "BillingReference"), "InvoiceDocumentReference")
        _cbc(reference, "ID", invoice.credits)
    _party(root, "AccountingSupplierParty", supplier)
    _party(root, "AccountingCustomerParty", customer)
    tax = _cac(root, "TaxTotal")
    _money(tax, "TaxAmount", invoice.vat)
    by_rate: dict[Decimal, tuple[Decimal, Decimal]] = {}
    for line in invoice.lines:
        base, vat = by_rate.get(_rate_percent(line), (Decimal(0), Decimal(0)))
        by_rate[_rate_percent(line)] = (base + line.amount, vat + line.vat)
    for percent, (base, vat) in sorted(by_rate.items()):
        subtotal = _cac(tax, "TaxSubtotal")
        _money(subtotal, "TaxableAmount", base)
        _money(subtotal, "TaxAmount", vat)
        _tax_category(subtotal, "TaxCategory", percent)
    total = _cac(root, "LegalMonetaryTotal")
    _money(total, "LineExtensionAmount", invoice.net)
    _money(total, "TaxExclusiveAmount", invoice.net)
    _money(total, "TaxInclusiveAmount", invoice.total)
    _money(total, "PayableAmount", invoice.total)
    _lines(root, invoice.lines, credit)
    ET.indent(root)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document


__all__ = ["NS", "ubl_document"]
