"""Tasks: CRUD, ownership, validation, filters, sorting and pagination."""

from typing import Any

import pytest

from tests.api.helpers import Headers
from tests.api.helpers import create_task as create


def test_create_applies_defaults_and_utc_timestamps(client: Any, user_headers: Headers) -> None:
    task = create(client, user_headers, title="Write the report")
    assert task["title"] == "Write the report"
    assert task["status"] == "todo"
    assert task["priority"] == "medium"
    assert task["description"] is None and task["due_date"] is None
    assert task["project_id"] is None and task["assignee_id"] is None
    assert task["created_at"].endswith(("Z", "+00:00"))
    assert task["updated_at"].endswith(("Z", "+00:00"))


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "title"),
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "ok", "status": "finished"}, "status"),
        ({"title": "ok", "priority": "urgent"}, "priority"),
        ({"title": "ok", "due_date": "tomorrow"}, "due_date"),
        ({"title": "ok", "owner_id": 1}, "owner_id"),
        ({"title": "ok", "project_id": 0}, "project_id"),
        ({"title": "ok", "project_id": "x"}, "project_id"),
        ({"title": "ok", "assignee_id": -1}, "assignee_id"),
        ({"title": "ok", "assignee_id": 2**31}, "assignee_id"),
    ],
)
def test_create_validates(
    client: Any, user_headers: Headers, payload: dict[str, Any], field: str
) -> None:
    response = client.post("/tasks", json=payload, headers=user_headers)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"]
    assert field in {error["field"] for error in body["errors"]}


def test_a_body_that_is_not_an_object_is_a_422(client: Any, user_headers: Headers) -> None:
    response = client.post("/tasks", json=["a", "list"], headers=user_headers)
    assert response.status_code == 422


def test_tasks_need_a_token(client: Any) -> None:
    assert client.get("/tasks").status_code == 401
    assert client.post("/tasks", json={"title": "x"}).status_code == 401


def test_read_update_delete(client: Any, user_headers: Headers) -> None:
    task = create(client, user_headers, description="first draft", due_date="2030-01-31")
    url = f"/tasks/{task['id']}"
    assert client.get(url, headers=user_headers).json() == task

    changed = client.patch(url, json={"status": "in_progress"}, headers=user_headers)
    assert changed.status_code == 200
    assert changed.json()["status"] == "in_progress"
    assert changed.json()["description"] == "first draft"

    cleared = client.patch(url, json={"due_date": None}, headers=user_headers)
    assert cleared.json()["due_date"] is None

    assert client.delete(url, headers=user_headers).status_code == 204
    assert client.get(url, headers=user_headers).status_code == 404


def test_update_validates(client: Any, user_headers: Headers) -> None:
    url = f"/tasks/{create(client, user_headers)['id']}"
    for payload in [{"title": None}, {"title": ""}, {"status": "nope"}, {"unknown": 1}]:
        response = client.patch(url, json=payload, headers=user_headers)
        assert response.status_code == 422, payload


def test_others_tasks_are_invisible(
    client: Any, user_headers: Headers, other_headers: Headers
) -> None:
    task = create(client, user_headers)
    url = f"/tasks/{task['id']}"
    assert client.get(url, headers=other_headers).status_code == 404
    assert client.patch(url, json={"title": "mine"}, headers=other_headers).status_code == 404
    assert client.delete(url, headers=other_headers).status_code == 404
    assert client.get("/tasks", headers=other_headers).json()["total"] == 0
    assert client.get(url, headers=user_headers).json()["title"] == task["title"]


def test_an_admin_sees_and_changes_every_task(
    client: Any, user_headers: Headers, admin_headers: Headers
) -> None:
    task = create(client, user_headers)
    url = f"/tasks/{task['id']}"
    assert client.get(url, headers=admin_headers).status_code == 200
    assert client.get("/tasks", headers=admin_headers).json()["total"] >= 1
    response = client.patch(url, json={"priority": "high"}, headers=admin_headers)
    assert response.json()["priority"] == "high"


@pytest.mark.parametrize("task_id", ["not-a-number", "999999", "0", "-1", "9" * 30])
def test_malformed_and_missing_ids_are_404(
    client: Any, user_headers: Headers, task_id: str
) -> None:
    for method in ("get", "patch", "delete"):
        options = {"json": {"title": "x"}} if method == "patch" else {}
        response = getattr(client, method)(f"/tasks/{task_id}", headers=user_headers, **options)
        assert response.status_code == 404, (method, response.text)
        assert response.json()["detail"]


def test_list_filters(client: Any, user_headers: Headers) -> None:
    create(client, user_headers, title="a", status="done", priority="low", due_date="2030-01-10")
    create(client, user_headers, title="b", status="todo", priority="high", due_date="2030-02-10")
    create(client, user_headers, title="c", status="todo", priority="low")

    def titles(**params: str) -> list[str]:
        response = client.get("/tasks", params={**params, "sort": "title"}, headers=user_headers)
        assert response.status_code == 200, response.text
        return [task["title"] for task in response.json()["items"]]

    assert titles(status="todo") == ["b", "c"]
    assert titles(priority="low") == ["a", "c"]
    assert titles(due_before="2030-01-31") == ["a"]
    assert titles(due_after="2030-01-31") == ["b"]
    assert titles(due_after="2030-01-10", due_before="2030-02-10") == ["a", "b"]


def test_list_sorts(client: Any, user_headers: Headers) -> None:
    create(client, user_headers, title="low", priority="low", due_date="2030-03-01")
    create(client, user_headers, title="high", priority="high")
    create(client, user_headers, title="medium", priority="medium", due_date="2030-01-01")

    def titles(sort: str) -> list[str]:
        response = client.get("/tasks", params={"sort": sort}, headers=user_headers)
        return [task["title"] for task in response.json()["items"]]

    assert titles("priority") == ["low", "medium", "high"]
    assert titles("-priority") == ["high", "medium", "low"]
    assert titles("due_date") == ["medium", "low", "high"]  # no due date goes last
    assert titles("-created_at") == ["medium", "high", "low"]
    assert client.get("/tasks", params={"sort": "owner"}, headers=user_headers).status_code == 422


def test_list_paginates_with_a_total(client: Any, user_headers: Headers) -> None:
    for number in range(5):
        create(client, user_headers, title=f"task {number}")
    page = client.get("/tasks", params={"limit": 2, "offset": 2}, headers=user_headers).json()
    assert page["total"] == 5
    assert page["limit"] == 2 and page["offset"] == 2
    assert len(page["items"]) == 2
    default = client.get("/tasks", headers=user_headers).json()
    assert default["offset"] == 0 and len(default["items"]) == 5


@pytest.mark.parametrize("params", [{"limit": 101}, {"limit": 0}, {"offset": -1}, {"limit": "x"}])
def test_list_refuses_bad_pages(client: Any, user_headers: Headers, params: dict[str, Any]) -> None:
    response = client.get("/tasks", params=params, headers=user_headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] in params


@pytest.mark.parametrize("value", [True, 1.0, "1", 2**64])
@pytest.mark.parametrize("field", ["project_id", "assignee_id"])
def test_ids_in_a_body_are_json_integers(
    client: Any, user_headers: Headers, field: str, value: Any
) -> None:
    response = client.post("/tasks", json={"title": "ok", field: value}, headers=user_headers)
    assert response.status_code == 422, response.text
    assert field in {error["field"] for error in response.json()["errors"]}
