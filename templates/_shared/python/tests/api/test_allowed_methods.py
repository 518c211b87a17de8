"""OPTIONS and 405 answers list in ``Allow`` the methods the OpenAPI document gives a path."""

from typing import Any


def _documented(client: Any, path: str) -> str:
    item = client.get("/openapi.json").json()["paths"][path]
    order = ("GET", "POST", "PUT", "PATCH", "DELETE")
    return ", ".join([*(method for method in order if method.lower() in item), "OPTIONS"])


def test_options_answers_the_documented_methods(client: Any) -> None:
    for path, template in [
        ("/auth/login", "/auth/login"),
        ("/users/me", "/users/me"),
        ("/users/1", "/users/{user_id}"),
    ]:
        response = client.request("OPTIONS", path)
        assert response.status_code == 204, (path, response.status_code)
        assert response.headers["Allow"] == _documented(client, template), path


def test_a_wrong_method_is_a_405_naming_the_documented_ones(client: Any) -> None:
    response = client.delete("/auth/login")
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST, OPTIONS"
    assert isinstance(response.json()["detail"], str)
