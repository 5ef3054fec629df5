"""Writing an invoice's documents: its PDF and its UBL XML, named by its number (a draft
by ``DRAFT-<id>``), in the invoice folder. Written again, a document is the same: both
are made from the stored invoice only."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hubport.billing.adapters.invoice_pdf import invoice_pdf
from hubport.billing.adapters.ubl import ubl_document
from hubport.billing.domain.accounts import AccountBook
from hubport.billing.domain.invoice import Invoice


@dataclass(frozen=True)
class InvoiceFiles:
    pdf: Path
    ubl: Path


def write_invoice_files(invoice: Invoice, accounts: AccountBook, folder: Path) -> InvoiceFiles:
    folder.mkdir(parents=True, exist_ok=True)
    name = invoice.number or f"DRAFT-{invoice.id}"
    customer = accounts.of(invoice.customer)
    files = InvoiceFiles(folder / f"{name}.pdf", folder / f"{name}.xml")
    _write(files.pdf, invoice_pdf(invoice, accounts.supplier, customer))
    _write(files.ubl, ubl_document(invoice, accounts.supplier, customer))
    return files


def _write(path: Path, content: bytes) -> None:
    partial = path.with_suffix(path.suffix + ".part")
    partial.write_bytes(content)
    partial.replace(path)


__all__ = ["InvoiceFiles", "write_invoice_files"]
