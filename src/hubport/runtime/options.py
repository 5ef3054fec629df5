"""How a runtime runs: its equipment, its clock's speed and start, its lease and the
cadence of its duties; the defaults suit a live hub."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from hubport.services.train_commands import LOAD_PLAN_S

EquipmentKind = Literal["mqtt", "virtual"]
#: Wall seconds a loop spends stepping virtual cranes before it renews, reacts and reads
#: the bus again: a clock faster than the cranes can follow makes them lag, never the
#: lease lapse.
STEP_BUDGET_S = 0.25


@dataclass(frozen=True)
class RuntimeOptions:
    """How a runtime runs; the defaults suit a live hub."""

    equipment: EquipmentKind = "mqtt"
    mqtt_url: str = "mqtt://127.0.0.1:1883"
    #: Hub seconds per wall second; None: the wall clock.
    speed: float | None = None
    #: Where a scaled clock starts (None: where the store's record ends).
    start: datetime | None = None
    lease_ttl_s: float = 10.0
    renew_every_s: float = 1.0
    react_every_s: float = 0.5
    edi_every_s: float = 2.0
    tick_s: float = 0.05
    edi_root: Path | None = None
    #: The railway's interchange id: each departed train's COARRI goes to it.
    railway: str = "CRCT"
    #: Wall seconds one turn may spend moving the virtual cranes on (then the clock's
    #: driver waits for them); None: they always catch up to the hub time, so a twin run
    #: does the same steps in the same order whatever the machine's speed.
    step_budget_s: float | None = STEP_BUDGET_S
    #: The load planner's budget for each outbound train (deterministic CP-SAT seconds).
    load_plan_s: float = LOAD_PLAN_S


__all__ = ["STEP_BUDGET_S", "EquipmentKind", "RuntimeOptions"]
