"""The corridor network a quote uses: the shipped network (with ``HUBPORT_CORRIDOR_DATA``
on top) and the hub's own places priced by its tariff (``HUBPORT_TARIFFS``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hubport.adapters.corridor_files import load_network
from hubport.billing.adapters.tariff_file import read_tariff_book
from hubport.billing.domain.quotes import priced_by_tariff
from hubport.config import Settings
from hubport.corridor.network import Network


def hub_network(settings: Settings, on: date, data: Path | None = None) -> Network:
    network = load_network(data or settings.corridor_data)
    return priced_by_tariff(network, read_tariff_book(settings.tariffs), settings.hub_locodes, on)


__all__ = ["hub_network"]
