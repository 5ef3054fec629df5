"""Container flat wagons of China's railways, each figure with its source. A request's
wagon that names one of these types takes its figures; a site or a request can add its
own types by giving the figures."""

from __future__ import annotations

from hubport.planning.load_plan import WagonSpec

#: Where each type's figures come from.
SOURCES = {
    "NX70A": "CRRC NX70A intermodal flat wagon: 70 t load, 23.8 t tare, 13,966 mm long, two "
    "20' (each at most 35 t) or one 40'; railwaywagons.com/rail-freight-wagons/flat-wagons/nx70a/"
    " (a 45' box stands on the 40' fittings, as hubport's load-planning issue specifies)",
}

WAGON_TYPES: dict[str, WagonSpec] = {
    "NX70A": WagonSpec(
        id="NX70A",
        type="NX70A",
        length_m=13.966,
        tare_kg=23_800,
        payload_kg=70_000,
        platform_ft=40,
        max_box_ft=45,  # a 45' box has corner fittings at 40' too, and overhangs
        max_20ft_kg=35_000,
    ),
}

__all__ = ["SOURCES", "WAGON_TYPES"]
