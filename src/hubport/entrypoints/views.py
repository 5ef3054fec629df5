"""Rich renderings of the yard, a container and the KPIs, for the command line."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text

from hubport.domain.events import (
    ContainerAnnounced,
    ContainerArrived,
    ContainerDeparted,
    ContainerMoved,
    ContainerUpdated,
    CustomsStatusChanged,
    Event,
    container_to_data,
)
from hubport.domain.places import StackKey
from hubport.domain.records import Record
from hubport.domain.site import Block, Site
from hubport.planning.load_plan import LoadPlan, LoadRequest

if TYPE_CHECKING:
    from hubport.adapters.event_log import LoggedEvent
    from hubport.services.queries import BayCell, YardOccupancy
    from hubport.twin.day_log import DayLog
    from hubport.twin.kpi import DayKpis


def block_grid(site: Site, block: Block, heights: dict[StackKey, int]) -> Text:
    """Stack heights of a block: a column per 20' bay, a line per row.

    Cyan cells have reefer plugs, magenta cells are the dangerous-goods zone, bold red
    stacks are full.
    """
    bays = list(block.ground_bays)
    text = Text(
        f"block {block.id}: stack heights per 20' bay (max {block.max_tiers} tiers)\n", style="bold"
    )
    text.append("bay   " + "".join(" " + f"{bay:02d}"[0] for bay in bays) + "\n", style="dim")
    text.append("      " + "".join(" " + f"{bay:02d}"[1] for bay in bays) + "\n", style="dim")
    for row in range(1, block.rows + 1):
        text.append(f"row {row:02d}")
        for bay in bays:
            height = heights.get(StackKey(block.id, bay, row), 0)
            style = ""
            if site.has_plug(block.id, bay, row):
                style = "cyan"
            if site.in_dangerous_goods_zone(block.id, bay, row):
                style = "magenta"
            if height == block.max_tiers:
                style = "bold red"
            text.append(" ")
            text.append("·" if height == 0 else str(height), style=style)
        text.append("\n")
    return text


def bay_section(block: Block, bay: int, cells: dict[tuple[int, int], BayCell]) -> Table:
    """One 20' bay's cross-section: rows across, tiers from the top down, box numbers."""
    table = Table(title=f"block {block.id}, bay {bay:02d}: rows across, tiers top down")
    table.add_column("tier", justify="right")
    for row in range(1, block.rows + 1):
        table.add_column(f"row {row:02d}")
    for tier in range(block.max_tiers, 0, -1):
        line = [str(tier)]
        for row in range(1, block.rows + 1):
            cell = cells.get((row, tier))
            line.append("" if cell is None else f"{cell.number} {cell.size_type}")
        table.add_row(*line)
    return table


def yard_summary(occupancy: YardOccupancy) -> Text:
    return Text(
        f"yard: {occupancy.boxes} boxes, {occupancy.teu} TEU of {occupancy.capacity_teu} "
        f"TEU slots ({100 * occupancy.share:.1f}%); {occupancy.on_carriers} on carriers or "
        f"spreaders; {occupancy.announced} announced"
    )


def container_card(record: Record) -> Table:
    container = record.container
    table = Table(title=f"container {container.number}", show_header=False)
    table.add_column("field", style="bold")
    table.add_column("value")
    leg = container.next_leg
    rows = [
        ("state", record.state.value),
        ("place", str(record.place) if record.place else "—"),
        ("size-type", f"{container.size_type.code} ({container.size_type.length_ft}')"),
        ("gross mass", f"{container.gross_mass_kg:,} kg"),
        ("full", "yes" if container.full else "empty"),
        ("operator", container.operator or "—"),
        (
            "reefer set-point",
            f"{container.reefer_setpoint_c} °C" if container.reefer_setpoint_c is not None else "—",
        ),
        ("IMDG class", container.imdg_class or "—"),
        ("customs", container.customs_status.value),
        (
            "next leg",
            f"{leg.mode.value} {leg.reference} due {leg.due:%Y-%m-%d %H:%M} "
            f"to {leg.destination or '?'}"
            if leg and leg.due
            else (leg.reference if leg else "—"),
        ),
    ]
    for name, value in rows:
        table.add_row(name, value)
    return table


def history_table(number: str, history: Sequence[LoggedEvent]) -> Table:
    table = Table(title=f"history of {number} ({len(history)} events)")
    table.add_column("time (hub)")
    table.add_column("event")
    table.add_column("detail")
    table.add_column("by")
    for logged in history:
        event = logged.event
        table.add_row(
            f"{event.at:%Y-%m-%d %H:%M:%S}",
            type(event).__name__,
            describe(event),
            logged.idempotency_key or logged.command,
        )
    return table


def container_data(record: Record, history: Sequence[LoggedEvent]) -> dict[str, Any]:
    """A box, its place and its history as JSON-ready data."""
    return {
        "number": record.container.number.value,
        "state": record.state.value,
        "place": None if record.place is None else str(record.place),
        "customs": record.container.customs_status.value,
        "container": container_to_data(record.container),
        "history": [
            {
                "at": logged.event.at.isoformat(),
                "event": type(logged.event).__name__,
                "detail": describe(logged.event),
                "by": logged.idempotency_key or logged.command,
                "payload": logged.event.to_payload(),
            }
            for logged in history
        ],
    }


def describe(event: Event) -> str:
    """One line saying what an event did."""
    if isinstance(event, ContainerAnnounced | ContainerUpdated):
        leg = event.container.next_leg
        return f"{event.container.size_type.code}, next leg {leg.reference if leg else '—'}"
    if isinstance(event, ContainerArrived):
        return f"at {event.place}"
    if isinstance(event, ContainerMoved):
        crane = event.crane or ("the river port" if "vessel" in event.reason else "?")
        return f"{event.origin} → {event.destination} by {crane} ({event.reason})"
    if isinstance(event, ContainerDeparted):
        return f"left from {event.place} with {event.visit}"
    if isinstance(event, CustomsStatusChanged):
        return f"{event.status.value}: {event.reason}"
    return ""


def kpi_table(kpis: DayKpis, log: DayLog) -> Table:
    table = Table(title="KPIs of the day")
    table.add_column("measure")
    table.add_column("value", justify="right")
    reasons = ", ".join(f"{reason} {count}" for reason, count in kpis.moves_by_reason.items())
    rows = [
        ("crane moves", f"{kpis.moves} ({reasons})"),
        (
            "moves per crane-hour",
            f"{kpis.moves_per_crane_hour:.1f} ({kpis.cranes} cranes over {kpis.span_hours:.1f} h)",
        ),
        ("crane busy share", f"{100 * kpis.crane_busy_share:.0f}%"),
        ("relocations", f"{kpis.relocations} ({kpis.relocations_per_retrieval:.2f} per retrieval)"),
        *(
            (f"train dwell {train}", f"{hours:.1f} h")
            for train, hours in kpis.train_dwell_hours.items()
        ),
        (
            "truck turn time",
            f"mean {kpis.truck_turn_mean_min:.0f} min, "
            f"max {kpis.truck_turn_max_min:.0f} min over {kpis.truck_visits} visits",
        ),
        (
            "shuttle trips",
            f"{kpis.shuttle_trips} to and from the river port's barge, "
            f"mean {kpis.shuttle_trip_mean_min:.0f} min",
        ),
        ("commands", f"{log.commands} ({log.repeats} already applied, acknowledged)"),
    ]
    for name, value in rows:
        table.add_row(name, value)
    return table


def train_table(kpis: DayKpis) -> Table:
    """Each train's visit: dwell, crane work, and how full the outbound ones left."""
    table = Table(title="trains of the day")
    for column in ("train", "dwell h", "handling h", "moves", "moves/train-h", "TEU", "mass"):
        table.add_column(column, justify="right")
    table.add_column("load plan")
    for train in kpis.trains:
        plan = ""
        if train.plan_status is not None:
            plan = train.plan_status + (f", {train.left_behind} left" if train.left_behind else "")
        table.add_row(
            train.train,
            f"{train.dwell_hours:.1f}",
            f"{train.handling_hours:.1f}",
            str(train.moves),
            f"{train.moves_per_train_hour:.0f}",
            "" if train.teu is None else str(train.teu),
            "" if train.mass_share is None else f"{100 * train.mass_share:.0f}%",
            plan,
        )
    return table


