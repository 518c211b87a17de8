"""blog-api: public posts and private drafts, roles, slugs, tags, search, comments, pages.

Other suites share the service, so every post here has a title, tag or author of its own.
"""

import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from ..conftest import (
    Account,
    assert_cursors_refused,
    assert_error,
    error_fields,
    is_utc_timestamp,
    register,
    walk_cursor,
    with_role,
)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def create(api: httpx.Client, account: Account, **fields: Any) -> dict[str, Any]:
    payload = {"title": unique("Contract post"), **fields}
    response = api.post("/posts", json=payload, headers=account.headers)
    assert response.status_code == 201, response.text
    return response.json()


def user_id(api: httpx.Client, account: Account) -> int:
    return api.get("/users/me", headers=account.headers).json()["id"]


def slugs(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [post["slug"] for post in response.json()["items"]]


# Accounts cost two password hashes each: tests that count nothing per author share these.
@pytest.fixture(scope="module")
def reader(api: httpx.Client) -> Account:
    return register(api, "reader")


@pytest.fixture(scope="module")
def writer(api: httpx.Client, admin: Account) -> Account:
    return with_role(api, admin, register(api, "writer"), "author")


@pytest.fixture
def author(api: httpx.Client, admin: Account, new_account: Callable[[], Account]) -> Account:
    return with_role(api, admin, new_account(), "author")


@pytest.fixture
def other_author(api: httpx.Client, admin: Account, new_account: Callable[[], Account]) -> Account:
    return with_role(api, admin, new_account(), "author")


def test_a_post_has_a_slug_and_starts_as_a_draft(api: httpx.Client, writer: Account) -> None:
    title = unique("Hello World")
    post = create(api, writer, title=title, body="Body", tags=["Contract", " tests "])
    assert post["slug"] == title.lower().replace(" ", "-")
    assert (post["title"], post["body"], post["status"]) == (title, "Body", "draft")
    assert post["published_at"] is None
    assert post["tags"] == ["contract", "tests"]
    assert post["author_id"] == user_id(api, writer)
    assert is_utc_timestamp(post["created_at"]) and is_utc_timestamp(post["updated_at"])


def test_the_same_title_twice_gets_distinct_slugs(api: httpx.Client, writer: Account) -> None:
    title = unique("Hello World")
    first = create(api, writer, title=title)
    second = create(api, writer, title=title)
    assert second["slug"] == f"{first['slug']}-2"
    renamed = api.patch(
        f"/posts/{first['slug']}", json={"title": "Renamed"}, headers=writer.headers
    )
    assert renamed.status_code == 200
    assert renamed.json()["slug"] == first["slug"]


def test_slugs_stay_unique_under_concurrent_writes(
    base_url: str, api: httpx.Client, writer: Account
) -> None:
    title = unique("Race")

    def attempt(_: int) -> httpx.Response:
        with httpx.Client(base_url=base_url, timeout=30) as client:
            return client.post("/posts", json={"title": title}, headers=writer.headers)

    with ThreadPoolExecutor(max_workers=6) as pool:
        responses = list(pool.map(attempt, range(6)))
    assert {response.status_code for response in responses} <= {201, 409}
    made = [response.json()["slug"] for response in responses if response.status_code == 201]
    assert made and len(set(made)) == len(made)
    for response in responses:
        if response.status_code == 409:
            assert_error(response, 409)


def test_published_posts_are_public_and_drafts_private(
    api: httpx.Client, writer: Account, other_author: Account, reader: Account, admin: Account
) -> None:
    post = create(api, writer)
    url = f"/posts/{post['slug']}"
    assert_error(api.get(url), 404)
    assert_error(api.get(url, headers=reader.headers), 404)
    assert_error(api.get(url, headers=other_author.headers), 404)
    assert api.get(url, headers=writer.headers).status_code == 200
    assert api.get(url, headers=admin.headers).status_code == 200

    published = api.patch(url, json={"status": "published"}, headers=writer.headers)
    assert published.status_code == 200
    assert is_utc_timestamp(published.json()["published_at"])
    public = api.get(url)
    assert public.status_code == 200
    assert public.json() == published.json()


def test_readers_cannot_write(api: httpx.Client, reader: Account) -> None:
    assert_error(api.post("/posts", json={"title": "Mine"}, headers=reader.headers), 403)
    assert_error(api.post("/posts", json={"title": "Mine"}), 401)


def test_only_the_author_or_an_admin_edits(
    api: httpx.Client, writer: Account, other_author: Account, reader: Account, admin: Account
) -> None:
    draft = create(api, writer)
    draft_url = f"/posts/{draft['slug']}"
    assert_error(api.patch(draft_url, json={"title": "x"}, headers=other_author.headers), 404)
    assert_error(api.delete(draft_url, headers=reader.headers), 404)

    public = create(api, writer, status="published")
    url = f"/posts/{public['slug']}"
    assert_error(api.patch(url, json={"title": "x"}, headers=other_author.headers), 403)
    assert_error(api.patch(url, json={"title": "x"}, headers=reader.headers), 403)
    assert_error(api.delete(url, headers=other_author.headers), 403)
    assert_error(api.patch(url, json={"title": "x"}), 401)

    edited = api.patch(url, json={"body": "By an admin"}, headers=admin.headers)
    assert edited.status_code == 200 and edited.json()["body"] == "By an admin"
    assert api.delete(url, headers=writer.headers).status_code == 204
    assert_error(api.get(url), 404)
    assert api.delete(draft_url, headers=admin.headers).status_code == 204


def test_unknown_slugs_are_404(api: httpx.Client, writer: Account) -> None:
    url = f"/posts/{unique('no-such-post')}"
    assert_error(api.get(url), 404)
    assert_error(api.patch(url, json={"title": "x"}, headers=writer.headers), 404)
    assert_error(api.delete(url, headers=writer.headers), 404)
    assert_error(api.get(f"{url}/comments"), 404)
    assert_error(api.post(f"{url}/comments", json={"body": "x"}, headers=writer.headers), 404)
    assert_error(api.get("/posts/" + "x" * 300), 404)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "title"),
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "ok", "body": "x" * 100_001}, "body"),
        ({"title": "ok", "status": "archived"}, "status"),
        ({"title": "ok", "tags": [f"t{n}" for n in range(11)]}, "tags"),
        ({"title": "ok", "tags": ["not valid"]}, "tags.0"),
        ({"title": "ok", "tags": ["x" * 31]}, "tags.0"),
        ({"title": "ok", "slug": "chosen"}, "slug"),
    ],
)
def test_posts_are_validated(api: httpx.Client, writer: Account, payload: dict, field: str) -> None:
    assert field in error_fields(api.post("/posts", json=payload, headers=writer.headers))


