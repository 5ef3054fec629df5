"""The futures use cases: one handler per command."""
