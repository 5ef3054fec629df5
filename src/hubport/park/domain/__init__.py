"""The park rules: pure, no store, no network."""
