"""OPTIONS and 405 answers name in ``Allow`` what the OpenAPI document gives a path."""

from typing import Any

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def test_options_and_wrong_methods_name_the_documented_ones(client: Any) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path, template in [("/users/me", "/users/me"), ("/users/1", "/users/{user_id}")]:
        documented = [method for method in METHODS if method.lower() in paths[template]]
        response = client.request("OPTIONS", path)
        assert response.status_code == 204, (path, response.status_code)
        assert response.headers["Allow"] == ", ".join([*documented, "OPTIONS"]), path
    wrong = client.delete("/health")
    assert wrong.status_code == 405 and wrong.headers["Allow"] == "GET, OPTIONS"
    assert isinstance(wrong.json()["detail"], str)
