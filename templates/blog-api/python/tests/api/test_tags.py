"""Tags: made on first use, counted over published posts only."""

from collections.abc import Callable
from typing import Any

import pytest

from tests.api.blog import Headers, create_post, publish


@pytest.fixture
def author_headers(headers_for: Callable[[str], Headers]) -> Headers:
    """A signed-in author."""
    return headers_for("author")


def test_tags_are_counted_over_published_posts(client: Any, author_headers: Headers) -> None:
    create_post(client, author_headers, tags=["python", "web"], status="published")
    create_post(client, author_headers, tags=["Python", "django"], status="published")
    create_post(client, author_headers, tags=["python", "rust"], status="published")
    create_post(client, author_headers, tags=["web", "secret"])  # a draft counts for nothing
    page = client.get("/tags").json()
    assert page["items"] == [
        {"name": "python", "post_count": 3},
        {"name": "django", "post_count": 1},
        {"name": "rust", "post_count": 1},
        {"name": "web", "post_count": 1},
    ]
    assert (page["total"], page["limit"], page["offset"]) == (4, 20, 0)
    second = client.get("/tags", params={"limit": 2, "offset": 1}).json()
    assert [tag["name"] for tag in second["items"]] == ["django", "rust"]
    assert second["total"] == 4


def test_counts_follow_publishing_and_deleting(client: Any, author_headers: Headers) -> None:
    draft = create_post(client, author_headers, title="Later", tags=["news"])
    assert client.get("/tags").json()["total"] == 0
    publish(client, author_headers, draft)
    assert client.get("/tags").json()["items"] == [{"name": "news", "post_count": 1}]
    client.delete(f"/posts/{draft['slug']}", headers=author_headers)
    assert client.get("/tags").json()["items"] == []


@pytest.mark.parametrize(
    "params", [{"limit": 101}, {"limit": 0}, {"offset": -1}, {"offset": 2**64}]
)
def test_the_tag_list_refuses_bad_pages(client: Any, params: dict[str, Any]) -> None:
    response = client.get("/tags", params=params)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] in params
