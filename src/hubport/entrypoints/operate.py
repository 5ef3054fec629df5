"""``hubport operate``: the hub's operating runtime, as a long-running process."""

from __future__ import annotations

import logging
import signal
import threading
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

if TYPE_CHECKING:
    from hubport.runtime.operate import Runtime

console = Console(stderr=True)


class EquipmentChoice(StrEnum):
    MQTT = "mqtt"
    VIRTUAL = "virtual"


def parse_start(text: str | None) -> datetime | None:
    """An ISO time (hub time when it has no zone); a clear error otherwise."""
    from hubport.domain.hub_time import HUB_TIME

    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not an ISO time such as 2026-12-01T06:00") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=HUB_TIME)


def make_runtime(
    equipment: str, speed: float | None, start: datetime | None, lease_ttl: float
) -> Runtime:
    """A runtime on the configured store, equipment bus and EDI folders."""
    from hubport.bootstrap import bootstrap
    from hubport.config import Settings
    from hubport.runtime.clock import RuntimeClock
    from hubport.runtime.identity import runtime_author
    from hubport.runtime.operate import Runtime, RuntimeOptions

    settings = Settings()
    clock = RuntimeClock(speed)
    hub = bootstrap(settings, clock=clock)
    hub.bus.author = runtime_author()
    options = RuntimeOptions(
        equipment="mqtt" if equipment == "mqtt" else "virtual",
        mqtt_url=settings.mqtt_url,
        speed=speed,
        start=start,
        lease_ttl_s=lease_ttl,
        edi_root=settings.edi_root,
        railway=settings.edi_railway,
    )
    return Runtime(hub, clock, options)


def operate(
    equipment: Annotated[
        EquipmentChoice,
        typer.Option(help="the cranes' controllers on the MQTT broker, or virtual ones in process"),
    ] = EquipmentChoice.MQTT,
    speed: Annotated[
        float | None,
        typer.Option(min=0.001, help="hub seconds per wall second (default: the wall clock)"),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option(help="with --speed: the hub time to start from (default: where it stopped)"),
    ] = None,
    lease_ttl: Annotated[
        float, typer.Option(min=1.0, help="seconds a lease lasts unless renewed")
    ] = 10.0,
    seconds: Annotated[
        float | None, typer.Option(min=0.1, help="stop after this many wall seconds")
    ] = None,
) -> None:
    """Run the hub: react to what the world sends (trains, trucks, EDI, customs), plan,
    and dispatch crane work to the cranes. A second one on the same store waits as a
    hot standby and takes over when the active one dies."""
    if start is not None and speed is None:
        raise typer.BadParameter("--start needs --speed (the wall clock starts now)")
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(message)s")
    runtime = make_runtime(equipment.value, speed, parse_start(start), lease_ttl)
    _stop_on_signals(runtime.stop)
    clock = "the wall clock" if speed is None else f"×{speed:g}"
    console.print(
        f"runtime {runtime.holder.id} for {runtime.hub.site.name} on "
        f"{runtime.hub.settings.database_url_shown}, {clock}, equipment {equipment.value}"
    )
    try:
        runtime.run(seconds)
    finally:
        runtime.hub.close()
    console.print(f"runtime {runtime.holder.id} stopped: {runtime.moves} moves")


def start_in_thread(equipment: str, speed: float | None, start: datetime | None = None) -> Runtime:
    """A runtime in a thread of this process (``hubport serve --operate`` and ``--live``)."""
    runtime = make_runtime(equipment, speed, start, 10.0)
    threading.Thread(target=runtime.run, name="hubport-runtime", daemon=True).start()
    return runtime


def _stop_on_signals(stop: threading.Event) -> None:
    def handler(_signum: int, _frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


__all__ = ["operate", "start_in_thread"]
