"""DataForce Python SDK. The public API lives in :mod:`dataforce.api`."""

__version__ = "0.1.0"
