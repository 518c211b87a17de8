"""Projects: CRUD, ownership, unique names per owner, task counts, detaching on delete."""

from datetime import datetime
from typing import Any

import pytest

from tests.api.helpers import Headers, create_project, create_task, titles, user_id


def parse(timestamp: str) -> datetime:
    return datetime.fromisoformat(timestamp.replace("Z", "+00:00"))


def test_create_and_read(client: Any, user_headers: Headers) -> None:
    project = create_project(client, user_headers, "  Garden  ", description="Spring")
    assert project["name"] == "Garden"
    assert project["description"] == "Spring"
    assert project["owner_id"] == user_id(client, user_headers)
    assert project["task_count"] == 0
    assert project["created_at"].endswith(("Z", "+00:00"))
    read = client.get(f"/projects/{project['id']}", headers=user_headers)
    assert read.status_code == 200
    assert read.json() == project


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"name": "ok", "description": "x" * 10_001}, "description"),
        ({"name": "ok", "owner_id": 1}, "owner_id"),
    ],
)
def test_create_validates(
    client: Any, user_headers: Headers, payload: dict[str, Any], field: str
) -> None:
    response = client.post("/projects", json=payload, headers=user_headers)
    assert response.status_code == 422
    assert field in {error["field"] for error in response.json()["errors"]}


def test_a_name_of_100_characters_is_enough(client: Any, user_headers: Headers) -> None:
    assert create_project(client, user_headers, "x" * 100)["name"] == "x" * 100


def test_projects_need_a_token(client: Any) -> None:
    assert client.get("/projects").status_code == 401
    assert client.post("/projects", json={"name": "x"}).status_code == 401


def test_names_are_unique_per_owner(
    client: Any, user_headers: Headers, other_headers: Headers
) -> None:
    create_project(client, user_headers, "Home")
    taken = client.post("/projects", json={"name": "Home"}, headers=user_headers)
    assert taken.status_code == 409
    assert taken.json()["detail"]
    # Another owner may use the name; names compare exactly, on every database.
    create_project(client, other_headers, "Home")
    create_project(client, user_headers, "home")
    create_project(client, user_headers, "Hóme")


def test_rename_checks_the_name(client: Any, user_headers: Headers) -> None:
    create_project(client, user_headers, "Work")
    project = create_project(client, user_headers, "Play")
    url = f"/projects/{project['id']}"
    assert client.patch(url, json={"name": "Work"}, headers=user_headers).status_code == 409
    same = client.patch(url, json={"name": "Play"}, headers=user_headers)
    assert same.status_code == 200
    renamed = client.patch(
        url, json={"name": "Rest", "description": "Sundays"}, headers=user_headers
    )
    assert renamed.status_code == 200
    assert (renamed.json()["name"], renamed.json()["description"]) == ("Rest", "Sundays")
    cleared = client.patch(url, json={"description": None}, headers=user_headers)
    assert cleared.json()["description"] is None and cleared.json()["name"] == "Rest"
    for payload in [{"name": None}, {"name": ""}, {"name": "x" * 101}, {"owner_id": 1}]:
        assert client.patch(url, json=payload, headers=user_headers).status_code == 422, payload


def test_others_projects_are_invisible(
    client: Any, user_headers: Headers, other_headers: Headers
) -> None:
    project = create_project(client, user_headers, "Private")
    url = f"/projects/{project['id']}"
    assert client.get(url, headers=other_headers).status_code == 404
    assert client.patch(url, json={"name": "Mine"}, headers=other_headers).status_code == 404
    assert client.delete(url, headers=other_headers).status_code == 404
    assert client.get("/projects", headers=other_headers).json()["total"] == 0
    assert client.get(url, headers=user_headers).json()["name"] == "Private"


def test_an_admin_sees_and_changes_every_project(
    client: Any, user_headers: Headers, admin_headers: Headers
) -> None:
    project = create_project(client, user_headers, "Theirs")
    url = f"/projects/{project['id']}"
    assert client.get(url, headers=admin_headers).status_code == 200
    listed = client.get("/projects", headers=admin_headers).json()
    assert project["id"] in {item["id"] for item in listed["items"]}
    renamed = client.patch(url, json={"name": "Renamed"}, headers=admin_headers)
    assert renamed.json()["name"] == "Renamed"
    assert renamed.json()["owner_id"] == project["owner_id"]
    assert client.delete(url, headers=admin_headers).status_code == 204


def test_list_is_sorted_by_name_and_paginated(client: Any, user_headers: Headers) -> None:
    for name in ["delta", "alpha", "charlie", "bravo"]:
        create_project(client, user_headers, name)
    response = client.get("/projects", params={"limit": 2, "offset": 1}, headers=user_headers)
    page = response.json()
    assert (page["total"], page["limit"], page["offset"]) == (4, 2, 1)
    assert [project["name"] for project in page["items"]] == ["bravo", "charlie"]
    for params in ({"limit": 101}, {"limit": 0}, {"offset": -1}):
        assert client.get("/projects", params=params, headers=user_headers).status_code == 422


def test_task_count_follows_the_tasks(client: Any, user_headers: Headers) -> None:
    project = create_project(client, user_headers, "Counted")
    url = f"/projects/{project['id']}"
    first = create_task(client, user_headers, project_id=project["id"])
    create_task(client, user_headers, project_id=project["id"])
    create_task(client, user_headers)
    assert client.get(url, headers=user_headers).json()["task_count"] == 2
    listed = client.get("/projects", headers=user_headers).json()["items"]
    assert [item["task_count"] for item in listed] == [2]
    client.patch(f"/tasks/{first['id']}", json={"project_id": None}, headers=user_headers)
    assert client.get(url, headers=user_headers).json()["task_count"] == 1


def test_deleting_a_project_detaches_its_tasks(client: Any, user_headers: Headers) -> None:
    project = create_project(client, user_headers, "Doomed")
    task = create_task(client, user_headers, title="kept", project_id=project["id"])
    url = f"/projects/{project['id']}"
    assert client.delete(url, headers=user_headers).status_code == 204
    assert client.get(url, headers=user_headers).status_code == 404
    kept = client.get(f"/tasks/{task['id']}", headers=user_headers)
    assert kept.status_code == 200
    assert kept.json()["project_id"] is None
    assert parse(kept.json()["updated_at"]) > parse(task["updated_at"])
    assert titles(client, user_headers) == ["kept"]


@pytest.mark.parametrize("project_id", ["abc", "0", "999999", "9" * 30])
def test_malformed_and_missing_ids_are_404(
    client: Any, user_headers: Headers, project_id: str
) -> None:
    response = client.get(f"/projects/{project_id}", headers=user_headers)
    assert response.status_code == 404
    assert response.json()["detail"]
