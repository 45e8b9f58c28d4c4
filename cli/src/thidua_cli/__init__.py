"""The ``thidua`` command. It starts services as processes and talks to them over HTTP only."""
