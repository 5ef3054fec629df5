"""Billing: the hub's revenue side, a bounded context of its own. ``domain`` holds the
rules (money and its rounding, tariffs as data with their validity and contract
overrides, storage over a box's stay in hub days); the ledger, invoices and documents
follow (issue 30)."""
