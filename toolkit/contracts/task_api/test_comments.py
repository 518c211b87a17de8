"""task-api comments: who reads, writes and deletes them; validation; oldest first."""

import httpx
import pytest

from ..conftest import Account, assert_error, error_fields, is_utc_timestamp
from .helpers import add_comment, create_task, user_id


def bodies(api: httpx.Client, account: Account, task_id: int, **params: object) -> list[str]:
    response = api.get(f"/tasks/{task_id}/comments", params=params, headers=account.headers)
    assert response.status_code == 200, response.text
    return [comment["body"] for comment in response.json()["items"]]


def test_owner_assignee_and_admin_comment(
    api: httpx.Client, user: Account, other: Account, admin: Account
) -> None:
    task = create_task(api, user, assignee_id=user_id(api, other))
    first = add_comment(api, user, task["id"], "from the owner")
    assert (first["task_id"], first["author_id"]) == (task["id"], user_id(api, user))
    assert is_utc_timestamp(first["created_at"])
    add_comment(api, other, task["id"], "from the assignee")
    add_comment(api, admin, task["id"], "from an admin")
    expected = ["from the owner", "from the assignee", "from an admin"]
    for account in (user, other, admin):
        assert bodies(api, account, task["id"]) == expected


def test_others_get_404(api: httpx.Client, user: Account, other: Account) -> None:
    task = create_task(api, user)
    comment = add_comment(api, user, task["id"], "private")
    url = f"/tasks/{task['id']}/comments"
    assert_error(api.get(url, headers=other.headers), 404)
    assert_error(api.post(url, json={"body": "hi"}, headers=other.headers), 404)
    assert_error(api.delete(f"{url}/{comment['id']}", headers=other.headers), 404)
    assert_error(api.get(url), 401)
    for task_id in ("999999999", "abc"):
        assert_error(api.get(f"/tasks/{task_id}/comments", headers=user.headers), 404)


@pytest.mark.parametrize("payload", [{}, {"body": ""}, {"body": "x" * 2001}, {"body": None}])
def test_body_is_validated(api: httpx.Client, member: Account, payload: dict) -> None:
    url = f"/tasks/{create_task(api, member)['id']}/comments"
    assert error_fields(api.post(url, json=payload, headers=member.headers)) == {"body"}


def test_author_or_admin_deletes(
    api: httpx.Client, user: Account, other: Account, admin: Account
) -> None:
    task = create_task(api, user, assignee_id=user_id(api, other))
    url = f"/tasks/{task['id']}/comments"
    by_assignee = add_comment(api, other, task["id"], "by the assignee")
    by_owner = add_comment(api, user, task["id"], "by the owner")
    assert_error(api.delete(f"{url}/{by_assignee['id']}", headers=user.headers), 403)
    assert_error(api.delete(f"{url}/{by_owner['id']}", headers=other.headers), 403)
    assert api.delete(f"{url}/{by_assignee['id']}", headers=other.headers).status_code == 204
    assert api.delete(f"{url}/{by_owner['id']}", headers=admin.headers).status_code == 204
    assert_error(api.delete(f"{url}/{by_owner['id']}", headers=user.headers), 404)
    assert bodies(api, user, task["id"]) == []


def test_a_comment_belongs_to_its_task(api: httpx.Client, user: Account) -> None:
    first = create_task(api, user)
    second = create_task(api, user)
    comment = add_comment(api, user, first["id"], "on the first")
    url = f"/tasks/{second['id']}/comments/{comment['id']}"
    assert_error(api.delete(url, headers=user.headers), 404)
    assert bodies(api, user, first["id"]) == ["on the first"]


def test_oldest_first_in_pages(api: httpx.Client, user: Account) -> None:
    task = create_task(api, user)
    for number in range(4):
        add_comment(api, user, task["id"], f"comment {number}")
    url = f"/tasks/{task['id']}/comments"
    page = api.get(url, params={"limit": 2, "offset": 1}, headers=user.headers).json()
    assert set(page) == {"items", "total", "limit", "offset"}
    assert (page["total"], page["limit"], page["offset"]) == (4, 2, 1)
    assert [comment["body"] for comment in page["items"]] == ["comment 1", "comment 2"]
    assert error_fields(api.get(url, params={"limit": 0}, headers=user.headers)) == {"limit"}
