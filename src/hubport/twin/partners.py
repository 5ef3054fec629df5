"""The partners of a simulated day, speaking EDIFACT: the railway operator sends the
inbound train's discharge order (COPRAR) before the train arrives, and the barge's line
its bay plan (BAPLIE) of the boxes it brings."""

from __future__ import annotations

from datetime import datetime

from hubport.adapters.edi.documents import Document, Equipment
from hubport.adapters.edi.outbound import Envelope, write_interchange
from hubport.adapters.edi.profiles import COPRAR_DISCHARGE
from hubport.domain.container import Container, LegMode
from hubport.domain.places import VesselCell, WagonSlot
from hubport.twin.traffic import InboundTrain
from hubport.twin.traffic_river import BargeCall

#: The railway operator's interchange id (China Railway Container Transport).
RAILWAY = "CRCT"
#: The trucking companies' community id, to which the gate reports (CODECO) go.
HAULIERS = "HAULIERS"
_MODES = {LegMode.RAIL: "2", LegMode.RIVER: "8", LegMode.ROAD: "3"}


def discharge_order(inbound: InboundTrain, hub: str, seed: int, hub_id: str, sent: datetime) -> str:
    """The COPRAR discharge order of an inbound train, as the railway sends it."""
    train = inbound.visit
    lines = tuple(_line(container, slot, hub) for container, slot in inbound.consist)
    document = Document(
        "COPRAR",
        "D.95B",
        COPRAR_DISCHARGE,
        f"{train.id}-DO",
        "9",
        voyage=train.id,
        mode="2",
        carrier=RAILWAY,
        transport_id=train.id,
        transport_name=train.service[:35],
        places=(("11", hub),),
        dates=(("132", _local(train.scheduled or sent)),),
        equipment=lines,
        reference="1",
    )
    reference = f"S{seed}{train.id}"[:14]
    envelope = Envelope(RAILWAY, hub_id, reference, _local(sent))
    return write_interchange(envelope, [document])


def bay_plan(barge: BargeCall, port: str, hub_id: str, sent: datetime) -> str:
    """The BAPLIE of the barge's call, as its line sends it: the boxes it brings for the
    river port ``port``, at their cells (BBBRRTT)."""
    call = barge.call
    lines = tuple(
        _stowed(box.container, cell, port)
        for box, cell in barge.brings
        if box.container is not None
    )
    document = Document(
        "BAPLIE",
        "D.95B",
        "",
        f"{call.id}-BP",
        "9",
        voyage=call.voyage,
        mode="8",
        carrier=call.operator[:17],
        transport_id=call.vessel_id or call.id,
        transport_name=call.vessel[:35],
        places=(("5", call.origin or "CNSHA"), ("61", port)),
        dates=(("178", _local(call.eta)),),
        equipment=lines,
        reference="1",
    )
    sender = (call.operator.split()[0] if call.operator else "LINE").upper()[:35]
    envelope = Envelope(sender, hub_id, f"{call.id}"[:14], _local(sent))
    return write_interchange(envelope, [document])


def _stowed(container: Container, cell: VesselCell, port: str) -> Equipment:
    leg = container.next_leg
    return Equipment(
        number=container.number.value,
        size_type=container.size_type.code,
        status="6",  # transhipment: off the barge, on by rail
        full=container.full,
        position=f"{cell.bay:03d}{cell.row:02d}{cell.tier:02d}",
        discharge_place=port,
        destination=(leg.destination or "") if leg else "",
        gross_mass_kg=container.gross_mass_kg,
        seal=container.seal or "",
        operator=container.operator,
        onward_mode=_MODES[leg.mode] if leg else "",
        onward_reference=leg.reference if leg else "",
        onward_due=_local(leg.due) if leg and leg.due else None,
    )


def _line(container: Container, slot: WagonSlot, hub: str) -> Equipment:
    leg = container.next_leg
    return Equipment(
        number=container.number.value,
        size_type=container.size_type.code,
        status="3",
        full=container.full,
        position=f"{slot.wagon:02d}{slot.spot}",
        discharge_place=hub,
        destination=(leg.destination or "") if leg else "",
        gross_mass_kg=container.gross_mass_kg,
        seal=container.seal or "",
        operator=container.operator,
        imdg_class=container.imdg_class or "",
        temperature_c=container.reefer_setpoint_c,
        onward_mode=_MODES[leg.mode] if leg else "",
        onward_reference=leg.reference if leg else "",
        onward_due=_local(leg.due) if leg and leg.due else None,
    )


def _local(moment: datetime) -> datetime:
    from hubport.domain.hub_time import HUB_TIME

    return moment.astimezone(HUB_TIME).replace(tzinfo=None, second=0, microsecond=0)
