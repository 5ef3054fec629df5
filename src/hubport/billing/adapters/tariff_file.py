"""Reading a tariff file (TOML: ``vat_rate`` and ``[[versions]]`` with their rates and
storage scales; a contract file names its ``customer``) into ``Tariff`` versions; an
error names the file and the key."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

from hubport.adapters.toml_files import parse_toml, read_toml
from hubport.billing.domain.tariff import (
    StorageScale,
    StorageTier,
    Tariff,
    TariffBook,
    TariffError,
)

SHIPPED = "general.toml"


def read_tariff(path: Path | None = None) -> list[Tariff]:
    data, where = read_toml(path, f"tariffs/{SHIPPED}", "tariff file", TariffError)
    return tariffs_from_data(data, where)


def tariffs_from_data(data: dict[str, Any], where: str) -> list[Tariff]:
    vat = _decimal(data, "vat_rate", where)
    customer = data.get("customer")
    versions = data.get("versions")
    if not isinstance(versions, list) or not versions:
        raise TariffError(f"tariff file {where}: no [[versions]]")
    made = []
    for index, version in enumerate(versions, start=1):
        place = f"{where} [[versions]] #{index}"
        try:
            valid_from = version["valid_from"]
            if not isinstance(valid_from, date):
                raise TariffError(f"{place}: valid_from is a date such as 2026-01-01")
            storage = {}
            for scale in version.get("storage", []):
                tiers = tuple(
                    StorageTier(int(day), _decimal({"r": rate}, "r", place))
                    for day, rate in scale["tiers"]
                )
                storage[(int(scale["size"]), bool(scale["full"]))] = StorageScale(
                    int(scale["free_days"]), tiers
                )
            rates = {
                kind: _decimal(version["rates"], kind, place) for kind in version.get("rates", {})
            }
            made.append(Tariff(str(version["name"]), valid_from, vat, rates, storage, customer))
        except KeyError as error:
            raise TariffError(f"{place}: missing {error.args[0]!r}") from None
        except TariffError as error:
            raise TariffError(f"{place}: {error}") from None
    return made


def read_tariff_book(directory: Path | None = None) -> TariffBook:
    """The tariffs of ``directory`` (every ``*.toml``; a file naming a ``customer`` is its
    contract), or the shipped ones."""
    if directory is None:
        folder = resources.files("hubport.sites").joinpath("tariffs")
        texts = [
            (entry.name, entry.read_text("utf-8"))
            for entry in folder.iterdir()
            if entry.name.endswith(".toml")
        ]
    else:
        if not directory.is_dir():
            raise TariffError(f"tariff folder {directory} does not exist")
        texts = [(str(path), path.read_text("utf-8")) for path in directory.glob("*.toml")]
    general: list[Tariff] = []
    contracts: list[Tariff] = []
    for where, text in sorted(texts):
        data = parse_toml(text, where, "tariff file", TariffError)
        made = tariffs_from_data(data, where)
        (contracts if data.get("customer") else general).extend(made)
    if not general:
        raise TariffError(f"tariff folder {directory}: no general tariff (a file without customer)")
    return TariffBook(tuple(general), tuple(contracts))


def _decimal(table: dict[str, Any], key: str, where: str) -> Decimal:
    if key not in table:
        raise TariffError(f"{where}: missing {key!r}")
    try:
        value = Decimal(str(table[key]))
    except InvalidOperation:
        raise TariffError(f"{where}: {key} = {table[key]!r} is not a number") from None
    return value


__all__ = ["SHIPPED", "read_tariff", "read_tariff_book", "tariffs_from_data"]
