"""An independent checker of QCSP schedules in the benchmark's JSON form.

Written from the rules in the benchmark's README, apart from the solver: it reads the
instance file itself and shares no code with ``hubport.planning``.
"""

from __future__ import annotations

import itertools
from pathlib import Path

TOLERANCE = 1e-6


def read(path: Path) -> dict[str, object]:
    rows = [r.strip() for r in path.read_text().splitlines() if r.strip()]
    n, _bays, _phi, _psi, q, t, s = (int(v) for v in rows[0].split(","))
    phi_at, psi_at = rows.index("Phi:"), rows.index("Psi:")
    return {
        "n": n,
        "q": q,
        "t": t,
        "s": s,
        "p": [int(v) for v in rows[1].split(",")],
        "l": [int(v) for v in rows[2].split(",")],
        "r": [int(v) for v in rows[3].split(",")],
        "l0": [int(v) for v in rows[4].split(",")],
        "phi": [tuple(int(v) for v in r.split(",")) for r in rows[phi_at + 1 : psi_at]],
        "psi": [tuple(int(v) for v in r.split(",")) for r in rows[psi_at + 1 : rows.index("end.")]],
    }


def _at(path: list[list[float]], moment: float) -> float:
    if moment <= path[0][0]:
        return path[0][1]
    for (t0, x0), (t1, x1) in itertools.pairwise(path):
        if t0 <= moment <= t1:
            return x1 if t1 == t0 else x0 + (x1 - x0) * (moment - t0) / (t1 - t0)
    return path[-1][1]


def violations(instance_file: Path, schedule: dict) -> list[str]:
    """Every rule the schedule breaks (empty when it is valid)."""
    data = read(instance_file)
    n, q, t, s = data["n"], data["q"], data["t"], data["s"]
    p, bay, r, l0 = data["p"], data["l"], data["r"], data["l0"]
    found: list[str] = []
    start: dict[int, float] = {}
    crane_of: dict[int, int] = {}
    paths: dict[int, list[list[float]]] = {}
    for entry in schedule["cranes"]:
        k = entry["crane"]
        if not 1 <= k <= q or k in paths:
            found.append(f"crane {k} unknown or listed twice")
            continue
        for item in entry["tasks"]:
            if item["task"] in start:
                found.append(f"task {item['task']} scheduled twice")
            start[item["task"]] = item["start"]
            crane_of[item["task"]] = k
        paths[k] = entry.get("path") or []
    if sorted(start) != list(range(1, n + 1)):
        found.append("not every task is scheduled exactly once")
        return found
    for k in range(1, q + 1):
        path = paths.get(k) or [[0, l0[k - 1]]]
        paths[k] = path
        if abs(path[0][0]) > TOLERANCE or abs(path[0][1] - l0[k - 1]) > TOLERANCE:
            found.append(f"crane {k}'s path does not start at time 0 at bay {l0[k - 1]}")
        for (t0, x0), (t1, x1) in itertools.pairwise(path):
            if t1 < t0 - TOLERANCE or (abs(t1 - t0) <= TOLERANCE and abs(x1 - x0) > TOLERANCE):
                found.append(f"crane {k}'s path goes back in time or jumps at {t0}")
            elif abs(x1 - x0) > (t1 - t0) / t + TOLERANCE:
                found.append(f"crane {k} moves faster than one bay per {t} at {t0}")
        if any(
            abs(_at(path, moment) - l0[k - 1]) > TOLERANCE
            for moment, _ in path
            if moment <= r[k - 1]
        ):
            found.append(f"crane {k} moves before its ready time")
        mine = sorted((start[i], i) for i in start if crane_of[i] == k)
        for (s0, i), (s1, j) in itertools.pairwise(mine):
            if s0 + p[i - 1] > s1 + TOLERANCE:
                found.append(f"crane {k} does tasks {i} and {j} at once")
        for s0, i in mine:
            if s0 < r[k - 1] - TOLERANCE:
                found.append(f"task {i} starts before crane {k} is ready")
            moments = [s0, s0 + p[i - 1]] + [m for m, _ in path if s0 < m < s0 + p[i - 1]]
            if any(abs(_at(path, m) - bay[i - 1]) > TOLERANCE for m in moments):
                found.append(f"crane {k} leaves bay {bay[i - 1]} during task {i}")
    for i, j in data["phi"]:
        if start[i] + p[i - 1] > start[j] + TOLERANCE:
            found.append(f"task {i} must finish before task {j} starts")
    for i, j in data["psi"]:
        if (
            start[i] + p[i - 1] > start[j] + TOLERANCE
            and start[j] + p[j - 1] > start[i] + TOLERANCE
        ):
            found.append(f"tasks {i} and {j} overlap")
    moments = sorted({m for path in paths.values() for m, _ in path})
    for m in moments:
        spots = [_at(paths[k], m) for k in range(1, q + 1)]
        for k in range(1, q):
            if spots[k] - spots[k - 1] < s + 1 - TOLERANCE:
                found.append(f"cranes {k} and {k + 1} are closer than {s + 1} bays at {m}")
                break
    last = max(start[i] + p[i - 1] for i in start)
    if abs(schedule["makespan"] - last) > TOLERANCE:
        found.append(f"makespan {schedule['makespan']} is not the last completion {last}")
    return found
