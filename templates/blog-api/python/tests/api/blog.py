"""Helpers of the blog tests: write posts and comments through the API."""

from typing import Any

Headers = dict[str, str]


def create_post(client: Any, headers: Headers, **fields: Any) -> dict[str, Any]:
    """Write a post (a draft unless ``status`` says otherwise) and return it."""
    response = client.post("/posts", json={"title": "A post", **fields}, headers=headers)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def publish(client: Any, headers: Headers, post: dict[str, Any]) -> dict[str, Any]:
    """Publish a post and return it."""
    url = f"/posts/{post['slug']}"
    response = client.patch(url, json={"status": "published"}, headers=headers)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def comment(client: Any, headers: Headers, slug: str, body: str = "Nice") -> dict[str, Any]:
    """Comment on a post and return the comment."""
    response = client.post(f"/posts/{slug}/comments", json={"body": body}, headers=headers)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def slugs(response: Any) -> list[str]:
    """The slugs of a page of posts, in order."""
    assert response.status_code == 200, response.text
    return [post["slug"] for post in response.json()["items"]]
