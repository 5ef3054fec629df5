"""Online stacking experiment: relocations per retrieval of each stacking policy.

    python benchmarks/stacking.py --weeks 8 --seed 1

Simulated traffic (seeded) through one yard block of stacks:
  * export boxes arrive by truck 6 to 72 hours before their corridor train and leave with it
    (the timetable is known, so their departure is known to the hour);
  * import boxes arrive by train and are collected by truck; half of them have an
    appointment (known time), the other half only their category's typical dwell;
  * a train's boxes are loaded in whatever order digs least: any of them on top goes first.
Relocated boxes are placed by the same policy. Prints a table and writes a bar chart to
benchmarks/results/stacking.png.
"""

from __future__ import annotations

import argparse
import heapq
import random
from dataclasses import dataclass, field
from pathlib import Path

from common import Report, progress

from hubport.planning.stacking_policy import (
    Box,
    DepartureAware,
    LowestStack,
    Policy,
    RandomStack,
    SameCategory,
)

TRAINS = ("QZH rail-sea", "VTE China-Laos", "SAO car train")


@dataclass
class Traffic:
    """Arrivals and departures: (time, kind, payload) with kind 'arrive', 'train' or 'pickup'."""

    events: list[tuple[float, int, str, object]] = field(default_factory=list)


def make_traffic(weeks: int, seed: int) -> Traffic:
    rng = random.Random(seed)
    traffic = Traffic()
    hours = weeks * 7 * 24
    ids = iter(range(1, 10**9))
    order = iter(range(10**9))
    # two outbound corridor trains a day, at 10:00 and 20:00, 18-30 boxes each
    for day in range(1, weeks * 7):
        for hour, line in ((10.0, TRAINS[day % 2]), (20.0, TRAINS[(day + 1) % 3])):
            departs = day * 24 + hour
            boxes = []
            for _ in range(rng.randint(18, 30)):
                arrive = departs - rng.uniform(6, 72)
                if arrive < 0:
                    continue
                box = Box(next(ids), departs, line)
                boxes.append(box)
                heapq.heappush(traffic.events, (arrive, next(order), "arrive", (box, box)))
            heapq.heappush(traffic.events, (departs, next(order), "train", boxes))
    # an inbound train a day at 06:00 with 20-30 import boxes collected by truck
    for day in range(weeks * 7 - 3):
        arrives = day * 24 + 6.0
        for _ in range(rng.randint(20, 30)):
            dwell = rng.gammavariate(2.0, 18.0) + 2.0
            pickup = arrives + dwell
            known = rng.random() < 0.5
            estimate = pickup if known else arrives + 38.0
            seen = Box(next(ids), estimate, "import")
            actual = Box(seen.id, pickup, "import")
            heapq.heappush(traffic.events, (arrives, next(order), "arrive", (seen, actual)))
            if pickup < hours:
                heapq.heappush(traffic.events, (pickup, next(order), "pickup", actual))
    return traffic


def simulate(policy: Policy, traffic: Traffic, stacks: int, height: int) -> dict[str, float]:
    yard: list[list[Box]] = [[] for _ in range(stacks)]
    where: dict[int, int] = {}
    retrievals = relocations = refused = 0
    peak = 0
    events = sorted(traffic.events)

    def place(box: Box, exclude: int | None) -> bool:
        chosen = policy.choose(yard, box, height, exclude)
        if chosen is None:
            return False
        yard[chosen].append(box)
        where[box.id] = chosen
        return True

    def dig(ids: set[int]) -> None:
        nonlocal retrievals, relocations, refused
        while ids:
            on_top = [i for i in ids if yard[where[i]][-1].id == i]
            if on_top:
                target = on_top[0]
            else:
                target = min(ids, key=lambda i: len(yard[where[i]]) - _level(yard, where, i))
            stack = where[target]
            while yard[stack][-1].id != target:
                moved = yard[stack].pop()
                relocations += 1
                if not place(moved, stack):
                    refused += 1
                    yard[stack].append(moved)
                    return
            yard[stack].pop()
            del where[target]
            ids.discard(target)
            retrievals += 1

    for _, _, kind, payload in events:
        if kind == "arrive":
            seen, _actual = payload
            if not place(seen, None):
                refused += 1
            peak = max(peak, len(where))
        elif kind == "train":
            dig({b.id for b in payload if b.id in where})
        elif payload.id in where:
            dig({payload.id})
    return {
        "retrievals": retrievals,
        "relocations": relocations,
        "per_retrieval": relocations / max(1, retrievals),
        "refused": refused,
        "peak_fill": peak / (stacks * height),
    }


def _level(yard: list[list[Box]], where: dict[int, int], box_id: int) -> int:
    return next(k for k, b in enumerate(yard[where[box_id]]) if b.id == box_id)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--stacks", type=int, default=40, help="stacks in the block")
    parser.add_argument("--height", type=int, default=5, help="tiers per stack")
    parser.add_argument("--markdown", action="store_true", help="also print a Markdown table")
    args = parser.parse_args()
    traffic = make_traffic(args.weeks, args.seed)
    policies: list[Policy] = [
        RandomStack(args.seed),
        LowestStack(),
        SameCategory(),
        DepartureAware(tolerance=0.0),
    ]
    results = {}
    with progress() as bar:
        task = bar.add_task("policies", total=len(policies))
        for policy in policies:
            results[policy.name] = simulate(policy, traffic, args.stacks, args.height)
            bar.advance(task)
    base = results["lowest stack"]["per_retrieval"]
    table = Report(
        f"{args.weeks} weeks, seed {args.seed}, {args.stacks} stacks x {args.height} tiers",
        [
            "policy",
            "retrievals",
            "relocations",
            "per retrieval",
            "vs lowest stack",
            "refused",
            "peak fill",
        ],
    )
    for name, r in results.items():
        table.add_row(
            name,
            f"{r['retrievals']:.0f}",
            f"{r['relocations']:.0f}",
            f"{r['per_retrieval']:.3f}",
            f"{100 * (r['per_retrieval'] - base) / base:+.1f}%",
            f"{r['refused']:.0f}",
            f"{100 * r['peak_fill']:.0f}%",
        )
    table.print(args.markdown)
    plot(results, Path(__file__).parent / "results" / "stacking.png")


def plot(results: dict[str, dict[str, float]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path.parent.mkdir(exist_ok=True)
    figure, axis = plt.subplots(figsize=(6, 3.2))
    names = list(results)
    axis.barh(names, [results[n]["per_retrieval"] for n in names], color="#4c72b0")
    axis.set_xlabel("relocations per retrieval")
    axis.set_title("Online stacking policies")
    axis.invert_yaxis()
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


if __name__ == "__main__":
    main()
