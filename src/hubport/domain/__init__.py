"""The hub's model and rules: pure Python, no database, network or framework."""
