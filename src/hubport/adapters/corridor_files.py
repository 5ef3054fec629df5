"""Reading the corridor data files (CSV), with the user's override files on top.

Each file has one row per thing, a source and date per row; the user's directory may hold
files of the same names whose rows replace the shipped rows with the same key (or add new
ones). A bad row stops the load with ``FILE:LINE: problem``; nothing half-read is used.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

from hubport.corridor.network import (
    Network,
    Node,
    Place,
    Provenance,
    RoadLink,
    Service,
    Tariff,
)
from hubport.domain.errors import HubportError

_DAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_MODES = {"rail", "river", "sea", "road"}
_CODE = re.compile(r"^[A-Z]{2}[A-Z0-9]{3}$")
T = TypeVar("T")


class CorridorDataError(HubportError):
    """A corridor data file that cannot be used; names the file, line and problem."""

    def __init__(self, path: str, line: int, problem: str):
        self.path, self.line, self.problem = path, line, problem
        super().__init__(f"{path}:{line}: {problem}")


def load_network(override: Path | None = None) -> Network:
    """The shipped network, with the rows of ``override``'s files on top."""
    folders: list[Path | Traversable] = [resources.files("hubport.corridor").joinpath("data")]
    if override is not None:
        if not override.is_dir():
            raise CorridorDataError(str(override), 0, "is not a directory of corridor files")
        folders.append(override)
    places = _merged(folders, "places.csv", "code", _place)
    services = _merged(folders, "services.csv", "id", _service)
    nodes = _merged(folders, "nodes.csv", "place", _node)
    tariffs = _merged(folders, "tariffs.csv", "service", _tariff)
    roads = _merged(folders, "road.csv", "from", _road, key=lambda r: (r["from"], r["to"]))
    parameters = _merged(folders, "parameters.csv", "name", lambda row: row["value"])
    emissions = _merged(folders, "emissions.csv", "mode", _emission)
    network = Network(
        places=places,
        services=services,
        nodes=nodes,
        tariffs=tariffs,
        roads=tuple(roads.values()),
        parameters=parameters,
        emissions={mode: factor for mode, (factor, _) in emissions.items()},
        sources={mode: provenance for mode, (_, provenance) in emissions.items()},
    )
    _check_references(network)
    return network


def _merged(
    folders: list[Path | Traversable],
    name: str,
    key_column: str,
    build: Callable[[dict[str, str]], T],
    key: Callable[[dict[str, str]], object] | None = None,
) -> dict[Any, T]:
    """Rows of ``name`` from each folder in turn, later rows replacing earlier ones."""
    merged: dict[Any, T] = {}
    for folder in folders:
        path = folder.joinpath(name)
        if not path.is_file():
            continue
        for line, row in _rows(path):
            try:
                item = build(row)
                identity = key(row) if key else row[key_column]
            except CorridorDataError:
                raise
            except (KeyError, ValueError, TypeError) as error:
                raise CorridorDataError(str(path), line, _reason(error)) from None
            merged[identity] = item
    return merged


def _rows(path: Path | Traversable) -> Iterator[tuple[int, dict[str, str]]]:
    text = path.read_text(encoding="utf-8")
    reader = csv.DictReader(text.splitlines())
    if not reader.fieldnames or any(not name for name in reader.fieldnames):
        raise CorridorDataError(str(path), 1, "the header row is missing or has an empty name")
    for row in reader:
        if None in row or any(value is None for value in row.values()):
            raise CorridorDataError(
                str(path), reader.line_num, f"expected {len(reader.fieldnames)} columns"
            )
        yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k is not None}


def _reason(error: Exception) -> str:
    if isinstance(error, KeyError):
        return f"missing column {error.args[0]!r}"
    return str(error)


def _provenance(row: dict[str, str]) -> Provenance:
    if not row.get("source"):
        raise ValueError("every row needs a source")
    return Provenance(row["source"], row.get("date", ""), row.get("assumed", ""))


def _number(row: dict[str, str], column: str, *, optional: bool = False) -> float:
    text = row[column]
    if not text and optional:
        return float("nan")
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{column} {text!r} is not a number") from None
    if value < 0:
        raise ValueError(f"{column} {value:g} is negative")
    return value


def _code(text: str, column: str) -> str:
    if not _CODE.match(text):
        raise ValueError(f"{column} {text!r} is not a UN/LOCODE (or a 5-character local code)")
    return text


