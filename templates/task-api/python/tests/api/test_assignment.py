"""Tasks in projects and tasks assigned to other users: who sees and changes what."""

from collections.abc import Callable
from typing import Any

from tests.api.helpers import Headers, create_project, create_task, titles, user_id


def test_a_task_goes_into_one_of_its_owners_projects(client: Any, user_headers: Headers) -> None:
    project = create_project(client, user_headers, "Mine")
    task = create_task(client, user_headers, project_id=project["id"])
    assert task["project_id"] == project["id"]
    url = f"/tasks/{task['id']}"
    other = create_project(client, user_headers, "Other")
    moved = client.patch(url, json={"project_id": other["id"]}, headers=user_headers)
    assert moved.json()["project_id"] == other["id"]
    removed = client.patch(url, json={"project_id": None}, headers=user_headers)
    assert removed.status_code == 200
    assert removed.json()["project_id"] is None


def test_another_users_or_a_missing_project_is_a_422(
    client: Any, user_headers: Headers, other_headers: Headers
) -> None:
    theirs = create_project(client, other_headers, "Theirs")
    for project_id in (theirs["id"], 999_999):
        response = client.post(
            "/tasks", json={"title": "x", "project_id": project_id}, headers=user_headers
        )
        assert response.status_code == 422
        assert [error["field"] for error in response.json()["errors"]] == ["project_id"]
    task = create_task(client, user_headers)
    response = client.patch(
        f"/tasks/{task['id']}", json={"project_id": theirs["id"]}, headers=user_headers
    )
    assert response.status_code == 422
    assert client.get(f"/projects/{theirs['id']}", headers=other_headers).json()["task_count"] == 0


def test_an_admin_keeps_a_task_in_its_owners_projects(
    client: Any, user_headers: Headers, admin_headers: Headers
) -> None:
    task = create_task(client, user_headers)
    url = f"/tasks/{task['id']}"
    admins = create_project(client, admin_headers, "Admin's")
    response = client.patch(url, json={"project_id": admins["id"]}, headers=admin_headers)
    assert response.status_code == 422
    owners = create_project(client, user_headers, "Owner's")
    response = client.patch(url, json={"project_id": owners["id"]}, headers=admin_headers)
    assert response.status_code == 200
    assert response.json()["project_id"] == owners["id"]


def test_list_filters_by_project(client: Any, user_headers: Headers) -> None:
    garden = create_project(client, user_headers, "Garden")
    house = create_project(client, user_headers, "House")
    create_task(client, user_headers, title="weed", project_id=garden["id"])
    create_task(client, user_headers, title="mow", project_id=garden["id"])
    create_task(client, user_headers, title="paint", project_id=house["id"])
    create_task(client, user_headers, title="loose")
    assert titles(client, user_headers, project_id=garden["id"]) == ["mow", "weed"]
    assert titles(client, user_headers, project_id=house["id"]) == ["paint"]
    assert titles(client, user_headers, project_id=999_999) == []
    response = client.get("/tasks", params={"project_id": "x"}, headers=user_headers)
    assert response.status_code == 422


def test_the_assignee_sees_the_task_and_may_change_its_status_only(
    client: Any, user_headers: Headers, other_headers: Headers
) -> None:
    assignee = user_id(client, other_headers)
    task = create_task(client, user_headers, title="shared", assignee_id=assignee)
    assert task["assignee_id"] == assignee
    url = f"/tasks/{task['id']}"
    assert client.get(url, headers=other_headers).json()["title"] == "shared"
    assert titles(client, other_headers) == ["shared"]

    moved = client.patch(url, json={"status": "in_progress"}, headers=other_headers)
    assert moved.status_code == 200
    assert moved.json()["status"] == "in_progress"
    assert client.get(url, headers=user_headers).json()["status"] == "in_progress"

    for payload in [
        {"title": "mine now"},
        {"status": "done", "priority": "high"},
        {"assignee_id": None},
        {"assignee_id": assignee},
        {"project_id": None},
        {"due_date": None},
    ]:
        response = client.patch(url, json=payload, headers=other_headers)
        assert response.status_code == 403, payload
        assert response.json()["detail"]
    assert client.delete(url, headers=other_headers).status_code == 403
    unchanged = client.get(url, headers=user_headers).json()
    assert (unchanged["title"], unchanged["status"]) == ("shared", "in_progress")
    assert unchanged["assignee_id"] == assignee


def test_others_still_see_nothing(
    client: Any,
    user_headers: Headers,
    other_headers: Headers,
    headers_for: Callable[..., Headers],
) -> None:
    third = headers_for()
    task = create_task(client, user_headers, assignee_id=user_id(client, other_headers))
    url = f"/tasks/{task['id']}"
    assert client.get(url, headers=third).status_code == 404
    assert client.patch(url, json={"status": "done"}, headers=third).status_code == 404
    assert client.delete(url, headers=third).status_code == 404
    assert client.get("/tasks", headers=third).json()["total"] == 0


