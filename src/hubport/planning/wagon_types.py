"""A site's wagon types (``domain/rail``, data with a source for every figure) as the load
planner's wagon figures: a request's wagon that names one of these types takes its
figures."""

from __future__ import annotations

from collections.abc import Mapping

from hubport.domain.rail import WagonType
from hubport.planning.load_plan import WagonSpec


def wagon_spec(
    kind: WagonType,
    wagon_id: str | None = None,
    payload_kg: int | None = None,
    x_m: float | None = None,
) -> WagonSpec:
    """One wagon of a type; ``payload_kg`` lowers the type's payload for this wagon."""
    return WagonSpec(
        id=wagon_id or kind.code,
        type=kind.code,
        length_m=kind.length_m,
        tare_kg=kind.tare_kg,
        payload_kg=kind.payload_kg if payload_kg is None else min(payload_kg, kind.payload_kg),
        platform_ft=kind.platform_ft,
        max_box_ft=kind.max_box_ft,
        max_20ft_kg=kind.max_20ft_kg,
        x_m=x_m,
    )


def wagon_specs(types: Mapping[str, WagonType]) -> dict[str, WagonSpec]:
    """The figures of every type, by its code."""
    return {code: wagon_spec(kind) for code, kind in types.items()}


__all__ = ["wagon_spec", "wagon_specs"]
