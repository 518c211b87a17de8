"""task-api projects: ownership, unique names per owner, task counts, detaching on delete."""

import httpx
import pytest

from ..conftest import Account, assert_error, error_fields, is_utc_timestamp
from .helpers import create_project, create_task, titles, user_id


def test_create_read_update(api: httpx.Client, user: Account) -> None:
    project = create_project(api, user, "Garden", description="Spring")
    assert project["owner_id"] == user_id(api, user)
    assert (project["name"], project["description"], project["task_count"]) == (
        "Garden",
        "Spring",
        0,
    )
    assert is_utc_timestamp(project["created_at"]) and is_utc_timestamp(project["updated_at"])
    url = f"/projects/{project['id']}"
    assert api.get(url, headers=user.headers).json() == project
    renamed = api.patch(url, json={"name": "Yard", "description": None}, headers=user.headers)
    assert renamed.status_code == 200
    assert (renamed.json()["name"], renamed.json()["description"]) == ("Yard", None)
    assert "name" in error_fields(api.patch(url, json={"name": None}, headers=user.headers))


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"name": "ok", "owner_id": 1}, "owner_id"),
    ],
)
def test_create_validates(api: httpx.Client, member: Account, payload: dict, field: str) -> None:
    assert field in error_fields(api.post("/projects", json=payload, headers=member.headers))


def test_projects_need_a_token(api: httpx.Client) -> None:
    assert_error(api.get("/projects"), 401)
    assert_error(api.post("/projects", json={"name": "x"}), 401)


def test_names_are_unique_per_owner(api: httpx.Client, user: Account, other: Account) -> None:
    create_project(api, user, "Home")
    assert_error(api.post("/projects", json={"name": "Home"}, headers=user.headers), 409)
    create_project(api, other, "Home")
    work = create_project(api, user, "Work")
    renamed = api.patch(f"/projects/{work['id']}", json={"name": "Home"}, headers=user.headers)
    assert_error(renamed, 409)


def test_other_users_projects_are_404(api: httpx.Client, user: Account, other: Account) -> None:
    url = f"/projects/{create_project(api, user, 'Private')['id']}"
    assert_error(api.get(url, headers=other.headers), 404)
    assert_error(api.patch(url, json={"name": "Mine"}, headers=other.headers), 404)
    assert_error(api.delete(url, headers=other.headers), 404)
    assert api.get("/projects", headers=other.headers).json()["total"] == 0
    for project_id in ("999999999", "abc", "0", "9" * 30):
        assert_error(api.get(f"/projects/{project_id}", headers=user.headers), 404)


def test_admin_sees_every_project(api: httpx.Client, user: Account, admin: Account) -> None:
    project = create_project(api, user, "Watched")
    url = f"/projects/{project['id']}"
    assert api.get(url, headers=admin.headers).status_code == 200
    renamed = api.patch(url, json={"name": "Renamed by admin"}, headers=admin.headers)
    assert renamed.status_code == 200
    assert renamed.json()["owner_id"] == project["owner_id"]


def test_list_sorted_by_name_with_task_counts(api: httpx.Client, user: Account) -> None:
    for name in ["charlie", "alpha", "bravo"]:
        create_project(api, user, name)
    bravo = api.get("/projects", params={"limit": 1, "offset": 1}, headers=user.headers).json()
    assert set(bravo) == {"items", "total", "limit", "offset"}
    assert (bravo["total"], bravo["limit"], bravo["offset"]) == (3, 1, 1)
    assert [project["name"] for project in bravo["items"]] == ["bravo"]
    project_id = bravo["items"][0]["id"]
    create_task(api, user, project_id=project_id)
    create_task(api, user, project_id=project_id)
    create_task(api, user)
    listed = api.get("/projects", headers=user.headers).json()["items"]
    assert [(project["name"], project["task_count"]) for project in listed] == [
        ("alpha", 0),
        ("bravo", 2),
        ("charlie", 0),
    ]
    too_many = api.get("/projects", params={"limit": 101}, headers=user.headers)
    assert "limit" in error_fields(too_many)


def test_deleting_a_project_detaches_its_tasks(api: httpx.Client, user: Account) -> None:
    project = create_project(api, user, "Doomed")
    task = create_task(api, user, title="kept", project_id=project["id"])
    url = f"/projects/{project['id']}"
    assert api.delete(url, headers=user.headers).status_code == 204
    assert_error(api.get(url, headers=user.headers), 404)
    kept = api.get(f"/tasks/{task['id']}", headers=user.headers)
    assert kept.status_code == 200
    assert kept.json()["project_id"] is None
    assert titles(api, user) == ["kept"]
