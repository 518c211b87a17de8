"""The HTTP layer: blueprints, request validation, error handlers, the OpenAPI document."""
