"""The log-futures calls of the world's HTTP client: what the exchange, a seller, the site
and the measuring station send to ``/api/futures`` (a part of ``HttpHubClient``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    from hubport.twin.client import DeliveryOrder, DeliverySlot


class FuturesOverHttp:
    """Mixed into ``HttpHubClient``: it gives ``_ok``."""

    def _ok(
        self, method: str, path: str, role: str, body: Any = None, key: str | None = None
    ) -> Any:
        raise NotImplementedError

    def match_delivery(self, order: DeliveryOrder) -> None:
        body = {
            "delivery": order.delivery,
            "contract": order.contract,
            "lots": order.lots,
            "buyer": order.buyer,
            "seller": order.seller,
            "matched_on": order.matched_on.isoformat(),
            "settlement_day": order.settlement_day.isoformat(),
            "price_cny_per_m3": str(order.price_cny_per_m3),
        }
        self._ok("POST", "/api/futures/deliveries", "exchange", body)

    def book_delivery_slot(self, slot: DeliverySlot) -> None:
        body = {
            "track": slot.track,
            "spot": slot.spot,
            "start": slot.start.isoformat(),
            "end": slot.end.isoformat(),
            "loads": [{"wagon_type": kind, "volume_m3": str(m3)} for kind, m3 in slot.loads],
        }
        self._ok("POST", f"/api/futures/deliveries/{slot.delivery}/slot", "member", body)

    def delivery_arrives(self, delivery: str, carriers: tuple[str, ...]) -> None:
        body = {"carriers": list(carriers)}
        self._ok("POST", f"/api/futures/deliveries/{delivery}/arrival", "operator", body)

    def send_tally(self, delivery: str, tally_csv: str, inspector: str) -> bool:
        path = f"/api/futures/deliveries/{delivery}/tally?inspector={quote(inspector)}"
        return bool(self._ok("POST", path, "inspector", tally_csv)["passed"])

    def sign_delivery(self, delivery: str, party: str) -> None:
        body = {"party": party}
        self._ok("POST", f"/api/futures/deliveries/{delivery}/signature", "member", body)

    def pay_delivery(self, delivery: str, milestone: str) -> None:
        body = {"milestone": milestone}
        self._ok("POST", f"/api/futures/deliveries/{delivery}/payments", "exchange", body)

    def declare_default(self, delivery: str, party: str, reason: str) -> None:
        body = {"party": party, "reason": reason}
        self._ok("POST", f"/api/futures/deliveries/{delivery}/default", "exchange", body)


__all__ = ["FuturesOverHttp"]
