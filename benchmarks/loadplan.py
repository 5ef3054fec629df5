"""Train load planning: CP-SAT against first-fit decreasing on seeded 50-wagon trains.

No public instance set with best-known values exists for train load planning, so each
instance's anchor is CP-SAT's own proof (optimal) or its bound. Each instance is a train of
50 NX70A wagons and 100-200 candidate boxes of mixed 20'/40'/45', with masses, committed
and spare bookings, a few dangerous goods and customs holds, a split point, and yard
stacks (so that fetching a box may need relocations). Figures are printed, not asserted.

    python benchmarks/loadplan.py [--instances 10] [--time-limit 5]
"""

from __future__ import annotations

import argparse
import random
from dataclasses import replace

from common import Report, mean, progress
from stdnum import iso6346

from hubport.adapters.site_file import wagon_types
from hubport.planning.load_plan import LoadBox, LoadRequest, Split, TrainLimits
from hubport.planning.load_plan_baseline import first_fit_decreasing
from hubport.planning.load_planner import plan_load, relocations
from hubport.planning.wagon_types import wagon_specs

WAGONS = 50
#: Rail positions of the yard's stacks: 3 blocks of 30 bays, 6.5 m a bay.
STACK_X = [8.0 + 6.5 * bay + 200.0 * (block % 2) for block in range(3) for bay in range(30)]


def instance(seed: int) -> LoadRequest:
    rng = random.Random(seed)
    nx70a = wagon_specs(wagon_types())["NX70A"]
    wagons = tuple(
        replace(nx70a, id=f"W{i + 1:02d}", x_m=(15.4 * i + 7.7) % 400.0) for i in range(WAGONS)
    )
    count = rng.randint(100, 200)
    stacks: dict[int, list[str]] = {}
    boxes = []
    for i in range(count):
        stem = f"BMRK{seed:02d}{i:04d}"
        number = stem + iso6346.calc_check_digit(stem)
        length = rng.choices([20, 40, 45], [0.45, 0.45, 0.10])[0]
        stack = rng.randrange(len(STACK_X))
        stacks.setdefault(stack, []).append(number)
        boxes.append(
            LoadBox(
                number,
                length,
                rng.randint(3_000, 30_480 if length == 20 else 32_500),
                priority=int(rng.random() < 0.5),
                imdg_class=rng.choice(["3", "8", "9"]) if rng.random() < 0.05 else None,
                hold=rng.random() < 0.03,
                destination="LAVTE" if rng.random() < 0.15 else None,
                yard_x_m=STACK_X[stack],
            )
        )
    # each stack also holds boxes of other trains, two in three of them on top
    above: dict[str, tuple[str, ...]] = {}
    for stack, numbers in stacks.items():
        others = [f"OTHR{stack:03d}{k}" for k in range(rng.choice([0, 1, 1, 2]))]
        column = numbers + others
        rng.shuffle(column)
        for k, number in enumerate(column):
            above[number] = tuple(column[k + 1 :])
    boxes = [replace(b, blocked_by=above[b.number]) for b in boxes]
    limits = TrainLimits(max_gross_kg=3_000_000, max_length_m=800.0, max_pair_difference_kg=5_000)
    split = Split("LAVTE", tuple(w.id for w in wagons[-10:]))
    return LoadRequest(limits, wagons, tuple(boxes), {"9": 0}, (split,))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--instances", type=int, default=10)
    parser.add_argument("--time-limit", type=float, default=5.0)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    report = Report(
        f"train load planning, {WAGONS} wagons, {args.time_limit:g} s (CP-SAT vs first-fit)",
        [
            "seed",
            "boxes",
            "status",
            "TEU",
            "bound",
            "gap %",
            "FFD TEU",
            "mass %",
            "FFD mass %",
            "relocations",
            "FFD reloc.",
            "s",
        ],
    )
    gaps, fewer, relocation_pairs, proved = [], 0, [], 0
    with progress() as bar:
        task = bar.add_task("load plans", total=args.instances)
        for seed in range(1, args.instances + 1):
            request = instance(seed)
            ours = plan_load(request, args.time_limit, seed=0)
            base = first_fit_decreasing(request)
            payload = sum(w.payload_kg for w in request.wagons)
            ours_mass = sum(request.box(a.box).gross_kg for a in ours.assignments) / payload
            base_mass = sum(request.box(a.box).gross_kg for a in base.assignments) / payload
            gap = 100.0 * (ours.bound_teu - ours.loaded_teu) / max(ours.bound_teu, 1)
            gaps.append(gap)
            proved += ours.status == "optimal"
            fewer += ours.loaded_teu < base.loaded_teu
            ours_reloc = relocations(request, ours.assignments)
            base_reloc = relocations(request, base.assignments)
            relocation_pairs.append((ours_reloc, base_reloc))
            report.add_row(
                str(seed),
                str(len(request.boxes)),
                ours.status,
                str(ours.loaded_teu),
                str(ours.bound_teu),
                f"{gap:.2f}",
                str(base.loaded_teu),
                f"{100 * ours_mass:.1f}",
                f"{100 * base_mass:.1f}",
                str(ours_reloc),
                str(base_reloc),
                f"{ours.seconds:.1f}",
            )
            bar.advance(task)
    report.print(args.markdown)
    total_ours = sum(o for o, _ in relocation_pairs)
    total_base = sum(b for _, b in relocation_pairs)
    cut = 100.0 * (1 - total_ours / total_base) if total_base else 0.0
    print(f"proved optimal: {proved}/{args.instances}; mean gap to bound {mean(gaps):.2f} %")
    print(f"instances where CP-SAT loads fewer TEU than first-fit: {fewer}")
    print(f"relocations: CP-SAT {total_ours}, first-fit {total_base} ({cut:.0f} % fewer)")


if __name__ == "__main__":
    main()
