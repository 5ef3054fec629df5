"""hubport: an open operating platform for an inland rail–river container hub."""

__version__ = "0.1.0"
