"""``hubport world``: the simulated world (railway, hauliers, gate portal) driving a
running platform through its HTTP API, on the hub clock its runtime keeps."""

from __future__ import annotations

import functools
import threading
from datetime import datetime
from typing import Annotated

import typer
from rich.console import Console

from hubport.twin.client import HttpHubClient
from hubport.twin.traffic import DayTraffic
from hubport.twin.world import WorldLog

console = Console()

#: Roles the world acts in; one admin token may stand for all of them.
WORLD_ROLES = (
    "railway",
    "gate",
    "operator",
    "customs",
    "equipment",
    "exchange",
    "member",
    "inspector",
    "billing",
)


def day_of(moment: datetime) -> int:
    """The traffic day (1-based, days starting 06:00 from the demo's first) of ``moment``."""
    from hubport.entrypoints.demo import FIRST_DAY

    return max(1, int((moment - FIRST_DAY).total_seconds() // 86_400) + 1)


def play_days(
    client: HttpHubClient,
    seed: int,
    days: int | None,
    first: int | None = None,
    stop: threading.Event | None = None,
    show: Console | None = None,
) -> WorldLog:
    """Play day after day from ``first`` (default: the hub's day now), ``days`` of them
    or until stopped."""
    from hubport.entrypoints.demo import FIRST_DAY
    from hubport.twin.traffic import generate_day
    from hubport.twin.world import World, hub_clock
    from hubport.twin.world_futures import LogDeliveries
    from hubport.twin.world_payments import LinesPay

    @functools.lru_cache(maxsize=4)
    def traffic_of(day: int) -> DayTraffic:
        return generate_day(day, seed, FIRST_DAY)

    now = hub_clock(client)
    start = first or day_of(now())
    last = None if days is None else start + days - 1
    # log-futures deliveries at Luohuang: the first day's, then a few a month
    deliveries = LogDeliveries(client, seed, always=frozenset({start}))
    world = World(
        client, traffic_of, start, last, futures=deliveries, payers=LinesPay(client, seed)
    )
    halt = stop or threading.Event()
    shown: set[int] = set()

    def progress(moment: datetime) -> None:
        day = day_of(moment)
        if show is not None and day not in shown and day in world.days:
            shown.add(day)
            traffic = world.days[day]
            show.print(
                f"day {day}: {len(traffic.inbound)} trains in, {len(traffic.outbound)} out, "
                f"{sum(not call.truck.shuttle for call in traffic.trucks)} trucks"
            )

    log = world.run(now, stop=halt.is_set, progress=progress)
    if show is not None:
        turns = sorted(log.truck_turns_s)
        median = turns[len(turns) // 2] / 60 if turns else float("nan")
        show.print(
            f"played: {log.trains_in} trains in, {log.trains_out} out, {log.trucks_out} trucks "
            f"(median turn {median:.0f} min), {len(log.turned_away)} turned away, "
            f"{len(log.refused)} refusals, {log.unfinished} unfinished"
        )
    return log


def world(
    api: Annotated[str, typer.Option(help="the platform's URL, e.g. http://127.0.0.1:8000")],
    token: Annotated[
        str, typer.Option(help="a token whose role may act for the world (admin: every actor)")
    ],
    days: Annotated[int | None, typer.Option(min=1, help="days to play (default: go on)")] = 1,
    day: Annotated[
        int | None, typer.Option(min=1, help="the traffic day to start with (default: today's)")
    ] = None,
    seed: Annotated[int | None, typer.Option(help="traffic seed (default HUBPORT_SEED)")] = None,
) -> None:
    """Play the site's traffic against a running platform: trains by the timetable with
    their consists and discharge orders, export boxes pre-advised, trucks on appointments
    through the gate. The runtime (``hubport operate``) does the rest."""
    from hubport.config import Settings

    client = HttpHubClient(api, {role: token for role in WORLD_ROLES})
    settings = Settings()
    play_days(client, settings.seed if seed is None else seed, days, day, show=console)


__all__ = ["day_of", "play_days", "world"]