def test_the_owner_reassigns_and_unassigns(
    client: Any,
    user_headers: Headers,
    other_headers: Headers,
    headers_for: Callable[..., Headers],
) -> None:
    third = headers_for()
    task = create_task(client, user_headers, assignee_id=user_id(client, other_headers))
    url = f"/tasks/{task['id']}"
    reassigned = client.patch(
        url, json={"assignee_id": user_id(client, third)}, headers=user_headers
    )
    assert reassigned.json()["assignee_id"] == user_id(client, third)
    assert client.get(url, headers=other_headers).status_code == 404
    assert client.get(url, headers=third).status_code == 200
    unassigned = client.patch(url, json={"assignee_id": None}, headers=user_headers)
    assert unassigned.json()["assignee_id"] is None
    assert client.get(url, headers=third).status_code == 404


def test_an_admin_reassigns_and_deletes(
    client: Any, user_headers: Headers, other_headers: Headers, admin_headers: Headers
) -> None:
    task = create_task(client, user_headers)
    url = f"/tasks/{task['id']}"
    assignee = user_id(client, other_headers)
    response = client.patch(url, json={"assignee_id": assignee}, headers=admin_headers)
    assert response.json()["assignee_id"] == assignee
    assert client.get(url, headers=other_headers).status_code == 200
    assert client.delete(url, headers=admin_headers).status_code == 204


def test_the_assignee_must_be_an_active_user(
    client: Any,
    user_headers: Headers,
    admin_headers: Headers,
    headers_for: Callable[..., Headers],
) -> None:
    disabled = user_id(client, headers_for())
    response = client.patch(f"/users/{disabled}", json={"is_active": False}, headers=admin_headers)
    assert response.status_code == 200
    for assignee in (disabled, 999_999):
        response = client.post(
            "/tasks", json={"title": "x", "assignee_id": assignee}, headers=user_headers
        )
        assert response.status_code == 422
        assert [error["field"] for error in response.json()["errors"]] == ["assignee_id"]
    task = create_task(client, user_headers)
    response = client.patch(
        f"/tasks/{task['id']}", json={"assignee_id": disabled}, headers=user_headers
    )
    assert response.status_code == 422


def test_scope_lists_owned_or_assigned_tasks(
    client: Any, user_headers: Headers, other_headers: Headers, admin_headers: Headers
) -> None:
    me = user_id(client, user_headers)
    create_task(client, user_headers, title="mine")
    create_task(
        client, user_headers, title="mine, theirs", assignee_id=user_id(client, other_headers)
    )
    create_task(client, other_headers, title="theirs, mine", assignee_id=me)
    create_task(client, other_headers, title="theirs")
    assert titles(client, user_headers) == ["mine", "mine, theirs", "theirs, mine"]
    assert titles(client, user_headers, scope="all") == ["mine", "mine, theirs", "theirs, mine"]
    assert titles(client, user_headers, scope="owned") == ["mine", "mine, theirs"]
    assert titles(client, user_headers, scope="assigned") == ["theirs, mine"]
    assert titles(client, user_headers, scope="assigned", status="done") == []
    assert titles(client, admin_headers, scope="owned") == []
    assert len(titles(client, admin_headers)) == 4
    response = client.get("/tasks", params={"scope": "everything"}, headers=user_headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "scope"


def test_the_total_counts_each_visible_task_once(
    client: Any, user_headers: Headers, other_headers: Headers
) -> None:
    # A user's total is counted as the tasks they own plus those assigned to them that
    # they do not own (docs/pagination.md of the toolkit): a task they own and are
    # assigned counts once, with or without a filter.
    me, other = user_id(client, user_headers), user_id(client, other_headers)
    create_task(client, user_headers, title="mine")
    create_task(client, user_headers, title="mine, mine", assignee_id=me, priority="low")
    create_task(client, user_headers, title="mine, theirs", assignee_id=other)
    create_task(client, other_headers, title="theirs, mine", assignee_id=me, priority="low")
    create_task(client, other_headers, title="theirs", priority="low")

    def total(**params: Any) -> int:
        response = client.get("/tasks", params=params, headers=user_headers)
        assert response.status_code == 200, response.text
        page = response.json()
        assert page["total"] == len(page["items"])
        result: int = page["total"]
        return result

    assert total() == 4
    assert total(scope="owned") == 3
    assert total(scope="assigned") == 2
    assert total(priority="low") == 2
    assert total(priority="low", status="todo", scope="assigned") == 2
    assert total(priority="high") == 0
