"""task-api: tasks in their owner's projects, and tasks assigned to other users."""

from collections.abc import Callable

import httpx

from ..conftest import Account, assert_error, error_fields
from .helpers import create_project, create_task, titles, user_id


def test_project_filter_and_removal(api: httpx.Client, user: Account) -> None:
    garden = create_project(api, user, "Garden")
    house = create_project(api, user, "House")
    weed = create_task(api, user, title="weed", project_id=garden["id"])
    create_task(api, user, title="paint", project_id=house["id"])
    create_task(api, user, title="loose")
    assert weed["project_id"] == garden["id"]
    assert titles(api, user, project_id=garden["id"]) == ["weed"]
    moved = api.patch(f"/tasks/{weed['id']}", json={"project_id": None}, headers=user.headers)
    assert moved.status_code == 200 and moved.json()["project_id"] is None
    assert titles(api, user, project_id=garden["id"]) == []
    moved = api.patch(
        f"/tasks/{weed['id']}", json={"project_id": house["id"]}, headers=user.headers
    )
    assert moved.json()["project_id"] == house["id"]
    assert titles(api, user, project_id=house["id"]) == ["paint", "weed"]


def test_another_users_project_is_a_422(api: httpx.Client, user: Account, other: Account) -> None:
    theirs = create_project(api, other, "Theirs")
    for project_id in (theirs["id"], 999_999_999):
        payload = {"title": "x", "project_id": project_id}
        assert error_fields(api.post("/tasks", json=payload, headers=user.headers)) == {
            "project_id"
        }
    task = create_task(api, user)
    response = api.patch(
        f"/tasks/{task['id']}", json={"project_id": theirs["id"]}, headers=user.headers
    )
    assert error_fields(response) == {"project_id"}


def test_admin_cannot_move_a_task_out_of_its_owners_projects(
    api: httpx.Client, user: Account, admin: Account
) -> None:
    url = f"/tasks/{create_task(api, user)['id']}"
    admins = create_project(api, admin, f"Admin's {url}")
    response = api.patch(url, json={"project_id": admins["id"]}, headers=admin.headers)
    assert error_fields(response) == {"project_id"}
    owners = create_project(api, user, "Owner's")
    response = api.patch(url, json={"project_id": owners["id"]}, headers=admin.headers)
    assert response.status_code == 200 and response.json()["project_id"] == owners["id"]
    assert api.delete(f"/projects/{admins['id']}", headers=admin.headers).status_code == 204


def test_the_assignee_sees_the_task_and_changes_its_status_only(
    api: httpx.Client, user: Account, other: Account, new_account: Callable[[], Account]
) -> None:
    assignee = user_id(api, other)
    task = create_task(api, user, title="shared", assignee_id=assignee)
    assert task["assignee_id"] == assignee
    url = f"/tasks/{task['id']}"
    assert api.get(url, headers=other.headers).json()["title"] == "shared"
    assert titles(api, other) == ["shared"]
    moved = api.patch(url, json={"status": "done"}, headers=other.headers)
    assert moved.status_code == 200 and moved.json()["status"] == "done"
    for payload in (
        {"title": "mine"},
        {"status": "todo", "priority": "high"},
        {"assignee_id": None},
        {"project_id": None},
    ):
        assert_error(api.patch(url, json=payload, headers=other.headers), 403)
    assert_error(api.delete(url, headers=other.headers), 403)
    assert api.get(url, headers=user.headers).json()["title"] == "shared"
    third = new_account()
    assert_error(api.get(url, headers=third.headers), 404)
    assert_error(api.patch(url, json={"status": "todo"}, headers=third.headers), 404)


def test_unassigning_hides_the_task_again(api: httpx.Client, user: Account, other: Account) -> None:
    task = create_task(api, user, assignee_id=user_id(api, other))
    url = f"/tasks/{task['id']}"
    assert api.get(url, headers=other.headers).status_code == 200
    unassigned = api.patch(url, json={"assignee_id": None}, headers=user.headers)
    assert unassigned.json()["assignee_id"] is None
    assert_error(api.get(url, headers=other.headers), 404)


def test_admin_reassigns(api: httpx.Client, user: Account, other: Account, admin: Account) -> None:
    url = f"/tasks/{create_task(api, user)['id']}"
    response = api.patch(url, json={"assignee_id": user_id(api, other)}, headers=admin.headers)
    assert response.status_code == 200
    assert api.get(url, headers=other.headers).status_code == 200


def test_the_assignee_must_be_an_active_user(
    api: httpx.Client, user: Account, admin: Account, new_account: Callable[[], Account]
) -> None:
    disabled = user_id(api, new_account())
    response = api.patch(f"/users/{disabled}", json={"is_active": False}, headers=admin.headers)
    assert response.status_code == 200
    for assignee in (disabled, 999_999_999):
        payload = {"title": "x", "assignee_id": assignee}
        assert error_fields(api.post("/tasks", json=payload, headers=user.headers)) == {
            "assignee_id"
        }


def test_scope(api: httpx.Client, user: Account, other: Account) -> None:
    me = user_id(api, user)
    create_task(api, user, title="mine")
    create_task(api, user, title="mine, theirs", assignee_id=user_id(api, other))
    create_task(api, other, title="theirs, mine", assignee_id=me)
    create_task(api, other, title="theirs")
    assert titles(api, user) == ["mine", "mine, theirs", "theirs, mine"]
    assert titles(api, user, scope="owned") == ["mine", "mine, theirs"]
    assert titles(api, user, scope="assigned") == ["theirs, mine"]
    assert titles(api, other, scope="assigned") == ["mine, theirs"]
    response = api.get("/tasks", params={"scope": "everything"}, headers=user.headers)
    assert error_fields(response) == {"scope"}
