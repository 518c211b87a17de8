"""GET /tasks by cursor: every sort walks every task once, in the offset order."""

import base64
import json
from typing import Any

import pytest

from tests.api.helpers import Headers
from tests.api.helpers import create_task as create

SORTS = [
    "created_at",
    "-created_at",
    "updated_at",
    "-updated_at",
    "title",
    "-title",
    "priority",
    "-priority",
    "due_date",
    "-due_date",
]


def _seed(client: Any, headers: Headers) -> None:
    """Seven tasks with ties on every key (same title, priority, due date), some
    without a due date."""
    for number, (title, priority, due) in enumerate(
        [
            ("b", "low", "2030-01-02"),
            ("a", "high", None),
            ("b", "medium", "2030-01-01"),
            ("c", "high", "2030-01-02"),
            ("a", "low", None),
            ("b", "high", "2030-01-01"),
            ("a", "medium", "2030-01-03"),
        ]
    ):
        create(client, headers, title=title, priority=priority, due_date=due)
        if number == 3:
            task = client.get("/tasks", params={"limit": 1}, headers=headers).json()["items"][0]
            client.patch(f"/tasks/{task['id']}", json={"status": "done"}, headers=headers)


def _walk(client: Any, headers: Headers, **params: Any) -> list[int]:
    ids: list[int] = []
    page = client.get("/tasks", params={"limit": 2, **params}, headers=headers).json()
    while True:
        ids.extend(task["id"] for task in page["items"])
        if page["next_cursor"] is None:
            return ids
        assert len(ids) < 20, "the cursor does not move"
        answer = client.get(
            "/tasks",
            params={"limit": 2, "cursor": page["next_cursor"], **params},
            headers=headers,
        )
        assert answer.status_code == 200, answer.text
        page = answer.json()


@pytest.mark.parametrize("sort", SORTS)
def test_a_cursor_walks_every_sort_as_offset_does(
    client: Any, user_headers: Headers, sort: str
) -> None:
    _seed(client, user_headers)
    everything = client.get("/tasks", params={"sort": sort}, headers=user_headers).json()
    assert everything["next_cursor"] is None
    expected = [task["id"] for task in everything["items"]]
    assert len(expected) == everything["total"] == 7
    assert _walk(client, user_headers, sort=sort) == expected


def test_a_cursor_keeps_the_filters(client: Any, user_headers: Headers) -> None:
    _seed(client, user_headers)
    everything = client.get("/tasks", params={"priority": "high"}, headers=user_headers).json()
    walked = _walk(client, user_headers, priority="high", status="todo")
    assert walked == [t["id"] for t in everything["items"] if t["status"] == "todo"]


def test_an_offset_page_has_the_cursor_of_the_next(client: Any, user_headers: Headers) -> None:
    _seed(client, user_headers)
    by_offset = client.get("/tasks", params={"limit": 3, "offset": 3}, headers=user_headers).json()
    first = client.get("/tasks", params={"limit": 3}, headers=user_headers).json()
    after = client.get(
        "/tasks", params={"limit": 3, "cursor": first["next_cursor"]}, headers=user_headers
    ).json()
    assert after["items"] == by_offset["items"]
    assert after["offset"] == 0


def test_a_deleted_row_does_not_break_its_cursor(client: Any, user_headers: Headers) -> None:
    _seed(client, user_headers)
    first = client.get("/tasks", params={"limit": 3}, headers=user_headers).json()
    client.delete(f"/tasks/{first['items'][-1]['id']}", headers=user_headers)
    after = client.get(
        "/tasks", params={"limit": 10, "cursor": first["next_cursor"]}, headers=user_headers
    ).json()
    assert len(after["items"]) == 4 and after["next_cursor"] is None


def _b64(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "params",
    [
        {"cursor": "not a cursor"},
        {"cursor": "%%%"},
        {"cursor": _b64({"a": 1})},
        {"cursor": _b64(["-created_at", "yesterday", 1])},
        {"cursor": _b64(["-created_at", "2030-01-01T00:00:00+00:00", "1"])},
        {"cursor": _b64(["-created_at", "2030-01-01T00:00:00+00:00", 0])},
        {"cursor": _b64(["-created_at", "2030-01-01T00:00:00+00:00", 2**70])},
        {"cursor": _b64(["title", "a", 1])},
        {"cursor": _b64(["priority", 1, 0, 1]), "sort": "priority"},
        {"cursor": _b64(["due_date", False, 3, 1]), "sort": "due_date"},
        {"cursor": "x" * 2000},
        {"cursor": _b64(["-created_at", "2030-01-01T00:00:00+00:00", 1]), "offset": 0},
    ],
)
def test_a_bad_cursor_is_a_422(client: Any, user_headers: Headers, params: dict[str, Any]) -> None:
    create(client, user_headers)
    response = client.get("/tasks", params=params, headers=user_headers)
    assert response.status_code == 422, response.text
    assert "detail" in response.json()
