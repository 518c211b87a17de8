"""Comments: who reads, writes and deletes them; validation; oldest first, in pages."""

from collections.abc import Callable
from typing import Any

import pytest

from tests.api.helpers import Headers, add_comment, create_task, user_id


def bodies(client: Any, headers: Headers, task_id: int, **params: Any) -> list[str]:
    response = client.get(f"/tasks/{task_id}/comments", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [comment["body"] for comment in response.json()["items"]]


def test_comment_and_read(client: Any, user_headers: Headers) -> None:
    task = create_task(client, user_headers)
    comment = add_comment(client, user_headers, task["id"], "  First!  ")
    assert comment["body"] == "First!"
    assert comment["task_id"] == task["id"]
    assert comment["author_id"] == user_id(client, user_headers)
    assert comment["created_at"].endswith(("Z", "+00:00"))
    page = client.get(f"/tasks/{task['id']}/comments", headers=user_headers).json()
    assert page == {"items": [comment], "total": 1, "limit": 20, "offset": 0}


def test_owner_assignee_and_admin_read_and_comment(
    client: Any, user_headers: Headers, other_headers: Headers, admin_headers: Headers
) -> None:
    task = create_task(client, user_headers, assignee_id=user_id(client, other_headers))
    add_comment(client, user_headers, task["id"], "from the owner")
    add_comment(client, other_headers, task["id"], "from the assignee")
    add_comment(client, admin_headers, task["id"], "from an admin")
    expected = ["from the owner", "from the assignee", "from an admin"]
    for headers in (user_headers, other_headers, admin_headers):
        assert bodies(client, headers, task["id"]) == expected


def test_others_cannot_see_the_comments(
    client: Any,
    user_headers: Headers,
    other_headers: Headers,
    headers_for: Callable[..., Headers],
) -> None:
    task = create_task(client, user_headers, assignee_id=user_id(client, other_headers))
    comment = add_comment(client, user_headers, task["id"], "private")
    url = f"/tasks/{task['id']}/comments"
    third = headers_for()
    assert client.get(url, headers=third).status_code == 404
    assert client.post(url, json={"body": "hi"}, headers=third).status_code == 404
    assert client.delete(f"{url}/{comment['id']}", headers=third).status_code == 404
    # Unassigned, the former assignee sees no more of it either.
    client.patch(f"/tasks/{task['id']}", json={"assignee_id": None}, headers=user_headers)
    assert client.get(url, headers=other_headers).status_code == 404
    assert client.get(url).status_code == 401


@pytest.mark.parametrize(
    "payload", [{}, {"body": ""}, {"body": "   "}, {"body": "x" * 2001}, {"body": None}]
)
def test_body_is_1_to_2000_characters(
    client: Any, user_headers: Headers, payload: dict[str, Any]
) -> None:
    task = create_task(client, user_headers)
    response = client.post(f"/tasks/{task['id']}/comments", json=payload, headers=user_headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body"
    assert add_comment(client, user_headers, task["id"], "x" * 2000)["body"] == "x" * 2000


def test_the_author_or_an_admin_deletes_a_comment(
    client: Any, user_headers: Headers, other_headers: Headers, admin_headers: Headers
) -> None:
    task = create_task(client, user_headers, assignee_id=user_id(client, other_headers))
    url = f"/tasks/{task['id']}/comments"
    by_assignee = add_comment(client, other_headers, task["id"], "by the assignee")
    by_owner = add_comment(client, user_headers, task["id"], "by the owner")
    # The owner of the task may not delete someone else's comment, nor the reverse.
    response = client.delete(f"{url}/{by_assignee['id']}", headers=user_headers)
    assert response.status_code == 403
    assert response.json()["detail"]
    assert client.delete(f"{url}/{by_owner['id']}", headers=other_headers).status_code == 403
    assert client.delete(f"{url}/{by_assignee['id']}", headers=other_headers).status_code == 204
    assert client.delete(f"{url}/{by_owner['id']}", headers=admin_headers).status_code == 204
    assert bodies(client, user_headers, task["id"]) == []
    assert client.delete(f"{url}/{by_owner['id']}", headers=user_headers).status_code == 404


def test_a_comment_belongs_to_its_task(client: Any, user_headers: Headers) -> None:
    first = create_task(client, user_headers)
    second = create_task(client, user_headers)
    comment = add_comment(client, user_headers, first["id"], "on the first")
    url = f"/tasks/{second['id']}/comments/{comment['id']}"
    assert client.delete(url, headers=user_headers).status_code == 404
    assert bodies(client, user_headers, second["id"]) == []
    for comment_id in ("abc", "0", "999999", "9" * 30):
        url = f"/tasks/{first['id']}/comments/{comment_id}"
        assert client.delete(url, headers=user_headers).status_code == 404
    for task_id in ("abc", "999999", "9" * 30):
        assert client.get(f"/tasks/{task_id}/comments", headers=user_headers).status_code == 404


def test_comments_come_oldest_first_in_pages(client: Any, user_headers: Headers) -> None:
    task = create_task(client, user_headers)
    for number in range(5):
        add_comment(client, user_headers, task["id"], f"comment {number}")
    url = f"/tasks/{task['id']}/comments"
    page = client.get(url, params={"limit": 2, "offset": 1}, headers=user_headers).json()
    assert (page["total"], page["limit"], page["offset"]) == (5, 2, 1)
    assert [comment["body"] for comment in page["items"]] == ["comment 1", "comment 2"]
    for params in ({"limit": 101}, {"limit": 0}, {"offset": -1}):
        response = client.get(url, params=params, headers=user_headers)
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] in params
