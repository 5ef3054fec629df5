"""Block relocation on all 840 Caserta–Voss instances against the published optima.

    python benchmarks/brp.py --time-limit 10 --variant restricted
    python benchmarks/brp.py --time-limit 5 --variant unrestricted

Per class it prints the mean relocations of the exact solver (anytime: its best at the time
limit), the mean published (restricted, Galle et al. 2018) or measured (unrestricted, the
Jin & Tanaka 2023 solver at 5 s) optimum over the instances where one is known, the
instances proved optimal, the gap, and seconds; then the rollout heuristic and the plain
min-max baseline in the same run. Any result below a proven optimum is reported as a bug.
Per-instance rows go to benchmarks/results/brp-<variant>.csv.
"""

from __future__ import annotations

import argparse
import csv
import re
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from common import SHARED, Report, load_rows, mean, progress
from rich.console import Console

from hubport.planning import brp
from hubport.planning.bay_files import read_bay
from hubport.planning.brp import Variant

CV = SHARED / "brp-caserta-cv"
NAME = re.compile(r"data(\d+)-(\d+)-(\d+)\.dat")


def known_optima(variant: Variant) -> dict[str, int]:
    if variant is Variant.RESTRICTED:
        rows = csv.DictReader((CV / "cv_restricted_per_instance_DERIVED.csv").open())
        return {r["instance"]: int(r["restricted_opt"]) for r in rows if r["restricted_opt"]}
    rows = csv.DictReader((CV / "cv_unrestricted_jin_tanaka2023_measured.csv").open())
    return {r["instance"]: int(r["unrestricted_best"]) for r in rows if r["optimal"] == "True"}


def run_one(job: tuple[str, str, float]) -> dict[str, Any]:
    name, variant_name, limit = job
    variant = Variant(variant_name)
    bay = read_bay(CV / "instances" / name)
    exact = brp.solve(bay, variant, limit)
    heuristic = brp.heuristic(bay, variant)
    pilot = brp.rollout(bay)
    started = time.perf_counter()
    baseline = brp.greedy_baseline(bay)
    baseline_s = time.perf_counter() - started
    return {
        "instance": name,
        "relocations": exact.relocations,
        "lower_bound": exact.lower_bound,
        "optimal": exact.optimal,
        "seconds": round(exact.seconds, 4),
        "heuristic": heuristic.relocations,
        "heuristic_seconds": round(heuristic.seconds, 5),
        "rollout": pilot.relocations,
        "rollout_seconds": round(pilot.seconds, 5),
        "baseline": baseline,
        "baseline_seconds": round(baseline_s, 5),
    }


