"""Customs messages out through an adapter: the arrival report.

A declaration's arrival report in two forms:

- JSON modelled on the single-window arrival report (China's manifest system, MT3101):
  ``message_id``, ``message_type`` (``ARRIVAL_REPORT``), ``sender``, ``customs_office``,
  ``declaration``, ``transport_means`` (mode and visit of the carrier that brought the
  boxes), ``location`` (the UN/LOCODE of the supervised site), ``arrival_time`` (the
  platform's report: the first set-down), ``containers`` (the numbers);
- CUSCAR-style EDIFACT: BGM document code 98 (arrival information), the arrival time as
  DTM+178, the carrier in TDT, the site as LOC+60, an EQD per box.

Customs' responses come in through ``services/customs_responses``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hubport.adapters.edi.documents import Document, Equipment
from hubport.adapters.edi.outbound import Envelope, write_interchange
from hubport.domain.errors import HubportError
from hubport.domain.hub_time import HUB_TIME

#: UN/EDIFACT 1001 "Arrival information: message reporting the arrival details of goods".
ARRIVAL_INFORMATION = "98"


class CustomsMessageError(HubportError):
    """A customs message that cannot be written or read; the message names the field."""


def arrival_report_json(
    declaration: dict[str, Any], transport: dict[str, str | None], sender: str, location: str
) -> dict[str, Any]:
    if not declaration.get("arrived_at"):
        raise CustomsMessageError(
            f"declaration {declaration['declaration']} has no arrival report yet "
            f"(it is {declaration['state']})"
        )
    return {
        "message_id": f"{sender}-AR-{declaration['declaration']}",
        "message_type": "ARRIVAL_REPORT",
        "sender": sender,
        "customs_office": declaration["office"],
        "declaration": declaration["declaration"],
        "transport_means": transport,
        "location": location,
        "arrival_time": declaration["arrived_at"],
        "containers": list(declaration["boxes"]),
    }


def arrival_report_edifact(report: dict[str, Any], recipient: str, prepared: datetime) -> str:
    arrived = datetime.fromisoformat(report["arrival_time"]).astimezone(HUB_TIME)
    transport = report["transport_means"]
    document = Document(
        "CUSCAR",
        "D.95B",
        ARRIVAL_INFORMATION,
        report["message_id"][:35],
        "9",
        voyage=(transport.get("visit") or "")[:17],
        mode={"rail": "2", "road": "3", "river": "8"}.get(transport.get("mode") or "", ""),
        transport_id=(transport.get("visit") or "")[:17],
        places=(("60", report["location"]),),
        dates=(("178", arrived.replace(tzinfo=None)),),
        equipment=tuple(Equipment(number=number) for number in report["containers"]),
        reference="1",
    )
    reference = report["message_id"].replace("-", "")[-14:]
    envelope = Envelope(report["sender"], recipient, reference, prepared.replace(tzinfo=None))
    return write_interchange(envelope, [document])


__all__ = [
    "ARRIVAL_INFORMATION",
    "CustomsMessageError",
    "arrival_report_edifact",
    "arrival_report_json",
]
