"""Posts: slugs, drafts and publishing, who writes and edits, validation, filters, pages."""

from collections.abc import Callable
from typing import Any

import pytest

from tests.api.blog import Headers, create_post, publish, slugs
from tests.utils import bearer


@pytest.fixture
def author_headers(headers_for: Callable[[str], Headers]) -> Headers:
    """A signed-in author."""
    return headers_for("author")


@pytest.fixture
def other_author_headers(headers_for: Callable[[str], Headers]) -> Headers:
    """Another signed-in author."""
    return headers_for("author")


def test_a_new_post_is_a_draft_with_a_slug(client: Any, author_headers: Headers) -> None:
    me = client.get("/users/me", headers=author_headers).json()
    post = create_post(client, author_headers, title="Hello World", body="First!")
    assert post["slug"] == "hello-world"
    assert (post["title"], post["body"]) == ("Hello World", "First!")
    assert post["status"] == "draft" and post["published_at"] is None
    assert post["tags"] == [] and post["author_id"] == me["id"]
    assert post["created_at"].endswith(("Z", "+00:00"))
    assert post["updated_at"].endswith(("Z", "+00:00"))
    assert client.get("/posts/hello-world", headers=author_headers).json() == post


def test_the_same_title_gets_the_next_free_slug(client: Any, author_headers: Headers) -> None:
    made = [create_post(client, author_headers, title="Hello World")["slug"] for _ in range(3)]
    assert made == ["hello-world", "hello-world-2", "hello-world-3"]
    assert create_post(client, author_headers, title="Héllo,  WORLD!")["slug"] == "hello-world-4"
    assert create_post(client, author_headers, title="Hello World 2")["slug"] == "hello-world-2-2"
    assert create_post(client, author_headers, title="¿¡!?")["slug"] == "post"
    assert create_post(client, author_headers, title="x" * 200)["slug"] == "x" * 200
    assert create_post(client, author_headers, title="x" * 200)["slug"] == "x" * 200 + "-2"


def test_the_slug_stays_when_the_title_changes(client: Any, author_headers: Headers) -> None:
    post = create_post(client, author_headers, title="Old title")
    response = client.patch("/posts/old-title", json={"title": "New title"}, headers=author_headers)
    assert response.status_code == 200
    assert response.json()["title"] == "New title"
    assert response.json()["slug"] == post["slug"] == "old-title"


def test_published_at_is_set_when_first_published(client: Any, author_headers: Headers) -> None:
    post = create_post(client, author_headers, title="Soon")
    published = publish(client, author_headers, post)
    assert published["status"] == "published"
    assert published["published_at"].endswith(("Z", "+00:00"))
    url = f"/posts/{post['slug']}"
    draft = client.patch(url, json={"status": "draft"}, headers=author_headers).json()
    assert draft["status"] == "draft"
    assert draft["published_at"] == published["published_at"]
    again = publish(client, author_headers, post)
    assert again["published_at"] == published["published_at"]
    direct = create_post(client, author_headers, title="Now", status="published")
    assert direct["published_at"] is not None


def test_only_authors_and_admins_write(
    client: Any, user_headers: Headers, admin_headers: Headers
) -> None:
    response = client.post("/posts", json={"title": "Mine"}, headers=user_headers)
    assert response.status_code == 403
    assert response.json()["detail"]
    assert client.post("/posts", json={"title": "Mine"}).status_code == 401
    assert create_post(client, admin_headers, title="By an admin")["slug"] == "by-an-admin"


def test_drafts_are_seen_by_their_author_and_admins_only(
    client: Any,
    author_headers: Headers,
    other_author_headers: Headers,
    user_headers: Headers,
    admin_headers: Headers,
) -> None:
    post = create_post(client, author_headers, title="Secret")
    url = f"/posts/{post['slug']}"
    assert client.get(url).status_code == 404
    assert client.get(url, headers=user_headers).status_code == 404
    assert client.get(url, headers=other_author_headers).status_code == 404
    assert client.get(url, headers=author_headers).status_code == 200
    assert client.get(url, headers=admin_headers).status_code == 200
    publish(client, author_headers, post)
    assert client.get(url).status_code == 200
    assert client.get(url, headers=user_headers).status_code == 200