def test_the_list_is_newest_first_and_filters_by_author_and_status(
    api: httpx.Client, author: Account, other_author: Account, reader: Account, admin: Account
) -> None:
    first = create(api, author, status="published")
    draft = create(api, author)
    second = create(api, author, status="published")
    mine = {"author": user_id(api, author)}
    assert slugs(api.get("/posts", params=mine)) == [second["slug"], first["slug"]]
    page = api.get("/posts", params={**mine, "limit": 1, "offset": 1}).json()
    assert set(page) == {"items", "total", "limit", "offset", "next_cursor"}
    assert (page["total"], page["limit"], page["offset"]) == (2, 1, 1)
    assert [post["slug"] for post in page["items"]] == [first["slug"]]

    drafts = {**mine, "status": "draft"}
    assert slugs(api.get("/posts", params=drafts, headers=author.headers)) == [draft["slug"]]
    assert slugs(api.get("/posts", params=drafts, headers=admin.headers)) == [draft["slug"]]
    assert slugs(api.get("/posts", params=drafts, headers=other_author.headers)) == []
    assert slugs(api.get("/posts", params=drafts, headers=reader.headers)) == []
    assert slugs(api.get("/posts", params=drafts)) == []


def test_posts_cursor_pagination(
    api: httpx.Client, author: Account, other_author: Account, admin: Account
) -> None:
    """?cursor= (the next_cursor of a page) gives the page after it, newest first, with
    the same filters, drafts never published last; next_cursor is null on the last
    page; a cursor with an offset, or one the service did not make, is a 422 naming
    ``cursor``."""
    tag = unique("cur")[:30]
    for _ in range(3):
        create(api, author, tags=[tag], status="published")
    unpublished = create(api, author, tags=[tag], status="published")
    response = api.patch(
        f"/posts/{unpublished['slug']}", json={"status": "draft"}, headers=author.headers
    )
    assert response.status_code == 200, response.text
    for _ in range(3):
        create(api, author, tags=[tag])  # drafts never published: no published_at
    create(api, other_author, tags=[tag])  # a draft the author does not see
    mine = {"author": user_id(api, author), "tag": tag}
    for filters, headers, expected in (
        (mine, author.headers, 3),
        ({"tag": tag}, {}, 3),
        ({**mine, "status": "draft"}, author.headers, 4),
        ({"tag": tag, "status": "draft"}, author.headers, 4),
        ({"tag": tag, "status": "draft"}, admin.headers, 5),
    ):
        everything = api.get("/posts", params=filters, headers=headers).json()
        assert everything["next_cursor"] is None
        assert len(everything["items"]) == everything["total"] == expected, filters
        walked = walk_cursor(api, "/posts", filters, headers, expected)
        assert [p["slug"] for p in walked] == [p["slug"] for p in everything["items"]], filters
    first = api.get("/posts", params={"tag": tag, "limit": 1}).json()
    cursor = first["next_cursor"]
    assert isinstance(cursor, str)
    forged = [["-published_at", True, 1, 1], ["-published_at", 1], ["sku", "A"], {}]
    assert_cursors_refused(api, "/posts", {}, cursor, forged)


