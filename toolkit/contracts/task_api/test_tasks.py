"""task-api: tasks owned by users, visible to admins; validation, filters, pages."""

import base64
import json

import httpx
import pytest

from ..conftest import Account, assert_error, error_fields, is_utc_timestamp
from .helpers import create_task as create


def test_create_and_read(api: httpx.Client, user: Account) -> None:
    task = create(api, user, title="Ship it", description="today", due_date="2031-05-01")
    assert task["title"] == "Ship it"
    assert task["status"] == "todo" and task["priority"] == "medium"
    assert task["due_date"] == "2031-05-01"
    assert task["project_id"] is None and task["assignee_id"] is None
    assert is_utc_timestamp(task["created_at"]) and is_utc_timestamp(task["updated_at"])
    read = api.get(f"/tasks/{task['id']}", headers=user.headers)
    assert read.status_code == 200
    assert read.json() == task


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "title"),
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "ok", "status": "finished"}, "status"),
        ({"title": "ok", "priority": "urgent"}, "priority"),
        ({"title": "ok", "due_date": "next week"}, "due_date"),
        ({"title": "ok", "project_id": 0}, "project_id"),
        ({"title": "ok", "assignee_id": "someone"}, "assignee_id"),
    ],
)
def test_create_validates(api: httpx.Client, member: Account, payload: dict, field: str) -> None:
    response = api.post("/tasks", json=payload, headers=member.headers)
    assert field in error_fields(response)


def test_tasks_need_a_token(api: httpx.Client) -> None:
    assert_error(api.get("/tasks"), 401)
    assert_error(api.post("/tasks", json={"title": "x"}), 401)


def test_update_and_delete(api: httpx.Client, user: Account) -> None:
    task = create(api, user)
    url = f"/tasks/{task['id']}"
    changed = api.patch(url, json={"status": "done", "priority": "high"}, headers=user.headers)
    assert changed.status_code == 200
    assert (changed.json()["status"], changed.json()["priority"]) == ("done", "high")
    assert changed.json()["title"] == task["title"]
    assert "title" in error_fields(api.patch(url, json={"title": None}, headers=user.headers))
    deleted = api.delete(url, headers=user.headers)
    assert deleted.status_code == 204
    assert_error(api.get(url, headers=user.headers), 404)


def test_other_users_tasks_are_404(api: httpx.Client, user: Account, other: Account) -> None:
    url = f"/tasks/{create(api, user)['id']}"
    assert_error(api.get(url, headers=other.headers), 404)
    assert_error(api.patch(url, json={"title": "stolen"}, headers=other.headers), 404)
    assert_error(api.delete(url, headers=other.headers), 404)
    assert api.get("/tasks", headers=other.headers).json()["total"] == 0


def test_admin_sees_every_task(api: httpx.Client, user: Account, admin: Account) -> None:
    task = create(api, user)
    read = api.get(f"/tasks/{task['id']}", headers=admin.headers)
    assert read.status_code == 200
    listed = api.get("/tasks", params={"limit": 100}, headers=admin.headers).json()
    assert listed["total"] >= 1


def test_missing_and_malformed_ids_are_404(api: httpx.Client, member: Account) -> None:
    for task_id in ("999999999", "abc", "0", "-1", "9" * 30):
        assert_error(api.get(f"/tasks/{task_id}", headers=member.headers), 404)
    assert_error(api.delete(f"/tasks/{'9' * 30}", headers=member.headers), 404)


def test_filters_and_sorting(api: httpx.Client, user: Account) -> None:
    create(api, user, title="a", status="done", priority="low", due_date="2031-01-10")
    create(api, user, title="b", status="todo", priority="high", due_date="2031-02-10")
    create(api, user, title="c", status="todo", priority="medium")

    def titles(**params: str) -> list[str]:
        response = api.get("/tasks", params=params, headers=user.headers)
        assert response.status_code == 200, response.text
        return [task["title"] for task in response.json()["items"]]

    assert titles(status="todo", sort="title") == ["b", "c"]
    assert titles(priority="low") == ["a"]
    assert titles(due_before="2031-01-31") == ["a"]
    assert titles(due_after="2031-01-31") == ["b"]
    assert titles(sort="-priority") == ["b", "c", "a"]
    assert titles(sort="due_date") == ["a", "b", "c"]
    assert "sort" in error_fields(api.get("/tasks", params={"sort": "nope"}, headers=user.headers))


def test_pagination(api: httpx.Client, user: Account) -> None:
    for number in range(3):
        create(api, user, title=f"page {number}")
    page = api.get("/tasks", params={"limit": 2, "offset": 1}, headers=user.headers).json()
    assert set(page) == {"items", "total", "limit", "offset", "next_cursor"}
    assert (page["total"], page["limit"], page["offset"], len(page["items"])) == (3, 2, 1, 2)
    for params in ({"limit": 101}, {"limit": 0}, {"offset": -1}):
        response = api.get("/tasks", params=params, headers=user.headers)
        assert error_fields(response) == set(params)


def test_cursor_pagination(api: httpx.Client, user: Account) -> None:
    """?cursor= (the next_cursor of a page) gives the page after it, as the offset does;
    next_cursor is null on the last page; a cursor with an offset, or one the service did
    not make, is a 422 naming ``cursor``."""
    for number in range(5):
        create(api, user, title=f"cursor {number % 2}", priority=("low", "high")[number % 2])
    for sort in ("-created_at", "title", "-priority", "due_date"):
        everything = api.get("/tasks", params={"sort": sort}, headers=user.headers).json()
        assert everything["next_cursor"] is None
        walked, params = [], {"sort": sort, "limit": 2}
        while True:
            response = api.get("/tasks", params=params, headers=user.headers)
            assert response.status_code == 200, response.text
            page = response.json()
            assert page["total"] == 5 and page["offset"] == 0
            walked.extend(task["id"] for task in page["items"])
            if page["next_cursor"] is None:
                break
            assert len(walked) < 10
            params = {"sort": sort, "limit": 2, "cursor": page["next_cursor"]}
        assert walked == [task["id"] for task in everything["items"]], sort
    first = api.get("/tasks", params={"limit": 2}, headers=user.headers).json()
    forged = base64.urlsafe_b64encode(json.dumps(["-created_at", 1, "x"]).encode()).decode()
    for params in (
        {"cursor": first["next_cursor"], "offset": 2},
        {"cursor": "not-a-cursor"},
        {"cursor": forged.rstrip("=")},
        {"cursor": first["next_cursor"], "sort": "title"},
    ):
        response = api.get("/tasks", params=params, headers=user.headers)
        assert "cursor" in error_fields(response), params
