"""The hub's own lines of a landed-cost bill, from its tariff: a quote through the hub
prices the change of carrier there (a discharge and a load) and the storage after the
free days by the tariff in force on the quote's day, not by separate figures.

The corridor's cost model is per TEU; the tariff's rates are per box. A box's change of
carrier at the hub is priced per TEU at its per-box rate (a 40' pays it twice: the
corridor model's rule for every node), and storage per TEU-day at the 20' full scale's
first charged tier. Net of VAT, as the corridor's other lines are.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import date

from hubport.billing.domain.tariff import TariffBook
from hubport.corridor.network import Network, Provenance

#: The change of carrier a box typically makes at each of the hub's places: the rail
#: station's boxes go on to the road, the river port's onto barges.
CHANGE_OF_CARRIER = {
    "CNJGJ": ("discharge_wagon", "lift_on_truck"),
    "CNLOH": ("discharge_wagon", "load_barge"),
}
DEFAULT_CHANGE = ("discharge_wagon", "lift_on_truck")


def priced_by_tariff(
    network: Network, book: TariffBook, places: Iterable[str], on: date
) -> Network:
    """``network`` with the hub's ``places`` priced by the general tariff in force ``on``."""
    nodes = dict(network.nodes)
    for place in places:
        node = nodes.get(place)
        if node is None:
            continue
        off, on_ = CHANGE_OF_CARRIER.get(place, DEFAULT_CHANGE)
        discharge, tariff = book.rate(off, None, on)
        load, _ = book.rate(on_, None, on)
        scale, _ = book.storage(20, True, None, on)
        nodes[place] = dataclasses.replace(
            node,
            handling_per_teu=float(discharge + load),
            free_storage_days=float(scale.free_days),
            storage_per_teu_day=float(scale.tiers[0].rate),
            provenance=Provenance(
                f"hub tariff '{tariff.name}': {off} + {on_}, storage 20' full",
                tariff.valid_from.isoformat(),
                node.provenance.assumed,
            ),
        )
    return dataclasses.replace(network, nodes=nodes)


__all__ = ["CHANGE_OF_CARRIER", "priced_by_tariff"]
