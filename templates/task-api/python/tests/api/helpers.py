"""Helpers of the task-api tests: make tasks, projects and comments through the API."""

from typing import Any

Headers = dict[str, str]


def user_id(client: Any, headers: Headers) -> int:
    """The id of the signed-in user."""
    response = client.get("/users/me", headers=headers)
    assert response.status_code == 200, response.text
    result: int = response.json()["id"]
    return result


def create_task(client: Any, headers: Headers, **fields: Any) -> dict[str, Any]:
    """Create a task (title "A task" unless given) and return it."""
    response = client.post("/tasks", json={"title": "A task", **fields}, headers=headers)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def create_project(client: Any, headers: Headers, name: str, **fields: Any) -> dict[str, Any]:
    """Create a project and return it."""
    response = client.post("/projects", json={"name": name, **fields}, headers=headers)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def add_comment(client: Any, headers: Headers, task_id: int, body: str) -> dict[str, Any]:
    """Comment on a task and return the comment."""
    response = client.post(f"/tasks/{task_id}/comments", json={"body": body}, headers=headers)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def titles(client: Any, headers: Headers, **params: Any) -> list[str]:
    """The titles of the tasks ``GET /tasks`` lists, sorted by title."""
    response = client.get("/tasks", params={"sort": "title", **params}, headers=headers)
    assert response.status_code == 200, response.text
    return [task["title"] for task in response.json()["items"]]
