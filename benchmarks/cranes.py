"""Crane scheduling against the published QCSP set (Kim & Park 2004; Meisel & Bierwirth 2011).

For every instance: the makespan of ``hubport solve qcsp``'s solver at --time-limit seconds
against the set's best-known and verified values, and the fixed-zone, nearest-job-first
baseline through the same timing code. Figures are printed, never asserted.

    python benchmarks/cranes.py [--time-limit 10] [--only kimpark]
"""

from __future__ import annotations

import argparse
import csv
import itertools

from common import SHARED
from rich.progress import track

from hubport.planning import qcsp
from hubport.planning.crane_schedule import Tables, decode, topological

SET = SHARED / "qcsp-meisel-kimpark"


def baseline(problem: qcsp.Problem) -> float:
    """Fixed zones (the rail cut at the cranes' midpoints) and nearest task first."""
    origins = [c.position for c in problem.cranes]
    cuts = [(a + b) / 2 for a, b in itertools.pairwise(origins)]
    crane_of = [sum(1 for cut in cuts if t.start_position > cut) for t in problem.tasks]
    priority = [0.0] * len(problem.tasks)
    for k in range(problem.crane_count):
        position, left, rank = origins[k], [i for i, c in enumerate(crane_of) if c == k], 0
        while left:
            nearest = min(left, key=lambda i: (abs(problem.tasks[i].start_position - position), i))
            priority[nearest] = rank * problem.crane_count + k
            position = problem.tasks[nearest].start_position
            left.remove(nearest)
            rank += 1
    tables = Tables(problem)
    return decode(tables, topological(tables, priority), crane_of).makespan(problem)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--only", default="", help="instances whose name contains this")
    args = parser.parse_args()
    known = {r["instance"]: r for r in csv.DictReader((SET / "best_known.csv").open())}
    rows = []
    for path in track(sorted((SET / "instances").glob("*.txt")), description="QCSP"):
        if args.only not in path.stem:
            continue
        problem = qcsp.read_instance(path)
        result = qcsp.solve(problem, args.time_limit)
        ref = known[path.stem]
        verified, published = float(ref["verified_makespan"]), float(ref["best_known_makespan"])
        rows.append(
            (path.stem, result.makespan, result.optimal, verified, published, baseline(problem))
        )
    print(
        f"{'instance':50} {'ours':>7} {'proved':>6} {'verified':>8} {'published':>9} "
        f"{'gap %':>6} {'baseline':>8}"
    )
    groups: dict[str, list[float]] = {}
    base_groups: dict[str, list[float]] = {}
    for name, ours, proved, verified, published, base in rows:
        gap = 100 * (ours - verified) / verified
        group = "Kim & Park" if name.startswith("kimpark") else "Meisel & Bierwirth"
        groups.setdefault(group, []).append(gap)
        base_groups.setdefault(group, []).append(100 * (base - verified) / verified)
        flag = "  below published" if ours < published - 1e-9 else ""
        print(
            f"{name:50} {ours:7g} {proved!s:>6} {verified:8g} {published:9g} {gap:6.2f} "
            f"{base:8g}{flag}"
        )
    for group, gaps in groups.items():
        base = base_groups[group]
        print(
            f"{group}: {len(gaps)} instances, gap to verified mean {sum(gaps) / len(gaps):.2f} %"
            f" max {max(gaps):.2f} %; baseline mean {sum(base) / len(base):.2f} %"
            f" max {max(base):.2f} %"
        )


if __name__ == "__main__":
    main()
