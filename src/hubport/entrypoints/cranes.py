"""``hubport cranes`` and ``hubport crane-sim``: the cranes' state, and a virtual crane on
the MQTT equipment bus."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

cranes_app = typer.Typer(
    help="The gantry cranes: state, queues, finished moves.", no_args_is_help=True
)
console = Console()


@cranes_app.command("set-down")
def set_down(
    job: Annotated[str, typer.Argument(help="the failed job whose box hangs on the spreader")],
    at: Annotated[
        str | None,
        typer.Option(help="where the box was put, e.g. yard:A-05-01-1 (default: the job's own)"),
    ] = None,
    by: Annotated[str, typer.Option(help="who set it down, for the record")] = "",
) -> None:
    """Record that a person set down by hand the box of a crane lost with it aboard."""
    import getpass

    from hubport.domain.places import parse_place
    from hubport.entrypoints.bus_cli import print_result, send
    from hubport.services.crane_commands import SetDownByHand

    place = parse_place(at) if at else None
    print_result(send(SetDownByHand(job, place, by or getpass.getuser())), False)


@cranes_app.command("status")
def cranes_status() -> None:
    """Each crane's state, the job in hand, its queue and its last set-down."""
    from hubport.bootstrap import bootstrap

    hub = bootstrap()
    try:
        table = Table(title=f"cranes · {hub.site.name}")
        for column in (
            "crane",
            "state",
            "job in hand",
            "queue",
            "moves done",
            "last set-down",
            "at (m)",
            "when",
        ):
            table.add_column(column)
        for view in hub.queries.cranes():
            queue = ", ".join(view.queue[:3]) + (
                f" … +{len(view.queue) - 3}" if len(view.queue) > 3 else ""
            )
            table.add_row(
                view.crane,
                view.state,
                view.current or "-",
                queue or "-",
                str(view.done),
                view.last_place or "-",
                f"{view.last_x:.1f}" if view.last_x is not None else "-",
                view.last_done_at.isoformat(timespec="seconds") if view.last_done_at else "-",
            )
        console.print(table)
    finally:
        hub.close()


def crane_sim(
    crane: Annotated[str, typer.Option(help="the crane's id, as in the site file")],
    speed: Annotated[float, typer.Option(min=0.1, help="simulated seconds per real second")] = 10.0,
    seconds: Annotated[
        float | None, typer.Option(help="stop after this many real seconds (default: never)")
    ] = None,
    mqtt_url: Annotated[
        str | None,
        typer.Option(
            envvar="HUBPORT_CRANE_MQTT_URL",
            help="the crane's own broker login, mqtt[s]://CRANE:PASSWORD@host:port "
            "(default: HUBPORT_MQTT_URL)",
        ),
    ] = None,
) -> None:
    """Run one virtual crane on the MQTT broker (HUBPORT_MQTT_URL) until stopped."""
    from hubport.adapters.equipment.mqtt import parse_broker
    from hubport.bootstrap import bootstrap
    from hubport.config import Settings
    from hubport.twin.crane_sim import CraneSim

    settings = Settings()
    hub = bootstrap(settings)
    site = hub.site
    hub.close()
    url = mqtt_url or settings.mqtt_url
    sim = CraneSim(url, site, crane, speed)
    console.print(f"{crane} on {parse_broker(url).shown} at ×{speed:g}; Ctrl-C stops it")
    try:
        sim.run(seconds)
    except KeyboardInterrupt:
        sim.stopping.set()
    console.print(f"{crane}: {sim.controller.moves_done} moves done")