def class_of(name: str) -> tuple[int, int]:
    match = NAME.match(name)
    assert match
    return int(match.group(1)), int(match.group(2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds per instance")
    parser.add_argument("--variant", choices=[v.value for v in Variant], default="restricted")
    parser.add_argument("--classes", nargs="*", help="e.g. 5-5 6-6 (default: all 21)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--from-csv", type=Path, help="report the rows of an earlier run instead of running"
    )
    parser.add_argument("--markdown", action="store_true", help="also print Markdown tables")
    args = parser.parse_args()
    variant = Variant(args.variant)
    optima = known_optima(variant)
    if args.from_csv:
        report(variant, load_rows(args.from_csv), optima, args.time_limit, args.markdown)
        return
    names = sorted(
        (p.name for p in (CV / "instances").glob("data*.dat")),
        key=lambda n: (class_of(n), int(NAME.match(n).group(3))),
    )
    if args.classes:
        names = [n for n in names if "{}-{}".format(*class_of(n)) in args.classes]
    results: list[dict[str, Any]] = []
    with progress() as bar, ProcessPoolExecutor(args.workers) as pool:
        task = bar.add_task(f"{variant.value} BRP, {args.time_limit:g} s", total=len(names))
        jobs = [(n, variant.value, args.time_limit) for n in names]
        for row in pool.map(run_one, jobs):
            results.append(row)
            bar.advance(task)
    out = Path(__file__).parent / "results" / f"brp-{variant.value}.csv"
    out.parent.mkdir(exist_ok=True)
    with out.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(results[0]))
        writer.writeheader()
        writer.writerows(results)
    report(variant, results, optima, args.time_limit, args.markdown)


def report(
    variant: Variant,
    results: list[dict[str, Any]],
    optima: dict[str, int],
    limit: float,
    markdown: bool = False,
) -> None:
    console = Console(width=160)
    by_class: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
    for row in results:
        by_class[class_of(str(row["instance"]))].append(row)
    reference = "published" if variant is Variant.RESTRICTED else "Jin-Tanaka"
    table = Report(
        f"{variant.value} BRP on Caserta-Voss, H = tiers + 2, {limit:g} s per instance",
        [
            "class",
            "n",
            "mean relocs",
            f"known opt ({reference})",
            "mean opt (known)",
            "ours on known",
            "gap %",
            "proved",
            "proved known",
            "mean s",
            "max s",
            "heuristic gap %",
            "heur. mean s",
            "heur. max s",
            "rollout gap %",
            "baseline/ours",
        ],
    )
    bugs: list[str] = []
    totals = defaultdict(int)
    for key in sorted(by_class):
        rows = by_class[key]
        known = [r for r in rows if r["instance"] in optima]
        for r in known:
            if int(r["relocations"]) < optima[str(r["instance"])]:
                bugs.append(f"{r['instance']}: {r['relocations']} below optimum")
            if r["optimal"] and int(r["relocations"]) != optima[str(r["instance"])]:
                bugs.append(f"{r['instance']}: proved {r['relocations']}, optimum differs")
        ours_known = mean([float(r["relocations"]) for r in known])
        opt_known = mean([float(optima[str(r["instance"])]) for r in known])
        proved_known = sum(1 for r in known if r["optimal"])
        ratio = sum(int(r["baseline"]) for r in rows) / max(
            1, sum(int(r["relocations"]) for r in rows)
        )
        fast = mean([float(r["heuristic"]) for r in known])
        rollout = mean([float(r["rollout"]) for r in known])
        totals["n"] += len(rows)
        totals["known"] += len(known)
        totals["proved"] += sum(1 for r in rows if r["optimal"])
        totals["proved_known"] += proved_known
        totals["known_over_limit"] += sum(
            1 for r in known if r["optimal"] and float(r["seconds"]) > limit
        )
        table.add_row(
            f"{key[0]}-{key[1]}",
            str(len(rows)),
            f"{mean([float(r['relocations']) for r in rows]):.3f}",
            f"{len(known)}",
            f"{opt_known:.3f}",
            f"{ours_known:.3f}",
            f"{100 * (ours_known - opt_known) / opt_known:.2f}" if known else "-",
            str(sum(1 for r in rows if r["optimal"])),
            f"{proved_known}/{len(known)}",
            f"{mean([float(r['seconds']) for r in rows]):.3f}",
            f"{max(float(r['seconds']) for r in rows):.2f}",
            f"{100 * (fast - opt_known) / opt_known:.2f}" if known else "-",
            f"{mean([float(r['heuristic_seconds']) for r in rows]):.4f}",
            f"{max(float(r['heuristic_seconds']) for r in rows):.3f}",
            f"{100 * (rollout - opt_known) / opt_known:.2f}" if known else "-",
            f"{ratio:.3f}",
        )
    table.print(markdown)
    console.print(
        f"proved optimal: {totals['proved']}/{totals['n']}; known optima reached and proved: "
        f"{totals['proved_known']}/{totals['known']}"
    )
    console.print("below a proven optimum (bugs): " + ("none" if not bugs else "; ".join(bugs)))


if __name__ == "__main__":
    main()
