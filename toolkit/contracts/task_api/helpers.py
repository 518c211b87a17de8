"""Helpers of the task-api contract: make tasks, projects and comments over HTTP."""

from typing import Any

import httpx

from ..conftest import Account


def user_id(api: httpx.Client, account: Account) -> int:
    response = api.get("/users/me", headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()["id"]


def create_task(api: httpx.Client, account: Account, **fields: Any) -> dict[str, Any]:
    response = api.post(
        "/tasks", json={"title": "Contract task", **fields}, headers=account.headers
    )
    assert response.status_code == 201, response.text
    return response.json()


def create_project(api: httpx.Client, account: Account, name: str, **fields: Any) -> dict:
    response = api.post("/projects", json={"name": name, **fields}, headers=account.headers)
    assert response.status_code == 201, response.text
    return response.json()


def add_comment(api: httpx.Client, account: Account, task_id: int, body: str) -> dict:
    response = api.post(f"/tasks/{task_id}/comments", json={"body": body}, headers=account.headers)
    assert response.status_code == 201, response.text
    return response.json()


def titles(api: httpx.Client, account: Account, **params: Any) -> list[str]:
    response = api.get("/tasks", params={"sort": "title", **params}, headers=account.headers)
    assert response.status_code == 200, response.text
    return [task["title"] for task in response.json()["items"]]
