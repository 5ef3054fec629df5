"""An invoice as a PDF (fpdf2), bilingual: English and Chinese labels, in WenQuanYi Zen
Hei where the machine has it (Debian's fonts-wqy-zenhei, installed by ``make``), in the
PDF's core font with English labels only where it does not."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import UTC, datetime, time
from decimal import Decimal
from pathlib import Path

from fpdf import FPDF

from hubport.billing.domain.accounts import Account
from hubport.billing.domain.invoice import Document, Invoice

#: Chinese fonts tried in order (TrueType collections fpdf2 embeds and subsets).
CJK_FONTS = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
)

KIND_ZH = {
    "discharge_wagon": "卸车",
    "load_wagon": "装车",
    "discharge_barge": "卸船",
    "load_barge": "装船",
    "lift_on_truck": "提箱装车",
    "lift_off_truck": "集卡卸箱",
    "shift_on_request": "应客户要求移箱",
    "customs_inspection_move": "查验移箱",
    "reefer_hour": "冷藏箱供电",
}


def _zh(kind: str) -> str:
    if kind.startswith("storage"):
        return "堆存"
    return KIND_ZH.get(kind, "")


class _Pdf(FPDF):
    def __init__(self) -> None:
        super().__init__(format="A4")
        self.chinese = False
        for candidate in CJK_FONTS:
            if candidate.exists():
                logging.getLogger("fontTools").setLevel(logging.ERROR)
                self.add_font("cjk", fname=str(candidate))
                self.chinese = True
                break
        self.set_auto_page_break(True, margin=15)

    def use(self, size: float) -> None:
        self.set_font("cjk" if self.chinese else "helvetica", size=size)

    def label(self, english: str, chinese: str) -> str:
        return f"{english} {chinese}" if self.chinese else english


def invoice_pdf(invoice: Invoice, supplier: Account, customer: Account) -> bytes:
    pdf = _Pdf()
    # the document's date is the invoice's: written again, the file is the same
    day = invoice.issued_on or min(line.day for line in invoice.lines)
    pdf.set_creation_date(datetime.combine(day, time(0), UTC))
    pdf.add_page()
    credit = invoice.document is Document.CREDIT_NOTE
    title = pdf.label("CREDIT NOTE", "红字发票") if credit else pdf.label("INVOICE", "发票")
    if invoice.number is None:
        title = pdf.label("DRAFT", "草稿") + " - " + title
    pdf.use(16)
    pdf.cell(0, 10, title, new_x="LMARGIN", new_y="NEXT")
    pdf.use(9)
    rows = [
        (pdf.label("Number", "号码"), invoice.number or f"DRAFT-{invoice.id}"),
        (pdf.label("Issued", "开票日期"), str(invoice.issued_on or "-")),
        (pdf.label("Due", "到期日"), str(invoice.due_on or "-")),
        (pdf.label("From", "开票方"), f"{supplier.name}, {supplier.address}".strip(", ")),
        (pdf.label("To", "付款方"), f"{customer.name} ({customer.customer})"),
    ]
    if invoice.credits:
        rows.append((pdf.label("Reverses", "冲销"), invoice.credits))
    if invoice.reason:
        rows.append((pdf.label("Reason", "原因"), invoice.reason))
    for name, value in rows:
        pdf.cell(35, 5, name)
        pdf.cell(0, 5, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    _summary(pdf, invoice)
    pdf.ln(3)
    _lines(pdf, invoice)
    return bytes(pdf.output())


def _summary(pdf: _Pdf, invoice: Invoice) -> None:
    by_kind: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0), Decimal(0)])
    for line in invoice.lines:
        entry = by_kind[line.kind]
        entry[0] += 1
        entry[1] += line.amount
        entry[2] += line.vat
    widths = (70, 20, 35, 30, 35)
    headers = (
        pdf.label("Charge", "费目"),
        pdf.label("Lines", "行"),
        pdf.label("Net CNY", "金额"),
        pdf.label("VAT", "税额"),
        pdf.label("Gross", "价税合计"),
    )
    for width, header in zip(widths, headers, strict=True):
        pdf.cell(width, 6, header, border="B")
    pdf.ln()
    for kind, (count, net, vat) in sorted(by_kind.items()):
        name = f"{kind} {_zh(kind)}" if pdf.chinese else kind
        values = (name, f"{count}", f"{net:,.2f}", f"{vat:,.2f}", f"{net + vat:,.2f}")
        for width, value in zip(widths, values, strict=True):
            pdf.cell(width, 5, value, align="L" if width == 70 else "R")
        pdf.ln()
    totals = ("", "", f"{invoice.net:,.2f}", f"{invoice.vat:,.2f}", f"{invoice.total:,.2f}")
    pdf.use(10)
    for width, value in zip(widths, totals, strict=True):
        pdf.cell(width, 6, value, border="T", align="R")
    pdf.ln()
    pdf.cell(
        0,
        6,
        pdf.label("Total payable CNY", "应付合计") + f" {invoice.total:,.2f}",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.use(9)


def _lines(pdf: _Pdf, invoice: Invoice) -> None:
    widths = (10, 22, 30, 48, 18, 20, 22, 20)
    headers = (
        "#",
        pdf.label("Day", "日期"),
        pdf.label("Box", "箱号"),
        pdf.label("Charge", "费目"),
        pdf.label("Qty", "数量"),
        pdf.label("Rate", "单价"),
        pdf.label("Net", "金额"),
        pdf.label("VAT", "税额"),
    )
    pdf.use(8)
    for width, header in zip(widths, headers, strict=True):
        pdf.cell(width, 5, header, border="B")
    pdf.ln()
    for position, line in enumerate(invoice.lines, start=1):
        values = (
            str(position),
            line.day.isoformat(),
            line.box,
            line.kind,
            f"{line.quantity}",
            f"{line.rate:,.2f}",
            f"{line.amount:,.2f}",
            f"{line.vat:,.2f}",
        )
        for index, (width, value) in enumerate(zip(widths, values, strict=True)):
            pdf.cell(width, 4.5, value, align="R" if index >= 4 else "L")
        pdf.ln()


__all__ = ["invoice_pdf"]
