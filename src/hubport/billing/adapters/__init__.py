"""The billing store and files: the tariff files so far."""
