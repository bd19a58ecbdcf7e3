"""Resources of the DataForce API, reached as attributes of a client (``client.orbits``)."""
