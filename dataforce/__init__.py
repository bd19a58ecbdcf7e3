"""DataForce Python SDK. The public API lives in :mod:`dataforce.api`."""

# pyproject.toml reads the version from here: one place to change it.
__version__ = "0.1.0"

#: The name to ``pip install`` (and to look up with ``importlib.metadata``): the import
#: name, ``dataforce``, is another project's on PyPI.
DISTRIBUTION = "dataforce-sdk"
