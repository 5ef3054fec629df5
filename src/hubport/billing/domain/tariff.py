"""Tariffs as data: a rate per chargeable event kind, storage by box size and full or
empty with free days and tiers after them, each tariff valid from a date, and contract
tariffs that override the general one for a customer (a shipping line, a forwarder, the
railway's container company) rate by rate."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from hubport.domain.errors import HubportError

#: The chargeable event kinds a rate may name.
KINDS = (
    "discharge_wagon",
    "load_wagon",
    "discharge_barge",
    "load_barge",
    "lift_on_truck",
    "lift_off_truck",
    "shift_on_request",
    "customs_inspection_move",
    "reefer_hour",
)


class TariffError(HubportError):
    """A tariff file or a rate that is missing, negative or unknown."""


@dataclass(frozen=True)
class StorageTier:
    """From the ``from_day``-th hub day of a stay (1-based) on, ``rate`` a day."""

    from_day: int
    rate: Decimal


@dataclass(frozen=True)
class StorageScale:
    free_days: int
    tiers: tuple[StorageTier, ...]

    def __post_init__(self) -> None:
        if self.free_days < 0:
            raise TariffError(f"free days {self.free_days} must not be negative")
        starts = [tier.from_day for tier in self.tiers]
        if not starts or starts != sorted(starts) or starts[0] != self.free_days + 1:
            raise TariffError(
                f"storage tiers must start the day after the {self.free_days} free days and "
                f"rise: {starts}"
            )
        if any(tier.rate < 0 for tier in self.tiers):
            raise TariffError("a storage rate must not be negative")

    def rate_on(self, day: int) -> Decimal:
        """The rate of the ``day``-th hub day of a stay (0 on a free day)."""
        if day <= self.free_days:
            return Decimal(0)
        return [tier.rate for tier in self.tiers if tier.from_day <= day][-1]


@dataclass(frozen=True)
class Tariff:
    """One tariff version: its rates from ``valid_from`` on (until a later version)."""

    name: str
    valid_from: date
    vat_rate: Decimal
    rates: Mapping[str, Decimal]
    #: Storage by (size: 20 or 40, full: True/False).
    storage: Mapping[tuple[int, bool], StorageScale]
    #: For a contract tariff: the customer it is for.
    customer: str | None = None

    def __post_init__(self) -> None:
        unknown = set(self.rates) - set(KINDS)
        if unknown:
            raise TariffError(f"tariff {self.name}: unknown kinds {', '.join(sorted(unknown))}")
        if any(rate < 0 for rate in self.rates.values()):
            raise TariffError(f"tariff {self.name}: a rate is negative")
        if not Decimal(0) <= self.vat_rate < 1:
            raise TariffError(f"tariff {self.name}: VAT rate {self.vat_rate} is not a share")


@dataclass(frozen=True)
class TariffBook:
    """The general tariff's versions and the contract tariffs, by customer."""

    general: Sequence[Tariff]
    contracts: Sequence[Tariff] = field(default_factory=tuple)

    def _in_force(self, versions: Sequence[Tariff], on: date) -> Tariff | None:
        valid = [t for t in versions if t.valid_from <= on]
        return max(valid, key=lambda t: t.valid_from) if valid else None

    def _layers(self, customer: str | None, on: date) -> list[Tariff]:
        general = self._in_force(self.general, on)
        if general is None:
            raise TariffError(f"no general tariff is in force on {on}")
        contract = self._in_force([t for t in self.contracts if t.customer == customer], on)
        return [contract, general] if contract is not None else [general]

    def rate(self, kind: str, customer: str | None, on: date) -> tuple[Decimal, Tariff]:
        """The rate of ``kind`` for ``customer`` on ``on``: its contract's if it names
        one, else the general tariff's; with the tariff it came from."""
        if kind not in KINDS:
            raise TariffError(f"{kind!r} is not a chargeable kind ({', '.join(KINDS)})")
        for tariff in self._layers(customer, on):
            if kind in tariff.rates:
                return tariff.rates[kind], tariff
        raise TariffError(f"no tariff in force on {on} has a rate for {kind}")

    def storage(
        self, size: int, full: bool, customer: str | None, on: date
    ) -> tuple[StorageScale, Tariff]:
        for tariff in self._layers(customer, on):
            scale = tariff.storage.get((size, full))
            if scale is not None:
                return scale, tariff
        raise TariffError(
            f"no tariff in force on {on} has storage for a {size}' {'full' if full else 'empty'}"
        )


__all__ = ["KINDS", "StorageScale", "StorageTier", "Tariff", "TariffBook", "TariffError"]
