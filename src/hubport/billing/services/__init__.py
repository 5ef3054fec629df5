"""Billing\x27s commands, their handlers and its unit of work."""
