"""The futures rules: pure, no store, no network."""
