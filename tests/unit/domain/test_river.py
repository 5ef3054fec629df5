"""The river port as data and its rules: berth windows, the site's [river_port], and the
moves between a vessel, the shuttle road and the station."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hubport.domain.errors import InvalidOperation, InvalidPlace, SiteError, VisitError
from hubport.domain.inventory import Inventory
from hubport.domain.places import TruckSlot, VesselCell, YardSlot
from hubport.domain.river import VesselCall, check_call, read_river_port
from hubport.domain.site import Site
from hubport.domain.visits import TruckVisit
from tests.conftest import T0, at, box


def call(
    call_id: str = "B1", berth: str = "LH1", start_h: float = 0, hours: float = 8
) -> VesselCall:
    eta = T0 + timedelta(hours=start_h)
    etd = eta + timedelta(hours=hours)
    return VesselCall(call_id, "Minsheng 18", "barge", "V1", berth, eta, etd)


def test_a_call_leaves_after_it_arrives_and_has_a_usable_id() -> None:
    with pytest.raises(VisitError, match=r"departs .* before it arrives"):
        call(hours=-1)
    with pytest.raises(VisitError, match="contain no ':'"):
        call("B:1")
    with pytest.raises(VisitError, match="is not barge or ship"):
        VesselCall("B1", "x", "raft", "V", "LH1", T0, T0 + timedelta(hours=1))  # type: ignore[arg-type]


def test_berth_windows_may_touch_but_not_overlap(site: Site) -> None:
    port = site.river_port
    check_call(call("B2", start_h=8), port, [call("B1")])  # B1 leaves as B2 comes
    with pytest.raises(VisitError, match="taken by B1"):
        check_call(call("B2", start_h=7), port, [call("B1")])
    check_call(call("B3", berth="LH2", start_h=2), port, [call("B1")])  # another berth


def test_a_river_port_needs_its_names_and_a_berth() -> None:
    with pytest.raises(SiteError, match="locode is missing"):
        read_river_port({"name": "x", "code": "y", "berths": [{"id": "1", "length_m": 1}]}, "f")
    with pytest.raises(SiteError, match="at least one berth"):
        read_river_port({"name": "x", "code": "y", "locode": "CNLOH"}, "f")
    with pytest.raises(SiteError, match="defined twice"):
        berths = [{"id": "1", "length_m": 90}, {"id": "1", "length_m": 90}]
        read_river_port({"name": "x", "code": "y", "locode": "CNLOH", "berths": berths}, "f")
    assert read_river_port(None, "f") is None


def _alongside(site: Site) -> Inventory:
    inventory = Inventory(site)
    inventory.register_vessel(call(), at(0))
    inventory.vessel_berths("B1", at(0))
    inventory.announce(box(1), at(0))
    inventory.arrive(box(1).number, VesselCell("B1", 1, 1, 2), at(0), visit="B1")
    return inventory


def test_a_box_goes_between_vessel_and_station_only_by_shuttle(site: Site) -> None:
    inventory = _alongside(site)
    number = box(1).number
    with pytest.raises(InvalidOperation, match="by shuttle truck"):
        inventory.move(number, YardSlot("A", 3, 1, 1), at(1), crane="ARMG1")
    inventory.truck_arrives(TruckVisit("TV1", "渝A1"), at(1))
    with pytest.raises(InvalidOperation, match="only a shuttle truck works a vessel"):
        inventory.move(number, TruckSlot("TV1", "A"), at(2))
    inventory.truck_arrives(TruckVisit("SH1", "渝D1", shuttle=True, starts_at="river_port"), at(2))
    inventory.move(number, TruckSlot("SH1", "A"), at(3))
    assert inventory.shuttle_leaves("SH1", at(4)) == "station"
    with pytest.raises(InvalidPlace, match="on the road"):
        inventory.move(number, VesselCell("B1", 1, 1, 2), at(5))
    assert inventory.get(number).place == TruckSlot("SH1", "A"), "on the road, still a place"
    assert inventory.shuttle_reaches("SH1", at(6)) == "station"
    with pytest.raises(InvalidOperation, match="not at the river port"):
        inventory.move(number, VesselCell("B1", 1, 1, 2), at(7))
    inventory.move(number, YardSlot("A", 3, 1, 1), at(8), crane="ARMG1")


def test_the_station_cranes_do_not_work_a_shuttle_at_the_river_port(site: Site) -> None:
    inventory = _alongside(site)
    inventory.truck_arrives(TruckVisit("SH1", "渝D1", shuttle=True, starts_at="river_port"), at(1))
    with pytest.raises(InvalidOperation, match="works trucks at the station"):
        inventory.move(box(1).number, TruckSlot("SH1", "A"), at(2), crane="ARMG1")


def test_a_vessel_leaves_with_its_boxes_and_cannot_berth_twice(site: Site) -> None:
    inventory = _alongside(site)
    with pytest.raises(VisitError, match="cannot berth: it is on_site"):
        inventory.vessel_berths("B1", at(1))
    inventory.vessel_departs("B1", at(2))
    assert inventory.get(box(1).number).place is None
    assert inventory.vessel("B1").state == "departed"