def _place(row: dict[str, str]) -> Place:
    lat, lon = float(row["lat"]), float(row["lon"])
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"coordinates {lat}, {lon} are out of range")
    return Place(
        _code(row["code"], "code"),
        row["name"],
        row["country"],
        row["kind"],
        lat,
        lon,
        _provenance(row),
    )


def _service(row: dict[str, str]) -> Service:
    mode = row["mode"]
    if mode not in _MODES:
        raise ValueError(f"mode {mode!r} is not one of {', '.join(sorted(_MODES))}")
    days_text = row["days"].lower()
    if days_text == "daily":
        weekdays = tuple(range(7))
    else:
        try:
            weekdays = tuple(sorted({_DAYS[day[:3]] for day in days_text.split()}))
        except KeyError as error:
            raise ValueError(
                f"days: {error.args[0]!r} is not a weekday (Mon … Sun or daily)"
            ) from None
    if not weekdays:
        raise ValueError("days is empty (Mon … Sun or daily)")
    match = re.fullmatch(r"([01]\d|2[0-3]):([0-5]\d)", row["departure"])
    if match is None:
        raise ValueError(f"departure {row['departure']!r} is not HH:MM")
    transit = _number(row, "transit_hours")
    if transit <= 0:
        raise ValueError("transit_hours must be positive")
    distance = _number(row, "distance_km", optional=True)
    capacity = row["capacity_teu"]
    return Service(
        id=row["id"],
        name=row["name"],
        mode=mode,
        origin=_code(row["from"], "from"),
        destination=_code(row["to"], "to"),
        weekdays=weekdays,
        departure_minute=int(match[1]) * 60 + int(match[2]),
        transit_hours=transit,
        distance_km=None if distance != distance else distance,
        capacity_teu=int(capacity) if capacity else None,
        provenance=_provenance(row),
    )


def _node(row: dict[str, str]) -> Node:
    pairs = set()
    for pair in row["through_transit"].split():
        arriving, _, leaving = pair.partition(">")
        if arriving not in _MODES or leaving not in _MODES:
            raise ValueError(f"through_transit {pair!r} is not MODE>MODE")
        pairs.add((arriving, leaving))
    return Node(
        place=_code(row["place"], "place"),
        handling_hours=_number(row, "handling_hours"),
        cutoff_hours=_number(row, "cutoff_hours"),
        customs_hours=_number(row, "customs_hours"),
        through_transit=frozenset(pairs),
        free_storage_days=_number(row, "free_storage_days"),
        storage_per_teu_day=_number(row, "storage_per_teu_day"),
        handling_per_teu=_number(row, "handling_per_teu"),
        port_charge_per_teu=_number(row, "port_charge_per_teu"),
        customs_charge=_number(row, "customs_charge"),
        provenance=_provenance(row),
    )


def _tariff(row: dict[str, str]) -> Tariff:
    return Tariff(
        row["service"],
        _number(row, "per_teu"),
        _number(row, "per_feu"),
        row["currency"],
        _provenance(row),
    )


def _road(row: dict[str, str]) -> RoadLink:
    return RoadLink(
        _code(row["from"], "from"),
        _code(row["to"], "to"),
        _number(row, "distance_km"),
        _number(row, "hours"),
        _provenance(row),
    )


def _emission(row: dict[str, str]) -> tuple[float, Provenance]:
    if row["mode"] not in _MODES:
        raise ValueError(f"mode {row['mode']!r} is not one of {', '.join(sorted(_MODES))}")
    return _number(row, "g_co2e_per_tkm"), _provenance(row)


def _check_references(network: Network) -> None:
    for service in network.services.values():
        for code in (service.origin, service.destination):
            if code not in network.places:
                raise CorridorDataError(
                    "services.csv", 0, f"service {service.id}: unknown place {code}"
                )
        if service.id not in network.tariffs:
            raise CorridorDataError("tariffs.csv", 0, f"service {service.id} has no tariff row")
    for mode in _MODES:
        if mode not in network.emissions:
            raise CorridorDataError("emissions.csv", 0, f"no emission factor for mode {mode}")
    for link in network.roads:
        for code in (link.origin, link.destination):
            if code not in network.places:
                raise CorridorDataError("road.csv", 0, f"road link: unknown place {code}")
