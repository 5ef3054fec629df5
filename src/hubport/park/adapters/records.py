"""Projects, tasks and meetings as rows of the park's tables, and back."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Table, insert, select, update

from hubport.park.adapters import tables
from hubport.park.domain.meetings import Meeting, Task
from hubport.park.domain.projects import Project, StageDates

TABLES: dict[str, Table] = {
    "project": tables.park_projects,
    "task": tables.park_tasks,
    "meeting": tables.park_meetings,
}


def to_row(record: Project | Task | Meeting) -> dict[str, Any]:
    if isinstance(record, Project):
        return {
            "id": record.id,
            "name": record.name,
            "investor": record.investor,
            "sector": record.sector,
            "investment_cny": str(record.investment_cny),
            "floor_area_m2": record.floor_area_m2,
            "annual_output_cny": str(record.annual_output_cny),
            "enterprise": record.enterprise,
            "stages": json.dumps(
                {
                    stage: [d.planned.isoformat(), d.actual.isoformat() if d.actual else None]
                    for stage, d in record.stages.items()
                }
            ),
            "synthetic": int(record.synthetic),
        }
    if isinstance(record, Task):
        return {
            "id": record.id,
            "title": record.title,
            "owner": record.owner,
            "due": record.due,
            "project": record.project,
            "request": record.request,
            "state": record.state,
            "done_note": record.done_note,
            "verified_by": record.verified_by,
            "verified_at_meeting": record.verified_at_meeting,
            "evidence": record.evidence,
            "meetings_open": record.meetings_open,
        }
    return {
        "id": record.id,
        "kind": record.kind,
        "held_on": record.held_on,
        "attendees": json.dumps(list(record.attendees), ensure_ascii=False),
        "agenda": json.dumps(record.agenda, ensure_ascii=False),
        "decisions": json.dumps(record.decisions, ensure_ascii=False),
    }


def from_row(kind: str, row: Any) -> Project | Task | Meeting:
    if kind == "project":
        return project_of(row)
    if kind == "task":
        return Task(
            row.id,
            row.title,
            row.owner,
            row.due,
            row.project,
            row.request,
            row.state,
            row.done_note,
            row.verified_by,
            row.verified_at_meeting,
            row.evidence,
            row.meetings_open,
        )
    return Meeting(
        row.id,
        row.kind,
        row.held_on,
        tuple(json.loads(row.attendees)),
        json.loads(row.agenda),
        json.loads(row.decisions),
    )


def project_of(row: Any) -> Project:
    stages = {
        stage: StageDates(
            date.fromisoformat(planned), date.fromisoformat(actual) if actual else None
        )
        for stage, (planned, actual) in json.loads(row.stages).items()
    }
    return Project(
        row.id,
        row.name,
        row.investor,
        row.sector,
        Decimal(row.investment_cny),
        row.floor_area_m2,
        Decimal(row.annual_output_cny),
        row.enterprise,
        stages,
        bool(row.synthetic),
    )


def load(connection: Connection, kind: str, record_id: str) -> Project | Task | Meeting | None:
    table = TABLES[kind]
    row = connection.execute(select(table).where(table.c.id == record_id)).first()
    return None if row is None else from_row(kind, row)


def save(connection: Connection, kind: str, record: Project | Task | Meeting, new: bool) -> None:
    table = TABLES[kind]
    row = to_row(record)
    if new:
        connection.execute(insert(table).values(**row))
    else:
        connection.execute(update(table).where(table.c.id == record.id).values(**row))


__all__ = ["TABLES", "from_row", "load", "project_of", "save", "to_row"]
