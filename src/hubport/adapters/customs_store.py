"""Declarations and holds in the store: fetched by id or by box, written under version."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from hubport.adapters import tables
from hubport.adapters.times import utc_or_none
from hubport.domain.customs import Declaration, DeclarationState, Hold, Leg
from hubport.domain.errors import ConcurrentUpdate

_DECLARATIONS = tables.customs_declarations
_BOXES = tables.customs_declaration_boxes
_HOLDS = tables.customs_holds


class CustomsStore:
    """Reads and writes the customs tables inside the caller's transaction."""

    def __init__(self, connection: Connection):
        self.connection = connection

    def get(self, declaration_id: str) -> Declaration | None:
        found = self._declarations([declaration_id])
        return found[0] if found else None

    def of_boxes(self, numbers: Iterable[str]) -> list[Declaration]:
        query = select(_BOXES.c.declaration_id).where(_BOXES.c.container_number.in_(list(numbers)))
        ids = sorted(set(self.connection.execute(query).scalars()))
        return self._declarations(ids)

    def holds_on(self, numbers: Iterable[str]) -> list[Hold]:
        query = select(_HOLDS).where(_HOLDS.c.container_number.in_(list(numbers)))
        return [_hold(row) for row in self.connection.execute(query.order_by(_HOLDS.c.id))]

    def hold(self, hold_id: str) -> Hold | None:
        row = self.connection.execute(select(_HOLDS).where(_HOLDS.c.id == hold_id)).first()
        return None if row is None else _hold(row)

    def recent(self, limit: int = 50, state: str | None = None) -> list[Declaration]:
        """The latest declarations (in one state, if given), newest first."""
        query = select(_DECLARATIONS.c.id).order_by(_DECLARATIONS.c.lodged_at.desc()).limit(limit)
        if state is not None:
            query = query.where(_DECLARATIONS.c.state == state)
        return self._declarations(list(self.connection.execute(query).scalars()))

    def _declarations(self, ids: list[str]) -> list[Declaration]:
        if not ids:
            return []
        rows = self.connection.execute(select(_DECLARATIONS).where(_DECLARATIONS.c.id.in_(ids)))
        boxes: dict[str, list[str]] = {}
        for declaration_id, number in self.connection.execute(
            select(_BOXES.c.declaration_id, _BOXES.c.container_number).where(
                _BOXES.c.declaration_id.in_(ids)
            )
        ):
            boxes.setdefault(declaration_id, []).append(number)
        return sorted(
            (_declaration(row, boxes.get(row.id, [])) for row in rows),
            key=lambda d: (d.lodged_at, d.id),
        )

    def save(
        self,
        declarations: Iterable[tuple[Declaration, int | None]],
        holds: Iterable[tuple[Hold, int | None]],
    ) -> None:
        """Write each; ``None`` as the expected version means a new one."""
        for declaration, expected in declarations:
            values = {
                "kind": declaration.kind,
                "state": declaration.state.value,
                "office": declaration.office,
                "legs": json.dumps(
                    [[leg.mode, leg.origin, leg.destination] for leg in declaration.legs]
                ),
                "continues": declaration.continues,
                "lodged_at": utc_or_none(declaration.lodged_at),
                "arrived_at": utc_or_none(declaration.arrived_at),
                "released_at": utc_or_none(declaration.released_at),
                "note": declaration.note,
                "version": declaration.version,
            }
            if expected is None:
                self.connection.execute(insert(_DECLARATIONS).values(id=declaration.id, **values))
                self.connection.execute(
                    insert(_BOXES),
                    [
                        {"declaration_id": declaration.id, "container_number": number}
                        for number in declaration.boxes
                    ],
                )
                continue
            done = self.connection.execute(
                update(_DECLARATIONS)
                .where(_DECLARATIONS.c.id == declaration.id, _DECLARATIONS.c.version == expected)
                .values(**values)
            )
            if done.rowcount != 1:
                raise ConcurrentUpdate(f"declaration {declaration.id} changed since it was read")
        for hold, expected in holds:
            hold_values = {
                "container_number": hold.number,
                "kind": hold.kind,
                "reason": hold.reason,
                "placed_at": utc_or_none(hold.placed_at),
                "lifted_at": utc_or_none(hold.lifted_at),
                "version": hold.version,
            }
            if expected is None:
                self.connection.execute(insert(_HOLDS).values(id=hold.id, **hold_values))
                continue
            done = self.connection.execute(
                update(_HOLDS)
                .where(_HOLDS.c.id == hold.id, _HOLDS.c.version == expected)
                .values(**hold_values)
            )
            if done.rowcount != 1:
                raise ConcurrentUpdate(f"customs hold {hold.id} changed since it was read")


def _declaration(row: Any, boxes: list[str]) -> Declaration:
    return Declaration(
        id=row.id,
        kind=row.kind,
        boxes=tuple(sorted(boxes)),
        legs=tuple(Leg(*leg) for leg in json.loads(row.legs)),
        office=row.office,
        lodged_at=utc_or_none(row.lodged_at) or datetime.now(UTC),
        state=DeclarationState(row.state),
        continues=row.continues,
        arrived_at=utc_or_none(row.arrived_at),
        released_at=utc_or_none(row.released_at),
        note=row.note,
        version=row.version,
    )


def _hold(row: Any) -> Hold:
    return Hold(
        id=row.id,
        number=row.container_number,
        kind=row.kind,
        reason=row.reason,
        placed_at=utc_or_none(row.placed_at) or datetime.now(UTC),
        lifted_at=utc_or_none(row.lifted_at),
        version=row.version,
    )


__all__ = ["CustomsStore"]