def test_only_the_author_or_an_admin_changes_a_post(
    client: Any, author_headers: Headers, other_author_headers: Headers, admin_headers: Headers
) -> None:
    draft = create_post(client, author_headers, title="Draft")
    draft_url = f"/posts/{draft['slug']}"
    # Someone else's draft does not exist for them: 404.
    change = {"title": "Stolen"}
    assert client.patch(draft_url, json=change, headers=other_author_headers).status_code == 404
    assert client.delete(draft_url, headers=other_author_headers).status_code == 404

    public = create_post(client, author_headers, title="Public", status="published")
    url = f"/posts/{public['slug']}"
    # A post they can see, but not theirs: 403.
    response = client.patch(url, json=change, headers=other_author_headers)
    assert response.status_code == 403
    assert response.json()["detail"]
    assert client.delete(url, headers=other_author_headers).status_code == 403
    assert client.patch(url, json=change).status_code == 401

    by_admin = client.patch(url, json={"body": "Edited"}, headers=admin_headers)
    assert by_admin.status_code == 200 and by_admin.json()["body"] == "Edited"
    assert client.delete(url, headers=author_headers).status_code == 204
    assert client.get(url).status_code == 404
    assert client.delete(draft_url, headers=admin_headers).status_code == 204


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "title"),
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "nul \x00"}, "title"),
        ({"title": "ok", "body": "x" * 100_001}, "body"),
        ({"title": "ok", "body": None}, "body"),
        ({"title": "ok", "status": "archived"}, "status"),
        ({"title": "ok", "tags": "python"}, "tags"),
        ({"title": "ok", "tags": [f"tag{n}" for n in range(11)]}, "tags"),
        ({"title": "ok", "tags": ["no spaces"]}, "tags.0"),
        ({"title": "ok", "tags": ["ok", "x" * 31]}, "tags.1"),
        ({"title": "ok", "tags": ["  "]}, "tags.0"),
        ({"title": "ok", "tags": ["c++"]}, "tags.0"),
        ({"title": "ok", "slug": "mine"}, "slug"),
        ({"title": "ok", "author_id": 1}, "author_id"),
    ],
)
def test_create_validates(
    client: Any, author_headers: Headers, payload: dict[str, Any], field: str
) -> None:
    response = client.post("/posts", json=payload, headers=author_headers)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["detail"]
    assert field in {error["field"] for error in body["errors"]}


def test_limits_are_inclusive(client: Any, author_headers: Headers) -> None:
    tags = [f"tag-{n}" for n in range(10)]
    post = create_post(client, author_headers, title="t" * 200, body="b" * 100_000, tags=tags)
    assert len(post["title"]) == 200 and len(post["body"]) == 100_000
    assert post["tags"] == sorted(tags)
    assert create_post(client, author_headers, tags=["x" * 30])["tags"] == ["x" * 30]


def test_tags_are_normalized(client: Any, author_headers: Headers) -> None:
    post = create_post(client, author_headers, tags=["Python", " python ", "Web-Dev", "3d"])
    assert post["tags"] == ["3d", "python", "web-dev"]


def test_update_replaces_tags(client: Any, author_headers: Headers) -> None:
    post = create_post(client, author_headers, tags=["a", "b"])
    url = f"/posts/{post['slug']}"
    changed = client.patch(url, json={"tags": ["B", "c"]}, headers=author_headers).json()
    assert changed["tags"] == ["b", "c"]
    assert changed["updated_at"] >= post["updated_at"]
    cleared = client.patch(url, json={"tags": []}, headers=author_headers).json()
    assert cleared["tags"] == []


def test_update_validates(client: Any, author_headers: Headers) -> None:
    url = f"/posts/{create_post(client, author_headers)['slug']}"
    for payload in [
        {"title": None},
        {"title": ""},
        {"status": None},
        {"status": "nope"},
        {"tags": None},
        {"tags": ["bad tag"]},
        {"slug": "other"},
        {"unknown": 1},
    ]:
        response = client.patch(url, json=payload, headers=author_headers)
        assert response.status_code == 422, payload


def test_unknown_slugs_are_404(client: Any, author_headers: Headers) -> None:
    create_post(client, author_headers, title="Exists", status="published")
    for slug in ["nope", "EXISTS", "exists-2", "x" * 300, "%00"]:
        assert client.get(f"/posts/{slug}").status_code == 404, slug
        response = client.patch(f"/posts/{slug}", json={"title": "x"}, headers=author_headers)
        assert response.status_code == 404, slug
        assert client.delete(f"/posts/{slug}", headers=author_headers).status_code == 404


def test_a_bad_token_on_a_public_route_is_401(client: Any) -> None:
    assert client.get("/posts", headers=bearer("not-a-token")).status_code == 401
    assert client.get("/posts", headers={"Authorization": "Basic eDp5"}).status_code == 401
    assert client.get("/posts", params={"limit": 0}, headers=bearer("x")).status_code == 401


