"""Writing interchanges for partners: build the documents, envelope them, record them."""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Connection, Engine, select

from hubport.adapters import tables
from hubport.adapters.edi import exports
from hubport.adapters.edi.documents import Document
from hubport.adapters.edi.outbound import Envelope, write_interchange
from hubport.adapters.edi.profiles import OUTBOUND_TYPES
from hubport.adapters.edi.store import EdiRecord
from hubport.adapters.event_log import LoggedEvent, read_events
from hubport.adapters.repository import InventoryRepository
from hubport.domain.errors import HubportError, VisitError
from hubport.domain.site import Site


@dataclass(frozen=True)
class Written:
    """One interchange written: its text, its documents and its record id."""

    text: str
    documents: tuple[Document, ...]
    control_reference: str
    record_id: int


class Outbox:
    """Builds outbound messages from the store and records each interchange sent."""

    def __init__(self, engine: Engine, site: Site, record: EdiRecord, sender: str, hub: str):
        self.engine, self.site, self.record = engine, site, record
        self.sender, self.hub = sender, hub

    def documents(
        self, message_type: str, *, visit: str | None = None, since: datetime | None = None
    ) -> list[Document]:
        """The documents of ``message_type`` for a visit or since a time."""
        message_type = message_type.upper()
        if message_type not in OUTBOUND_TYPES:
            raise HubportError(
                f"cannot export {message_type!r}; outbound types: {', '.join(OUTBOUND_TYPES)}"
            )
        if (visit is None) == (since is None) and message_type != "IFTSTA":
            raise HubportError(f"export {message_type} needs exactly one of --visit or --since")
        with self.engine.connect() as connection:
            repository = InventoryRepository(connection, self.site)
            if message_type in ("COARRI", "CODECO"):
                # these report moves of a window only: read that window and the boxes in it
                inventory = repository.scoped()
                start, end = since, None
                if visit is not None:
                    start, end = _visit_window(connection, visit)
                events = list(read_events(connection, since=start, until=end))
            else:
                inventory = repository.load(include_departed=True)
                events = list(read_events(connection))
            # the documents read box facts through the inventory: build them here
            if since is not None:
                events_since = [logged for logged in events if logged.event.at >= since]
            if message_type in ("COARRI", "COPRAR", "BAPLIE"):
                trains = [visit] if visit is not None else _trains_touched(events_since)
                documents: list[Document] = []
                for train in trains:
                    exports.require_visit(inventory, train)
                    if message_type == "COARRI":
                        documents += exports.coarri(train, events, inventory, self.hub)
                    elif message_type == "COPRAR":
                        documents.append(
                            exports.coprar_load_order(train, events, inventory, self.hub)
                        )
                    else:
                        documents.append(exports.baplie(train, events, inventory, self.hub))
                return documents
            if message_type == "CODECO":
                return exports.codeco(events if since is None else events_since, self.hub, visit)
            status = exports.iftsta(events, self.hub, since, visit)
            return [status] if status is not None else []

    def write(
        self,
        documents: Sequence[Document],
        recipient: str,
        prepared: datetime,
        file_name: str | None = None,
    ) -> Written:
        """One interchange holding ``documents``, recorded as sent to ``recipient``."""
        documents = [document for document in documents if document.equipment]
        if not documents:
            raise HubportError("nothing to export: no boxes, moves or milestones match")
        reference = self.record.next_control_reference(recipient)
        numbered = [
            _with_reference(document, f"{reference}{number:03d}")
            for number, document in enumerate(documents, start=1)
        ]
        envelope = Envelope(self.sender, recipient, reference, prepared)
        text = write_interchange(envelope, numbered)
        record_id = self.record.add(
            direction="out",
            partner=recipient,
            control_reference=reference,
            message_types=",".join(document.type for document in numbered),
            status="sent",
            digest=hashlib.sha256(text.encode()).hexdigest(),
            at=prepared,
            summary=[
                {"message": d.reference, "type": d.type, "containers": len(d.equipment)}
                for d in numbered
            ],
            raw=text,
            file_name=file_name,
        )
        return Written(text, tuple(numbered), reference, record_id)


def deliver(text: str, target: Path) -> Path:
    """Write ``text`` to ``target`` atomically: a partner never sees half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.write_text(text, encoding="utf-8")
    with partial.open("rb") as handle:
        os.fsync(handle.fileno())
    partial.replace(target)
    return target


def _with_reference(document: Document, reference: str) -> Document:
    return dataclasses.replace(document, reference=reference)


def _visit_window(connection: Connection, visit: str) -> tuple[datetime | None, datetime | None]:
    """From a train's or truck's arrival to just after it left (open while it is here)."""
    for table in (tables.trains, tables.trucks):
        row = connection.execute(
            select(table.c.arrived_at, table.c.departed_at).where(table.c.id == visit)
        ).first()
        if row is not None:
            until = None if row.departed_at is None else row.departed_at + timedelta(seconds=1)
            return row.arrived_at, until
    raise VisitError(f"no train or truck visit {visit!r} is known")


def _trains_touched(events: Sequence[LoggedEvent]) -> list[str]:
    trains: list[str] = []
    for logged in events:
        for place in (getattr(logged.event, attr, None) for attr in ("origin", "destination")):
            train = getattr(place, "train", None)
            if isinstance(train, str) and train not in trains:
                trains.append(train)
    return trains
