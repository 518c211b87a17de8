"""Request and response shapes (pydantic), shared by the HTTP layer and the services."""
