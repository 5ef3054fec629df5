"""What each of the hub's errors says to the one who asked: a status in the HTTP sense
and a stable code. The API answers with them, and the world's in-process client refuses
with them, so that both clients of the platform see the same refusals."""

from __future__ import annotations

from hubport.billing.domain.invoice import InvoiceNotFound, InvoiceRefused
from hubport.billing.domain.tariff import TariffError
from hubport.domain.access import AccessError
from hubport.domain.customs import CustomsRefused
from hubport.domain.errors import (
    ConcurrentUpdate,
    ContainerNotFound,
    CraneJobRefused,
    HubportError,
    InvalidOperation,
    PlaceOccupied,
    StackingRuleViolation,
    VisitError,
)
from hubport.domain.gate import GateRefused
from hubport.domain.hub_time import OutOfHorizon
from hubport.futures.domain.errors import DeliveryNotFound, DeliveryRefused, SlotRefused
from hubport.futures.services.handlers import RoleRefused as FuturesRoleRefused
from hubport.park.domain.errors import (
    ImportRefused,
    ParkError,
    RequestNotFound,
    RequestRefused,
    TaskRefused,
)
from hubport.park.services.handlers import ParkRoleRefused
from hubport.services.customs_handlers import RoleRefused
from hubport.services.messagebus import IdempotencyConflict

#: The hub's errors and what they answer: status and code (the first that matches).
STATUS: tuple[tuple[type[HubportError], int, str], ...] = (
    (ContainerNotFound, 404, "not_found"),
    (DeliveryNotFound, 404, "not_found"),
    (RequestNotFound, 404, "not_found"),
    (InvoiceNotFound, 404, "not_found"),
    (InvoiceRefused, 409, "invoice_refused"),
    (TariffError, 409, "tariff_refused"),
    (ParkRoleRefused, 403, "forbidden"),
    (RequestRefused, 409, "request_refused"),
    (ImportRefused, 400, "import_refused"),
    (TaskRefused, 409, "task_refused"),
    (ParkError, 409, "park_refused"),
    (RoleRefused, 403, "forbidden"),
    (FuturesRoleRefused, 403, "forbidden"),
    (SlotRefused, 409, "slot_refused"),
    (DeliveryRefused, 409, "delivery_refused"),
    (IdempotencyConflict, 409, "idempotency_conflict"),
    (ConcurrentUpdate, 409, "concurrent_update"),
    (CustomsRefused, 409, "customs_refused"),
    (GateRefused, 409, "gate_refused"),
    (VisitError, 409, "visit_conflict"),
    (InvalidOperation, 409, "invalid_operation"),
    (StackingRuleViolation, 409, "stacking_rule"),
    (PlaceOccupied, 409, "place_occupied"),
    (CraneJobRefused, 409, "crane_job_refused"),
    (AccessError, 400, "bad_user"),
    (OutOfHorizon, 400, "out_of_horizon"),
)


def classify(error: HubportError) -> tuple[int, str]:
    """The status and stable code a hub error answers."""
    for kind, status, code in STATUS:
        if isinstance(error, kind):
            return status, code
    return 400, "bad_request"


__all__ = ["STATUS", "classify"]
