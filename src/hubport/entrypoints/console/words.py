"""The platform's statuses, states and codes as the console shows them: each an English
message id (marked for extraction with ``N_``) that the catalogs translate."""

from __future__ import annotations


def N_(text: str) -> str:
    return text


#: Every group of words: the platform's value -> its English message id.
GROUPS: dict[str, dict[str, str]] = {
    "role": {
        "operator": N_("operator"),
        "customs": N_("customs officer"),
        "shipper": N_("shipper"),
        "viewer": N_("viewer"),
        "admin": N_("administrator"),
        "railway": N_("railway"),
        "gate": N_("gate portal"),
        "equipment": N_("crane equipment"),
        "exchange": N_("exchange"),
        "member": N_("exchange member"),
        "inspector": N_("inspector"),
        "park-admin": N_("park service office"),
        "department": N_("department"),
        "enterprise": N_("enterprise"),
    },
    "request_state": {
        "received": N_("received"),
        "assigned": N_("assigned"),
        "claimed": N_("claimed"),
        "in_progress": N_("in progress"),
        "answered": N_("answered"),
        "closed": N_("verified and closed"),
        "reopened": N_("reopened"),
        "returned": N_("returned to the desk"),
    },
    "urgency": {
        "normal": N_("normal"),
        "urgent": N_("urgent"),
        "critical": N_("critical"),
    },
    "kpi": {
        "completion_rate": N_("completion rate"),
        "on_time_rate": N_("on-time rate"),
        "satisfaction": N_("satisfaction"),
        "reopen_rate": N_("reopen rate"),
    },
    "delivery_state": {
        "matched": N_("matched"),
        "booked": N_("slot booked"),
        "arrived": N_("goods arrived"),
        "inspected": N_("inspected"),
        "handed_over": N_("handed over"),
        "settled": N_("settled"),
        "disputed": N_("disputed"),
        "defaulted": N_("defaulted"),
    },
    "deadline": {
        "arrival": N_("goods at the site"),
        "handover": N_("handover"),
        "first payment": N_("first payment"),
        "final payment": N_("final payment"),
    },
    "box_state": {
        "announced": N_("announced"),
        "in_hub": N_("in the hub"),
        "departed": N_("departed"),
    },
    "customs": {
        "not_required": N_("not required"),
        "declared": N_("declared"),
        "arrived": N_("arrived"),
        "held": N_("held"),
        "released": N_("released"),
        "undeclared": N_("undeclared"),
    },
    "declaration": {
        "lodged": N_("lodged"),
        "arrived": N_("arrival reported"),
        "selected": N_("selected for inspection"),
        "released": N_("released"),
        "cancelled": N_("cancelled"),
        "undeclared": N_("undeclared"),
    },
    "declaration_kind": {
        "import": N_("import"),
        "export": N_("export"),
        "transit": N_("transit"),
    },
    "hold_kind": {
        "hold": N_("hold"),
        "inspection": N_("inspection"),
    },
    "crane": {
        "working": N_("working"),
        "idle": N_("idle"),
        "fault": N_("fault"),
    },
    "train_state": {
        "expected": N_("expected"),
        "on_site": N_("on the track"),
        "departed": N_("departed"),
    },
    "vessel": {
        "expected": N_("expected"),
        "on_site": N_("at the berth"),
        "departed": N_("departed"),
    },
    "shuttle": {
        "station": N_("at the station"),
        "river_port": N_("at the river port"),
        "road": N_("on the road"),
    },
    "direction": {
        "inbound": N_("inbound"),
        "outbound": N_("outbound"),
    },
    "spot": {
        "on_wagon": N_("on the wagon"),
        "to_load": N_("to load"),
        "in_hand": N_("in the crane"),
        "loaded": N_("loaded"),
        "to_discharge": N_("to discharge"),
        "discharged": N_("discharged"),
        "failed": N_("failed"),
    },
    "alarm": {
        "EquipmentAlarm": N_("equipment alarm"),
        "UndeclaredArrival": N_("undeclared arrival"),
        "GateException": N_("gate exception"),
    },
    "mode": {
        "rail": N_("rail"),
        "sea": N_("sea"),
        "river": N_("river"),
        "road": N_("road"),
        "truck": N_("truck"),
    },
    "cost": {
        "freight": N_("freight"),
        "handling": N_("handling"),
        "port": N_("port"),
        "customs": N_("customs"),
        "trucking": N_("trucking"),
        "storage": N_("storage"),
    },
    "error": {
        "unauthorised": N_("Log in with a valid token."),
        "too_many_failures": N_("Too many failed logins from here; wait a minute and try again."),
        "forbidden": N_("Your role may not do this."),
        "not_found": N_("Nothing of that name is known."),
        "invalid": N_("The request is not valid."),
        "bad_request": N_("The request is not valid."),
        "idempotency_conflict": N_("This request was already made with other content."),
        "concurrent_update": N_("Someone changed this at the same moment; try again."),
        "customs_refused": N_("Customs does not allow this."),
        "gate_refused": N_("The gate refuses this."),
        "visit_conflict": N_("The train or truck visit does not allow this."),
        "invalid_operation": N_("The hub's rules do not allow this."),
        "stacking_rule": N_("A stacking rule forbids this."),
        "place_occupied": N_("That place is taken."),
        "crane_job_refused": N_("The crane job is refused."),
        "bad_user": N_("The user is not valid."),
        "delivery_refused": N_("The delivery rules do not allow this."),
        "slot_refused": N_("The slot cannot be booked."),
        "request_refused": N_("The request's rules do not allow this."),
        "import_refused": N_("The import is refused; nothing was imported."),
        "quote_refused": N_("No quote can be given for this request."),
        "invalid_request": N_("The request is not valid."),
        "out_of_horizon": N_("That day or time is outside the hub's horizon."),
        "internal_error": N_("The hub failed to answer this request; its log has the cause."),
        "method_not_allowed": N_("The request is not valid."),
        "http_error": N_("The request is not valid."),
    },
}

__all__ = ["GROUPS", "N_"]
