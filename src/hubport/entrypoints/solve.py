"""``hubport solve``: the yard optimisers on a bay file, for people and for scripts (--json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from hubport.domain.errors import InvalidPlan
from hubport.domain.places import yard_key
from hubport.entrypoints.views import load_plan_tables
from hubport.planning import brp, cpmp
from hubport.planning.bay import Bay, Move
from hubport.planning.bay_files import read_bay
from hubport.planning.brp import Variant

if TYPE_CHECKING:
    from hubport.planning.yard_bay import YardBay

solve_app = typer.Typer(
    help="Solve a bay (block relocation, pre-marshalling), a crane-scheduling instance or a "
    "train's load plan.",
    no_args_is_help=True,
)
console = Console()

FileArg = Annotated[Path, typer.Argument(help="bay file: Caserta–Voss / DLTS / BF layout")]
MaxHeight = Annotated[
    int | None, typer.Option(min=1, help="maximum stack height (default: the set's own rule)")
]


def _show(title: str, bay: Bay, fields: dict[str, object], moves: tuple[Move, ...]) -> None:
    table = Table(title=title, show_header=False)
    for key, value in fields.items():
        table.add_row(key, str(value))
    console.print(table)
    shown = ", ".join(
        f"{m.source}→{m.target}" if m.op == "relocate" else f"out {m.source}" for m in moves[:60]
    )
    more = f" … ({len(moves) - 60} more)" if len(moves) > 60 else ""
    console.print(
        f"[dim]{bay.boxes} boxes in {len(bay.stacks)} stacks, height ≤ {bay.max_height}[/]"
    )
    console.print(f"moves: {shown}{more}")


@solve_app.command("brp")
def solve_brp(
    file: FileArg,
    variant: Annotated[Variant, typer.Option(help="restricted or unrestricted")] = (
        Variant.RESTRICTED
    ),
    max_height: MaxHeight = None,
    time_limit: Annotated[
        float, typer.Option(min=0.001, help="seconds for the exact search")
    ] = 10.0,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """Retrieve every box in priority order with the fewest relocations."""
    bay = read_bay(file, max_height)
    solution = brp.solve(bay, variant, time_limit)
    fields: dict[str, object] = {
        "instance": file.name,
        "variant": variant.value,
        "max_height": bay.max_height,
        "relocations": solution.relocations,
        "lower_bound": solution.lower_bound,
        "optimal": solution.optimal,
        "seconds": round(solution.seconds, 3),
    }
    if as_json:
        print(json.dumps({**fields, "moves": [m.as_json() for m in solution.moves]}))
        return
    _show("block relocation", bay, fields, solution.moves)


@solve_app.command("cpmp")
def solve_cpmp(
    file: FileArg,
    max_height: MaxHeight = None,
    time_limit: Annotated[float, typer.Option(min=0.001, help="seconds for the search")] = 1.0,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """Re-sort a bay so that no box lies above a box that leaves later."""
    bay = read_bay(file, max_height)
    solution = cpmp.solve(bay, time_limit)
    fields: dict[str, object] = {
        "instance": file.name,
        "max_height": bay.max_height,
        "relocations": solution.count,
        "lower_bound": solution.lower_bound,
        "optimal": solution.optimal,
        "seconds": round(solution.seconds, 3),
    }
    if as_json:
        moves = [{"from": m.source, "to": m.target} for m in solution.moves]
        print(json.dumps({**fields, "moves": moves}))
        return
    _show("pre-marshalling", bay, fields, solution.moves)


@solve_app.command("qcsp")
def solve_qcsp(
    file: Annotated[Path, typer.Argument(help="QCSPgen instance file (Meisel–Bierwirth format)")],
    time_limit: Annotated[float, typer.Option(min=0.01, help="seconds for the search")] = 10.0,
    seed: Annotated[int, typer.Option(help="random seed of the search")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="print the JSON schedule")] = False,
) -> None:
    """Schedule cranes on one rail (non-crossing, safety margin) for the least makespan."""
    from hubport.planning import qcsp

    problem = qcsp.read_instance(file)
    result = qcsp.solve(problem, time_limit, seed)
    schedule = qcsp.schedule_json(problem, result)
    if as_json:
        print(json.dumps(schedule))
        return
    table = Table(title=f"crane schedule · {file.name}", show_header=False)
    for key in ("makespan", "lower_bound", "optimal", "seconds"):
        table.add_row(key, str(schedule[key]))
    console.print(table)
    for crane in range(problem.crane_count):
        tasks = result.schedule.sequence(crane)
        shown = ", ".join(f"{i + 1}@{result.schedule.start[i]:g}" for i in tasks)
        console.print(f"crane {crane + 1}: {shown or 'no tasks'}")


@solve_app.command("loadplan")
def solve_loadplan(
    file: Annotated[Path, typer.Argument(help="load-planning document (docs/load-planning.md)")],
    time_limit: Annotated[float, typer.Option(min=0.1, help="seconds for the search")] = 5.0,
    seed: Annotated[int, typer.Option(help="random seed of the search")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="print the plan as JSON")] = False,
) -> None:
    """Plan one train: booked boxes onto wagon slots (CP-SAT), every limit kept."""
    from hubport.adapters.site_file import wagon_types
    from hubport.planning.load_plan_file import plan_json, read_request
    from hubport.planning.load_planner import plan_load
    from hubport.planning.wagon_types import wagon_specs

    request = read_request(file, wagon_specs(wagon_types()))
    plan = plan_load(request, time_limit, seed)
    document = plan_json(request, plan)
    if as_json:
        print(json.dumps(document))
        return
    for table in load_plan_tables(f"load plan · {file.name}", request, plan, document):
        console.print(table)


def yard_plan_rows(plan: YardBay, moves: tuple[Move, ...]) -> list[dict[str, object]]:
    """The moves of a plan for a live bay, with box numbers and yard slots."""
    stacks = [list(stack) for stack in plan.boxes]
    rows: list[dict[str, object]] = []
    slot = yard_key
    for step, move in enumerate(moves, start=1):
        box = stacks[move.source].pop()
        source = slot(plan.block, plan.bay, move.source + 1, len(stacks[move.source]) + 1)
        if move.op == "retrieve":
            rows.append({"op": "retrieve", "box": box, "from": source})
            continue
        if move.target is None:
            raise InvalidPlan(step, "a relocation without a target stack")
        stacks[move.target].append(box)
        target = slot(plan.block, plan.bay, move.target + 1, len(stacks[move.target]))
        rows.append({"op": "relocate", "box": box, "from": source, "to": target})
    return rows