def test_the_list_shows_published_posts_newest_first(client: Any, author_headers: Headers) -> None:
    first = create_post(client, author_headers, title="First", status="published")
    draft = create_post(client, author_headers, title="Draft")
    create_post(client, author_headers, title="Second", status="published")
    late = create_post(client, author_headers, title="Late")
    create_post(client, author_headers, title="Third", status="published")
    publish(client, author_headers, late)
    assert slugs(client.get("/posts")) == ["late", "third", "second", "first"]
    page = client.get("/posts").json()
    assert (page["total"], page["limit"], page["offset"]) == (4, 20, 0)
    assert draft["slug"] not in slugs(client.get("/posts", headers=author_headers))
    # Unpublishing keeps published_at, so publishing again keeps its place.
    url = f"/posts/{first['slug']}"
    client.patch(url, json={"status": "draft"}, headers=author_headers)
    assert slugs(client.get("/posts")) == ["late", "third", "second"]
    publish(client, author_headers, first)
    assert slugs(client.get("/posts"))[-1] == "first"


def test_drafts_are_listed_for_their_author_and_admins(
    client: Any,
    author_headers: Headers,
    other_author_headers: Headers,
    user_headers: Headers,
    admin_headers: Headers,
) -> None:
    create_post(client, author_headers, title="Mine 1")
    create_post(client, author_headers, title="Mine 2")
    create_post(client, other_author_headers, title="Theirs")
    create_post(client, author_headers, title="Out", status="published")
    drafts = {"status": "draft"}
    assert slugs(client.get("/posts", params=drafts, headers=author_headers)) == [
        "mine-2",
        "mine-1",
    ]
    assert slugs(client.get("/posts", params=drafts, headers=other_author_headers)) == ["theirs"]
    assert slugs(client.get("/posts", params=drafts, headers=admin_headers)) == [
        "theirs",
        "mine-2",
        "mine-1",
    ]
    assert slugs(client.get("/posts", params=drafts, headers=user_headers)) == []
    assert slugs(client.get("/posts", params=drafts)) == []
    published = {"status": "published"}
    assert slugs(client.get("/posts", params=published, headers=admin_headers)) == ["out"]


def test_the_list_filters_by_tag_author_and_search(
    client: Any, author_headers: Headers, other_author_headers: Headers
) -> None:
    mine = client.get("/users/me", headers=author_headers).json()
    create_post(client, author_headers, title="Python tips", tags=["python"], status="published")
    create_post(
        client,
        other_author_headers,
        title="Go",
        body="Faster than PYTHON?",
        tags=["go", "python"],
        status="published",
    )
    create_post(client, author_headers, title="100% sure_thing", status="published")
    create_post(client, author_headers, title="Python draft", tags=["python"])

    def listed(**params: Any) -> list[str]:
        return slugs(client.get("/posts", params=params))

    assert listed(tag="python") == ["go", "python-tips"]
    assert listed(tag="PYTHON") == ["go", "python-tips"]
    assert listed(tag="go") == ["go"]
    assert listed(tag="nothing") == []
    assert listed(author=mine["id"]) == ["100-sure-thing", "python-tips"]
    assert listed(author=mine["id"], tag="python") == ["python-tips"]
    assert listed(q="python") == ["go", "python-tips"]
    assert listed(q="  faster THAN ") == ["go"]
    assert listed(q="%") == ["100-sure-thing"]
    assert listed(q="_") == ["100-sure-thing"]
    assert listed(q="100_") == []  # % and _ are plain characters, not wildcards
    assert listed(q="1%t") == []
    assert listed(q="python", author=mine["id"]) == ["python-tips"]
    assert listed(q="") == ["100-sure-thing", "go", "python-tips"]


def test_the_list_paginates(client: Any, author_headers: Headers) -> None:
    for number in range(5):
        create_post(client, author_headers, title=f"Post {number}", status="published")
    page = client.get("/posts", params={"limit": 2, "offset": 2}).json()
    assert (page["total"], page["limit"], page["offset"]) == (5, 2, 2)
    assert [post["slug"] for post in page["items"]] == ["post-2", "post-1"]


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 101},
        {"limit": 0},
        {"offset": -1},
        {"offset": 2**64},
        {"limit": "x"},
        {"status": "archived"},
        {"author": "me"},
        {"author": 0},
        {"author": 2**40},
        {"q": "x" * 201},
        {"tag": "x" * 31},
        {"q": "\x00"},
    ],
)
def test_the_list_refuses_bad_queries(client: Any, params: dict[str, Any]) -> None:
    response = client.get("/posts", params=params)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] in params
