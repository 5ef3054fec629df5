"""The day as a picture: each crane's moves on a time line, coloured by why it moved."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from hubport.twin.day_log import DayLog
from hubport.twin.kpi import train_kpis

_COLOURS = {
    "discharge": "#1f77b4",
    "load": "#2ca02c",
    "receipt": "#9467bd",
    "delivery": "#ff7f0e",
    "relocation": "#d62728",
    "relay": "#8c564b",
}


def plot_day(log: DayLog, cranes: list[str], start: datetime, title: str, path: Path) -> Path:
    """Write a PNG of the crane time lines and the train and truck KPIs to ``path``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    figure, (lanes, turns) = plt.subplots(
        2, 1, figsize=(11, 8), height_ratios=(4, 2), constrained_layout=True
    )
    for index, crane in enumerate(cranes):
        for move in (move for move in log.moves if move.crane == crane):
            begin = start + timedelta(seconds=move.start_s)
            lanes.barh(
                index,
                timedelta(seconds=move.seconds),
                left=begin,
                height=0.6,
                color=_COLOURS.get(move.reason, "grey"),
            )
    # each train's crane work, first move to last, under the cranes: TEU and mass out
    labels = list(cranes)
    for train in train_kpis(log):
        if not train.moves:
            continue
        moves = [m for m in log.moves if m.train == train.train]
        begin = start + timedelta(seconds=min(m.start_s for m in moves))
        row = len(labels)
        lanes.barh(
            row, timedelta(hours=train.handling_hours), left=begin, height=0.4, color="#17becf"
        )
        note = f"{train.moves} moves"
        if train.teu is not None and train.mass_share is not None:
            note += f", {train.teu} TEU, {100 * train.mass_share:.0f}% of payload"
        lanes.annotate(note, (begin, row), xytext=(3, -3), textcoords="offset points", fontsize=6)
        labels.append(train.train)
    lanes.set_yticks(range(len(labels)), labels, fontsize=7)
    lanes.invert_yaxis()
    lanes.xaxis.set_major_formatter(mdates.DateFormatter("%H:%M", tz=start.tzinfo))  # type: ignore[no-untyped-call]
    lanes.set_title(f"{title}: crane moves by reason (hub time)", pad=22)
    handles = [Rectangle((0, 0), 1, 1, color=colour) for colour in _COLOURS.values()]
    lanes.legend(
        handles,
        list(_COLOURS),
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncols=len(_COLOURS),
        fontsize=8,
        frameon=False,
    )
    minutes = [seconds / 60 for seconds in log.truck_turns_s]
    turns.hist(minutes, bins=range(0, int(max(minutes, default=0)) + 3), color="#7f7f7f")
    turns.set_xlabel("truck turn time (min)")
    turns.set_ylabel("truck visits")
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def plot_days(
    days: list[int],
    yard_teu: list[int],
    moves: list[int],
    relocations: list[int],
    capacity_teu: int,
    path: Path,
) -> Path:
    """Write a PNG of the yard's occupancy and the crane work, day by day."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (occupancy, work) = plt.subplots(2, 1, figsize=(10, 6), sharex=True)
    occupancy.plot(days, yard_teu, marker="o", color="#1f77b4")
    occupancy.axhline(capacity_teu, color="grey", linestyle="--", linewidth=1)
    occupancy.set_ylabel("TEU in the yard at day's end")
    occupancy.set_ylim(0, capacity_teu * 1.05)
    occupancy.set_title(f"yard occupancy (capacity {capacity_teu} TEU, dashed)")
    work.bar(days, moves, color="#2ca02c", label="crane moves")
    work.bar(days, relocations, color="#d62728", label="of which relocations")
    work.set_xlabel("day")
    work.set_ylabel("moves")
    work.legend(loc="upper left")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
