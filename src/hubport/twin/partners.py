"""The partners of a simulated day, speaking EDIFACT: the railway operator sends the
inbound train's discharge order (COPRAR) before the train arrives."""

from __future__ import annotations

from datetime import datetime

from hubport.adapters.edi.documents import Document, Equipment
from hubport.adapters.edi.outbound import Envelope, write_interchange
from hubport.adapters.edi.profiles import COPRAR_DISCHARGE
from hubport.domain.container import Container, LegMode
from hubport.domain.places import WagonSlot
from hubport.twin.traffic import InboundTrain

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
