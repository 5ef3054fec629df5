"""Fuzzing the EDI gateway: damaged copies of the real samples, none may crash or hang it.

    python benchmarks/edi_fuzz.py --inputs 100000 --store-inputs 3000 --seed 1

Two runs in one:
  * ``--inputs`` damaged interchanges through reading, validation, decoding and mapping
    (everything the gateway does before the store);
  * ``--store-inputs`` of them through the whole gateway on a fresh SQLite store holding
    the boxes of a first, valid discharge order: every rejected interchange must leave the
    containers and the event log exactly as they were.
The reference is the unmutated set: each sample's own verdict is printed beside the counts.
A crash is any exception that is not a hubport error; the slowest input shows a hang.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

from common import Report, progress
from sqlalchemy import func, select

from hubport.adapters import tables
from hubport.adapters.edi.documents import decode
from hubport.adapters.edi.inbound import interpret
from hubport.adapters.edi.mutations import MUTATIONS, mutate
from hubport.adapters.edi.syntax import read_interchange
from hubport.adapters.edi.validation import validate
from hubport.bootstrap import bootstrap, initialise
from hubport.config import Settings

SAMPLES = Path(__file__).parents[1] / "tests" / "data" / "edi"
HUB = frozenset({"CNJGJ", "CNLOH"})


def judge(text: str) -> bool:
    """True when the gateway would accept ``text`` (before the store)."""
    interchange = read_interchange(text)
    if validate(interchange):
        return False
    for message in interchange.messages:
        _intent, problems = interpret(decode(message), HUB)
        if problems:
            return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--store-inputs", type=int, default=3_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--markdown", action="store_true")
    arguments = parser.parse_args()
    samples = {
        path.name: path.read_text(encoding="utf-8")
        for path in sorted(SAMPLES.glob("*"))
        if path.suffix == ".edi"
    }
    samples["hubport COPRAR"] = _valid_coprar()
    rng = random.Random(arguments.seed)
    verdicts: Counter[tuple[str, str]] = Counter()
    crashes: list[str] = []
    slowest = (0.0, "")
    with progress() as bar:
        task = bar.add_task("fuzzing the reader", total=arguments.inputs)
        for _ in range(arguments.inputs):
            name = rng.choice(list(samples))
            text, kind = mutate(samples[name], rng)
            if rng.random() < 0.3:
                text, _second = mutate(text, rng)
            started = time.perf_counter()
            try:
                verdicts[(kind, "accepted" if judge(text) else "rejected")] += 1
            except Exception:  # a crash: anything that is not a clear refusal
                verdicts[(kind, "crashed")] += 1
                crashes.append(traceback.format_exc(limit=3))
            elapsed = time.perf_counter() - started
            if elapsed > slowest[0]:
                slowest = (elapsed, f"{kind} of {name}, {len(text)} characters")
            bar.advance(task)
    report = Report(
        f"Reader: {arguments.inputs:,} damaged interchanges (seed {arguments.seed})",
        ["mutation", "inputs", "accepted", "rejected", "crashed"],
    )
    for kind in MUTATIONS:
        counts = [verdicts[(kind, verdict)] for verdict in ("accepted", "rejected", "crashed")]
        report.add_row(kind, f"{sum(counts):,}", *(f"{count:,}" for count in counts))
    report.print(arguments.markdown)
    print(f"slowest input: {slowest[0] * 1000:.1f} ms ({slowest[1]})")
    print(
        "unmutated: "
        + ", ".join(
            f"{name} {'accepted' if judge(text) else 'rejected'}" for name, text in samples.items()
        )
    )
    if crashes:
        print(f"{len(crashes)} crashes; first:\n{crashes[0]}")
    _store_run(samples, arguments.store_inputs, arguments.seed)


def _store_run(samples: dict[str, str], inputs: int, seed: int) -> None:
    rng = random.Random(seed + 1)
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder), database_url=None)
        initialise(settings)
        hub = bootstrap(settings)
        gateway = hub.edi_gateway()
        first = gateway.receive(samples["hubport COPRAR"], "first.edi")
        assert first.status == "applied", first.problems
        statuses: Counter[str] = Counter()
        changed = crashes = 0
        with progress() as bar:
            task = bar.add_task("fuzzing the whole gateway", total=inputs)
            for _ in range(inputs):
                name = rng.choice(list(samples))
                text, _kind = mutate(samples[name], rng)
                before = _snapshot(hub)
                try:
                    receipt = gateway.receive(text, "fuzz.edi")
                except Exception:
                    crashes += 1
                    bar.advance(task)
                    continue
                statuses[receipt.status] += 1
                if receipt.status == "quarantined" and _snapshot(hub) != before:
                    changed += 1
                bar.advance(task)
        hub.close()
    print(
        f"whole gateway on SQLite: {inputs:,} inputs → "
        + ", ".join(f"{count:,} {status}" for status, count in statuses.most_common())
        + f"; {crashes} crashed; {changed} rejected inputs changed the store"
    )


def _snapshot(hub: object) -> tuple[object, ...]:
    engine = hub.engine  # type: ignore[attr-defined]
    with engine.connect() as connection:
        boxes = connection.execute(select(tables.containers).order_by(tables.containers.c.number))
        rows = tuple(tuple(row) for row in boxes)
        events = connection.execute(select(func.count()).select_from(tables.events)).scalar()
    return rows, events


def _valid_coprar() -> str:
    from datetime import datetime

    from hubport.adapters.edi.documents import Document, Equipment
    from hubport.adapters.edi.outbound import Envelope, write_interchange

    numbers = ("CSQU3054383", "MSKU9070323", "TGHU8761214", "OOLU4293959", "TCLU2583899")
    lines = tuple(
        Equipment(n, "22G1", "3", True, f"0{i + 1}A", discharge_place="CNJGJ", gross_mass_kg=18_000)
        for i, n in enumerate(numbers)
    )
    document = Document(
        "COPRAR",
        "D.95B",
        "121",
        "X1-DO",
        "9",
        voyage="X1",
        mode="2",
        transport_id="X1",
        places=(("11", "CNJGJ"),),
        equipment=lines,
        reference="1",
    )
    return write_interchange(Envelope("CRCT", "HUBPORT", "1", datetime(2026, 12, 1, 6)), [document])


if __name__ == "__main__":
    main()