def test_tag_filter_and_counts(api: httpx.Client, writer: Account) -> None:
    tag = unique("tag")[:30]
    one = create(api, writer, tags=[tag.upper()], status="published")
    two = create(api, writer, tags=[tag, "contract"], status="published")
    create(api, writer, tags=[tag])  # a draft: not listed, not counted
    assert slugs(api.get("/posts", params={"tag": tag})) == [two["slug"], one["slug"]]

    counts: dict[str, int] = {}
    offset, total = 0, 1
    while offset < total:
        page = api.get("/tags", params={"limit": 100, "offset": offset}).json()
        assert set(page) == {"items", "total", "limit", "offset"}
        counts.update({item["name"]: item["post_count"] for item in page["items"]})
        listed = [(-item["post_count"], item["name"]) for item in page["items"]]
        assert listed == sorted(listed)  # most used first, then by name
        offset, total = offset + 100, page["total"]
    assert counts[tag] == 2
    assert counts["contract"] >= 1


def test_search_in_title_and_body(api: httpx.Client, writer: Account) -> None:
    word = uuid.uuid4().hex[:12]
    in_title = create(api, writer, title=f"About {word.upper()}", status="published")
    in_body = create(api, writer, body=f"Text with {word} inside", status="published")
    create(api, writer, body=word)  # a draft stays hidden
    assert slugs(api.get("/posts", params={"q": word})) == [in_body["slug"], in_title["slug"]]
    assert slugs(api.get("/posts", params={"q": word.upper()[:8]})) == [
        in_body["slug"],
        in_title["slug"],
    ]
    assert slugs(api.get("/posts", params={"q": f"{word}%"})) == []


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 101},
        {"limit": 0},
        {"offset": -1},
        {"offset": 2**64},
        {"status": "archived"},
        {"author": "me"},
        {"q": "x" * 201},
    ],
)
def test_the_post_list_refuses_bad_queries(api: httpx.Client, params: dict) -> None:
    assert error_fields(api.get("/posts", params=params)) == set(params)


@pytest.mark.parametrize(
    "params", [{"limit": 101}, {"limit": 0}, {"offset": -1}, {"offset": 2**64}]
)
def test_the_tag_list_refuses_bad_pages(api: httpx.Client, params: dict) -> None:
    assert error_fields(api.get("/tags", params=params)) == set(params)


def test_comments_rules(
    api: httpx.Client, writer: Account, reader: Account, other: Account, admin: Account
) -> None:
    post = create(api, writer, status="published")
    url = f"/posts/{post['slug']}/comments"
    response = api.post(url, json={"body": "First!"}, headers=reader.headers)
    assert response.status_code == 201, response.text
    first = response.json()
    assert (first["body"], first["post_id"]) == ("First!", post["id"])
    assert first["author_id"] == user_id(api, reader)
    assert is_utc_timestamp(first["created_at"])
    second = api.post(url, json={"body": "Second"}, headers=other.headers).json()
    page = api.get(url).json()
    assert set(page) == {"items", "total", "limit", "offset"}
    assert page["items"] == [first, second] and page["total"] == 2

    assert_error(api.post(url, json={"body": "x"}), 401)
    assert_error(api.delete(f"{url}/{first['id']}", headers=other.headers), 403)
    assert_error(api.delete(f"{url}/{first['id']}", headers=writer.headers), 403)
    assert api.delete(f"{url}/{first['id']}", headers=reader.headers).status_code == 204
    assert api.delete(f"{url}/{second['id']}", headers=admin.headers).status_code == 204
    assert_error(api.delete(f"{url}/{second['id']}", headers=admin.headers), 404)
    assert_error(api.delete(f"{url}/abc", headers=admin.headers), 404)
    assert api.get(url).json()["total"] == 0


def test_comments_on_drafts(api: httpx.Client, writer: Account, reader: Account) -> None:
    draft = create(api, writer)
    url = f"/posts/{draft['slug']}/comments"
    assert_error(api.post(url, json={"body": "Hi"}, headers=reader.headers), 404)
    assert_error(api.get(url), 404)
    assert_error(api.post(url, json={"body": "Hi"}, headers=writer.headers), 409)


@pytest.mark.parametrize("payload", [{}, {"body": ""}, {"body": "x" * 5001}])
def test_comments_are_validated(
    api: httpx.Client, writer: Account, reader: Account, payload: dict
) -> None:
    post = create(api, writer, status="published")
    response = api.post(f"/posts/{post['slug']}/comments", json=payload, headers=reader.headers)
    assert error_fields(response) == {"body"}


def test_the_comment_list_refuses_bad_pages(api: httpx.Client, writer: Account) -> None:
    post = create(api, writer, status="published")
    url = f"/posts/{post['slug']}/comments"
    for params in ({"limit": 101}, {"limit": 0}, {"offset": -1}, {"offset": 2**64}):
        assert error_fields(api.get(url, params=params)) == set(params)
