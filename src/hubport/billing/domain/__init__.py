"""The billing rules: pure, no store, no network."""
