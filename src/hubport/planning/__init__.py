"""Optimisers: plain data in, plans out. No database, network or framework."""
