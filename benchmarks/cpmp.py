"""Pre-marshalling on the DLTS test sets against their proven optima (best_moves).

    python benchmarks/cpmp.py --time-limit 1 [--per-group 250] [--groups 5x5_cv1_test ...]

Per group it prints our mean moves, the mean best_moves of the DLTS reference solutions
(proven optimal on 2 243 of the 2 250 test instances), the gap, how often we match the
optimum, how often we prove it, and seconds; and the greedy alone (no search) as the
baseline in the same run. Any plan shorter than a proven optimum is reported as a bug.
Per-instance rows go to benchmarks/results/cpmp.csv.
"""

from __future__ import annotations

import argparse
import csv
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from common import SHARED, Report, load_rows, mean, progress
from rich.console import Console

from hubport.domain.errors import InvalidBay
from hubport.planning import cpmp
from hubport.planning.bay_files import read_bay

DLTS = SHARED / "cpmp-dlts-hottung2020"
GROUPS = [f"{size}_cv{cv}_test" for size in ("5x5", "7x5", "10x5") for cv in (1, 2, 3)]


def reference() -> dict[tuple[str, str], tuple[int, bool]]:
    rows = csv.DictReader((DLTS / "dlts_reference_solutions_summary.csv").open())
    return {
        (r["group"], r["instance"]): (int(r["best_moves"]), r["status"] == "optimal") for r in rows
    }


def run_one(job: tuple[str, str, float]) -> dict[str, Any]:
    group, name, limit = job
    bay = read_bay(DLTS / "instances" / group / name)
    solution = cpmp.solve(bay, limit)
    started = time.perf_counter()
    try:
        greedy: int | None = cpmp.greedy(bay).count
    except InvalidBay:
        greedy = None  # the greedy alone can get stuck; the search never has here
    greedy_s = time.perf_counter() - started
    return {
        "group": group,
        "instance": name,
        "moves": solution.count,
        "lower_bound": solution.lower_bound,
        "optimal": solution.optimal,
        "seconds": round(solution.seconds, 4),
        "greedy": greedy,
        "greedy_seconds": round(greedy_s, 5),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=1.0, help="seconds per instance")
    parser.add_argument("--per-group", type=int, default=250, help="instances per group")
    parser.add_argument("--groups", nargs="*", default=GROUPS)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--from-csv", type=Path, help="report the rows of an earlier run instead of running"
    )
    parser.add_argument("--markdown", action="store_true", help="also print a Markdown table")
    args = parser.parse_args()
    if args.from_csv:
        report(load_rows(args.from_csv), reference(), args.time_limit, args.markdown)
        return
    jobs = [
        (group, f"{i}.dat", args.time_limit) for group in args.groups for i in range(args.per_group)
    ]
    results: list[dict[str, Any]] = []
    with progress() as bar, ProcessPoolExecutor(args.workers) as pool:
        task = bar.add_task(f"CPMP, {args.time_limit:g} s", total=len(jobs))
        for row in pool.map(run_one, jobs):
            results.append(row)
            bar.advance(task)
    out = Path(__file__).parent / "results" / "cpmp.csv"
    out.parent.mkdir(exist_ok=True)
    with out.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(results[0]))
        writer.writeheader()
        writer.writerows(results)
    report(results, reference(), args.time_limit, args.markdown)


def report(
    results: list[dict[str, Any]],
    ref: dict[tuple[str, str], tuple[int, bool]],
    limit: float,
    markdown: bool = False,
) -> None:
    by_group: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in results:
        by_group[row["group"]].append(row)
    table = Report(
        f"CPMP on the DLTS test sets, H = 7, {limit:g} s per instance",
        [
            "group",
            "n",
            "mean moves",
            "mean best_moves",
            "gap %",
            "= optimum",
            "proved",
            "mean s",
            "max s",
            "greedy gap %",
            "greedy s",
        ],
    )
    bugs = []
    for group in GROUPS:
        rows = by_group.get(group)
        if not rows:
            continue
        best = [ref[(group, r["instance"])][0] for r in rows]
        for r, b in zip(rows, best, strict=True):
            if r["moves"] < b and ref[(group, r["instance"])][1]:
                bugs.append(f"{group}/{r['instance']}: {r['moves']} below the optimum {b}")
        ours = mean([r["moves"] for r in rows])
        theirs = mean([float(b) for b in best])
        solved = [(r, b) for r, b in zip(rows, best, strict=True) if r["greedy"] is not None]
        greedy = mean([r["greedy"] for r, _ in solved])
        greedy_ref = mean([float(b) for _, b in solved])
        table.add_row(
            group,
            str(len(rows)),
            f"{ours:.3f}",
            f"{theirs:.3f}",
            f"{100 * (ours - theirs) / theirs:.2f}",
            str(sum(1 for r, b in zip(rows, best, strict=True) if r["moves"] == b)),
            str(sum(1 for r in rows if r["optimal"])),
            f"{mean([r['seconds'] for r in rows]):.3f}",
            f"{max(r['seconds'] for r in rows):.2f}",
            f"{100 * (greedy - greedy_ref) / greedy_ref:.2f} ({len(rows) - len(solved)} stuck)",
            f"{mean([r['greedy_seconds'] for r in rows]):.4f}",
        )
    table.print(markdown)
    Console(width=140).print(
        "below a proven optimum (bugs): " + ("none" if not bugs else "; ".join(bugs))
    )


if __name__ == "__main__":
    main()
