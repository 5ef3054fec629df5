"""A meeting's minutes as files: Markdown, and the same as PDF (a CJK font where the
machine has one: minutes name people and enterprises in Chinese)."""

from __future__ import annotations

import logging
from pathlib import Path

from hubport.park.adapters.report_files import CJK_FONTS, ascii_line
from hubport.park.domain.meetings import Meeting, Task, minutes_markdown


def minutes_pdf(text: str, path: Path) -> None:
    from fpdf import FPDF

    logging.getLogger("fontTools").setLevel(logging.ERROR)
    pdf = FPDF()
    pdf.add_page()
    font = next((f for f in CJK_FONTS if f.exists()), None)
    if font is not None:
        pdf.add_font("body", fname=str(font))
        pdf.set_font("body", size=11)
    else:
        pdf.set_font("helvetica", size=11)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for line in text.splitlines():
        if not line.strip():
            pdf.ln(3)
            continue
        shown = line.lstrip("#").strip() if font is not None else ascii_line(line)
        pdf.multi_cell(width, 6, shown)
    pdf.output(str(path))


def write_minutes(meeting: Meeting, tasks: list[Task], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    text = minutes_markdown(meeting, tasks)
    markdown = folder / f"minutes-{meeting.id}.md"
    markdown.write_text(text, encoding="utf-8")
    pdf = folder / f"minutes-{meeting.id}.pdf"
    minutes_pdf(text, pdf)
    return [markdown, pdf]


__all__ = ["minutes_pdf", "write_minutes"]
