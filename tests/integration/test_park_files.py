"""The park's files: a meeting's minutes as Markdown and a PDF whose text is the same."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pypdf import PdfReader

from hubport.park.adapters.minutes_files import write_minutes
from hubport.park.domain.meetings import Meeting, Task


def test_minutes_are_written_as_markdown_and_pdf(tmp_path: Path) -> None:
    meeting = Meeting(
        "JM-1", "joint", date(2026, 12, 4), ("王伟", "li"), ["task T1"], ["供电 by Tuesday"]
    )
    task = Task("T1", "power line to plot 7", "li", date(2026, 12, 3))
    task.complete("li", "energised")
    task.verify("王伟", meeting, "acceptance sheet 117")
    markdown, pdf = write_minutes(meeting, [task], tmp_path)
    assert "verified by 王伟" in markdown.read_text(encoding="utf-8")
    text = "".join(page.extract_text() for page in PdfReader(str(pdf)).pages)
    assert "Minutes: joint meeting JM-1, 2026-12-04" in text
    assert "acceptance sheet 117" in text
