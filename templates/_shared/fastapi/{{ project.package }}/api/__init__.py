"""The HTTP layer: routes, dependencies and error handlers."""
