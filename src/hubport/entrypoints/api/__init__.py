"""The HTTP API under ``/api`` (FastAPI, OpenAPI at ``/api/openapi.json``)."""

from hubport.entrypoints.api.app import create_app

__all__ = ["create_app"]
