"""The park use cases: one handler per command."""
