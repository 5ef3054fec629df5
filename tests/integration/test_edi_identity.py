"""Identity is the authenticated caller, never the UNB sender a message writes of itself:
no account but the customs office's may place, lift or release through EDI, and an
account speaks only for the partner it is bound to."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from hubport.adapters import tables
from hubport.adapters.edi.folders import ensure_partner, scan
from tests.integration.app_hub import MINE, THEIRS, Api
from tests.integration.test_edi_gateway import cusres
from tests.unit.adapters.edi.messages import NUMBERS, coprar, line

_controls = itertools.count(1)


def _office(api: Api, accounts: str = '["customs-user"]') -> None:
    """The customs office CQJJ, as the documented set-up gives it: role customs, bound to
    its own account."""
    root = api.hub.settings.edi_root
    ensure_partner(root, "CQJJ")
    (root / "CQJJ" / "profile.toml").write_text(f'role = "customs"\naccounts = {accounts}\n')


def _holds(api: Api) -> list[Any]:
    with api.hub.engine.connect() as connection:
        rows = connection.execute(select(tables.customs_holds).order_by("id")).all()
    return [tuple(row) for row in rows]


def _status(api: Api) -> dict[str, str]:
    return {
        str(box.number): api.get(f"/api/containers/{box.number}", "operator").json()["customs"]
        for box in (MINE, THEIRS)
    }


def _hold(number: str, reference: str) -> str:
    control = f"S{next(_controls)}"
    return cusres(control, reference, "GIS+HLD", f"EQD+CN+{number}", "FTX+AAI+++spoofed")


def _lift(hold: str) -> str:
    control = f"S{next(_controls)}"
    return cusres(control, f"L{control}", "GIS+LFT", f"RFF+ACW:{hold}")


def test_an_operator_cannot_place_or_lift_a_hold_by_writing_customs_as_the_sender(
    api: Api,
) -> None:
    _office(api)
    placed = api.post(
        "/api/customs/holds", "customs", json={"box": str(THEIRS.number)} | {"hold": "H1"}
    )
    assert placed.status_code in (200, 201), placed.text
    before, status = _holds(api), _status(api)
    for text in (_hold(str(MINE.number), "SPOOFR1"), _lift("H1")):
        answer = api.post("/api/edi/messages", "operator", text=text)
        assert answer.status_code == 200 and answer.json()["status"] == "quarantined"
        assert "may not send customs responses" in answer.json()["problems"][0]
    assert _holds(api) == before and _status(api) == status


def test_the_customs_office_account_places_a_hold_through_edi(api: Api) -> None:
    _office(api)
    answer = api.post("/api/edi/messages", "customs", text=_hold(str(MINE.number), "R1"))
    assert answer.json()["status"] == "applied", answer.json()["problems"]
    assert _status(api)[str(MINE.number)] == "held"


def test_a_machine_account_speaks_only_for_the_partner_it_is_bound_to(api: Api) -> None:
    root = api.hub.settings.edi_root
    ensure_partner(root, "CRCT")
    order = coprar(line(NUMBERS[0]))
    refused = api.post("/api/edi/messages", "railway", text=order)
    assert refused.json()["status"] == "quarantined"
    assert "railway-user (railway) is not bound to partner" in refused.json()["problems"][0]
    (root / "CRCT" / "profile.toml").write_text('accounts = ["railway-user"]\n')
    accepted = api.post("/api/edi/messages", "railway", text=order)
    assert accepted.json()["status"] == "applied", accepted.json()["problems"]


def test_a_file_in_one_partners_folder_cannot_speak_for_another(api: Api) -> None:
    _office(api)
    inbox, _out = ensure_partner(api.hub.settings.edi_root, "CRCT")
    (inbox / "spoof.edi").write_text(_hold(str(MINE.number), "R9"))
    before = _holds(api)
    (receipt,) = scan(api.hub.edi_gateway().receive_from_folder, api.hub.settings.edi_root)
    assert receipt.status == "quarantined"
    assert "a file in CRCT's folder names UNB sender CQJJ" in receipt.problems[0]
    assert _holds(api) == before and (inbox / "quarantine" / "spoof.edi").exists()


ROLES_BUT_CUSTOMS = ("operator", "admin", "shipper", "viewer", "railway", "gate", "equipment")
ACTIONS = st.one_of(
    st.tuples(st.just("edi-hold"), st.sampled_from(ROLES_BUT_CUSTOMS)),
    st.tuples(st.just("edi-lift"), st.sampled_from(ROLES_BUT_CUSTOMS)),
    st.tuples(st.just("api-hold"), st.sampled_from(ROLES_BUT_CUSTOMS)),
    st.tuples(st.just("api-lift"), st.sampled_from(ROLES_BUT_CUSTOMS)),
    st.tuples(st.just("api-release"), st.sampled_from(ROLES_BUT_CUSTOMS)),
)


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(actions=st.lists(ACTIONS, min_size=1, max_size=6))
def test_no_sequence_of_calls_by_a_non_customs_account_changes_a_hold(
    api: Api, actions: list[tuple[str, str]]
) -> None:
    _office(api)
    if not _holds(api):
        api.post("/api/customs/holds", "customs", json={"box": str(THEIRS.number), "hold": "H1"})
    before, status = _holds(api), _status(api)
    for action, role in actions:
        if action == "edi-hold":
            api.post("/api/edi/messages", role, text=_hold(str(MINE.number), f"P{next(_controls)}"))
        elif action == "edi-lift":
            api.post("/api/edi/messages", role, text=_lift("H1"))
        elif action == "api-hold":
            api.post("/api/customs/holds", role, json={"box": str(MINE.number), "hold": "H2"})
        elif action == "api-lift":
            api.post("/api/customs/holds/H1/lift", role, json={"reason": "gone"})
        else:
            api.post("/api/customs/declarations/D1/release", role, json={"reason": "ok"})
    assert _holds(api) == before and _status(api) == status


def test_a_folder_carries_the_other_sender_ids_its_profile_lists(api: Api) -> None:
    root = api.hub.settings.edi_root
    inbox, _out = ensure_partner(root, "RAIL")
    (inbox.parent / "profile.toml").write_text('senders = ["CRCT"]\n')
    (inbox / "order.edi").write_text(coprar(line(NUMBERS[0])))
    (receipt,) = scan(api.hub.edi_gateway().receive_from_folder, root)
    assert receipt.status == "applied", receipt.problems
