"""A seeded synthetic year of corridor trains, for the statistics when no operations exist.

The totals aim at the site's published figures for 2024 (1,804 corridor trains sent, about
90,000 TEU). Each train is drawn on its own (service, day, TEU), so the report's totals are
computed from 1,804 records, not typed in. Service shares, seasonality and train sizes are
assumptions, listed here.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from hubport.domain.hub_time import HUB_TIME

#: Trains the site sent in 2024, and its TEU (DESIGN.md; issue 5).
TRAINS_2024 = 1_804
TEU_2024 = 90_000
#: Assumed: service, share of trains, mean TEU per train, origin, destination.
SERVICES = (
    ("Chongqing–Qinzhou rail–sea", 0.58, 50, "CNJGJ", "CNQZH"),
    ("China–Laos (Xiaonanya–Vientiane)", 0.22, 46, "CNJGJ", "LAVTE"),
    ("China–Europe (Yuxinou)", 0.09, 50, "CNJGJ", "DEDUI"),
    ("ASEAN Express (Chongqing–Malaysia)", 0.06, 42, "CNJGJ", "MYPBR"),
    ("Chongqing–Nong Khai direct", 0.04, 48, "CNJGJ", "THNKY"),
    ("Car train to South America (via Beibu Gulf)", 0.01, 84, "CNJGJ", "PECHY"),
)
#: Assumed monthly weights: the Spring Festival dip in February, a peak before year end.
MONTHS = (1.0, 0.6, 1.0, 1.0, 1.05, 1.05, 1.05, 1.05, 1.1, 1.0, 1.05, 1.05)
#: Assumed growth to the year after (for earlier or later synthetic years).
GROWTH = 0.12


def synthetic_runs(year: int, seed: int) -> list[dict[str, Any]]:
    """Train-run rows for ``year``: 1,804 in 2024, scaled by GROWTH per year from there."""
    rng = random.Random(f"hubport-corridor-{seed}-{year}")
    trains = round(TRAINS_2024 * (1 + GROWTH) ** (year - 2024))
    counts = _apportion(trains, [share for _, share, *_ in SERVICES])
    target_teu = TEU_2024 * (1 + GROWTH) ** (year - 2024)
    scale = target_teu / sum(n * mean for n, (_, _, mean, *_) in zip(counts, SERVICES, strict=True))
    start = datetime(year, 1, 1, tzinfo=HUB_TIME)
    month_days = [
        ((datetime(year + (m == 12), m % 12 + 1, 1) - datetime(year, m, 1)).days)
        for m in range(1, 13)
    ]
    month_weights = [weight * days for weight, days in zip(MONTHS, month_days, strict=True)]
    rows = []
    for index, ((service, _share, mean, origin, destination), count) in enumerate(
        zip(SERVICES, counts, strict=True)
    ):
        # Trains are spread over the months by the seasonal weights, then over the days.
        days = [
            sum(month_days[:month]) + rng.randrange(month_days[month])
            for month, trains in enumerate(_apportion(count, month_weights))
            for _ in range(trains)
        ]
        for number, day in enumerate(sorted(days)):
            departs = start + timedelta(days=day, hours=rng.choice((8, 14, 18, 22)))
            teu = max(10, round(rng.gauss(mean * scale, 6)))
            forty = rng.randint(teu // 4, teu // 2)
            rows.append(
                {
                    "id": f"SY{year}-S{index}-{number:04d}",
                    "service": service,
                    "direction": "outbound",
                    "origin": origin,
                    "destination": destination,
                    "arrived_at": departs - timedelta(hours=12),
                    "departed_at": departs,
                    "boxes_in": 0,
                    "teu_in": 0.0,
                    "boxes_out": teu - forty,
                    "teu_out": float(teu),
                    "source": f"synthetic:{seed}",
                }
            )
    return rows


def _apportion(total: int, shares: list[float]) -> list[int]:
    """Whole counts with the given shares that add up to ``total`` (largest remainder)."""
    exact = [total * share / sum(shares) for share in shares]
    counts = [int(value) for value in exact]
    order = sorted(range(len(shares)), key=lambda i: exact[i] - counts[i], reverse=True)
    for index in order[: total - sum(counts)]:
        counts[index] += 1
    return counts
