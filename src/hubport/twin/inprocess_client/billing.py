"""The billing calls of the in-process client: the shipping lines' accounts departments
read the hub's open invoices and pay them on the billing desk's bus, as the API would
(a part of ``InProcessHubClient``)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from hubport.billing.bootstrap import BillingDesk
from hubport.billing.services.commands import RecordPayment
from hubport.bootstrap import Hub
from hubport.domain.errors import HubportError
from hubport.entrypoints.billing_views import invoice_json
from hubport.services.commands import Author
from hubport.services.refusals import classify
from hubport.twin.client import PlatformRefused
from hubport.twin.client_billing import OPEN, OpenInvoice, open_invoice_of

#: Who the world is, in the keys and sources of what it sends.
WORLD = "twin-world"


class BillingInProcess:
    """Mixed into ``InProcessHubClient``: it gives ``hub``."""

    hub: Hub
    _billing: BillingDesk | None = None

    def _billing_desk(self) -> BillingDesk:
        if self._billing is None:
            self._billing = self.hub.billing()
        return self._billing

    def open_invoices(self) -> list[OpenInvoice]:
        queries = self._billing_desk().queries
        return [
            open_invoice_of(invoice_json(invoice, lines=False))
            for state in OPEN
            for invoice in queries.invoices(state=state)
            if invoice.document.value == "invoice"
        ]

    def pay_invoice(self, number: str, amount: Decimal, reference: str) -> None:
        command = RecordPayment(
            reference,
            amount,
            invoice=number,
            idempotency_key=f"api:billing:payment:{reference}",
        )
        command = dataclasses.replace(command, author=Author(WORLD, "billing", "api"))
        try:
            self._billing_desk().bus.handle(command)
        except HubportError as error:
            raise PlatformRefused(*classify(error), str(error)) from None


__all__ = ["BillingInProcess"]