def plan_table(summary: dict[str, object], rows: list[dict[str, object]]) -> Table:
    """A bay plan: its figures in the title, one line per crane move."""
    proved = "proved optimal" if summary["optimal"] else f"bound {summary['lower_bound']}"
    table = Table(
        title=(
            f"block {summary['block']} bay {summary['bay']:0>2}: {summary['problem']}, "
            f"{summary['boxes']} boxes, {summary['relocations']} relocations ({proved})"
        )
    )
    for column in ("#", "move", "box", "from", "to"):
        table.add_column(column)
    for index, row in enumerate(rows, start=1):
        table.add_row(
            str(index), str(row["op"]), str(row["box"]), str(row["from"]), str(row.get("to", ""))
        )
    return table


def load_plan_tables(
    title: str, request: LoadRequest, plan: LoadPlan, document: dict[str, Any]
) -> list[Table]:
    """A train's load plan: its figures, wagon by wagon, and the boxes left behind."""
    summary = Table(title=title, show_header=False)
    for key in ("status", "loaded_teu", "bound_teu", "priority_teu", "gross_kg", "relocations"):
        summary.add_row(key, str(document[key]))
    summary.add_row("seconds", f"{plan.seconds:.2f}")
    wagons = Table("wagon", "slot", "box", "mass kg", "destination", title="wagon by wagon")
    for wagon in request.wagons:
        for placed in sorted(plan.of(wagon.id), key=lambda a: a.position):
            box = request.box(placed.box)
            wagons.add_row(
                wagon.id, placed.position, box.number, str(box.gross_kg), box.destination or ""
            )
    tables = [summary, wagons]
    if plan.left_behind:
        left = Table("box", "left behind because", title="left behind")
        for item in plan.left_behind:
            left.add_row(item.box, item.reason)
        tables.append(left)
    return tables
