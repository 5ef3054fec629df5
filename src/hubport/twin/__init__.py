"""The digital twin: drives the real services with virtual equipment in simulated time."""
