"""Comments: signed-in users on published posts; the comment's author or an admin deletes."""

from collections.abc import Callable
from typing import Any

import pytest

from tests.api.blog import Headers, comment, create_post


@pytest.fixture
def author_headers(headers_for: Callable[[str], Headers]) -> Headers:
    """A signed-in author."""
    return headers_for("author")


@pytest.fixture
def post(client: Any, author_headers: Headers) -> dict[str, Any]:
    """A published post."""
    return create_post(client, author_headers, title="Open for comments", status="published")


def test_any_signed_in_user_comments(
    client: Any, post: dict[str, Any], user_headers: Headers, other_headers: Headers
) -> None:
    me = client.get("/users/me", headers=user_headers).json()
    first = comment(client, user_headers, post["slug"], "First!")
    assert (first["body"], first["post_id"], first["author_id"]) == ("First!", post["id"], me["id"])
    assert first["created_at"].endswith(("Z", "+00:00"))
    second = comment(client, other_headers, post["slug"], "Second")
    page = client.get(f"/posts/{post['slug']}/comments").json()
    assert page["items"] == [first, second]  # oldest first, readable without a token
    assert (page["total"], page["limit"], page["offset"]) == (2, 20, 0)
    one = client.get(f"/posts/{post['slug']}/comments", params={"limit": 1, "offset": 1}).json()
    assert one["items"] == [second] and one["total"] == 2


def test_commenting_needs_a_token(client: Any, post: dict[str, Any]) -> None:
    response = client.post(f"/posts/{post['slug']}/comments", json={"body": "Hi"})
    assert response.status_code == 401


def test_drafts_take_no_comments(
    client: Any, author_headers: Headers, user_headers: Headers, admin_headers: Headers
) -> None:
    draft = create_post(client, author_headers, title="Not yet")
    url = f"/posts/{draft['slug']}/comments"
    # Others cannot see the draft at all; its author and admins are told it is closed.
    assert client.post(url, json={"body": "Hi"}, headers=user_headers).status_code == 404
    assert client.get(url).status_code == 404
    assert client.get(url, headers=user_headers).status_code == 404
    assert client.post(url, json={"body": "Hi"}, headers=author_headers).status_code == 409
    assert client.post(url, json={"body": "Hi"}, headers=admin_headers).status_code == 409
    assert client.get(url, headers=author_headers).json()["total"] == 0


def test_unknown_posts_are_404(client: Any, user_headers: Headers) -> None:
    url = "/posts/no-such-post/comments"
    assert client.get(url).status_code == 404
    assert client.post(url, json={"body": "Hi"}, headers=user_headers).status_code == 404
    assert client.delete(f"{url}/1", headers=user_headers).status_code == 404


@pytest.mark.parametrize(
    "payload",
    [{}, {"body": ""}, {"body": "   "}, {"body": "x" * 5001}, {"body": None}, {"body": 5}],
)
def test_comments_are_validated(
    client: Any, post: dict[str, Any], user_headers: Headers, payload: dict[str, Any]
) -> None:
    response = client.post(f"/posts/{post['slug']}/comments", json=payload, headers=user_headers)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "body"


def test_a_comment_of_5000_characters_is_fine(
    client: Any, post: dict[str, Any], user_headers: Headers
) -> None:
    assert len(comment(client, user_headers, post["slug"], "x" * 5000)["body"]) == 5000


def test_the_comments_author_or_an_admin_deletes_it(
    client: Any,
    post: dict[str, Any],
    author_headers: Headers,
    user_headers: Headers,
    other_headers: Headers,
    admin_headers: Headers,
) -> None:
    comments_url = f"/posts/{post['slug']}/comments"
    mine = comment(client, user_headers, post["slug"])
    url = f"{comments_url}/{mine['id']}"
    assert client.delete(url, headers=other_headers).status_code == 403
    # Writing the post does not make its author the comment's author.
    assert client.delete(url, headers=author_headers).status_code == 403
    assert client.delete(url).status_code == 401
    assert client.delete(url, headers=user_headers).status_code == 204
    assert client.delete(url, headers=user_headers).status_code == 404
    theirs = comment(client, other_headers, post["slug"])
    assert client.delete(f"{comments_url}/{theirs['id']}", headers=admin_headers).status_code == 204
    assert client.get(comments_url).json()["total"] == 0


def test_a_comment_belongs_to_its_post(
    client: Any, post: dict[str, Any], author_headers: Headers, user_headers: Headers
) -> None:
    other_post = create_post(client, author_headers, title="Elsewhere", status="published")
    mine = comment(client, user_headers, post["slug"])
    wrong = f"/posts/{other_post['slug']}/comments/{mine['id']}"
    assert client.delete(wrong, headers=user_headers).status_code == 404
    base = f"/posts/{post['slug']}/comments"
    for bad in ["abc", "0", "-1", "99999999", str(2**70)]:
        assert client.delete(f"{base}/{bad}", headers=user_headers).status_code == 404, bad


def test_deleting_a_post_deletes_its_comments(
    client: Any, post: dict[str, Any], author_headers: Headers, user_headers: Headers
) -> None:
    comment(client, user_headers, post["slug"])
    assert client.delete(f"/posts/{post['slug']}", headers=author_headers).status_code == 204
    assert client.get(f"/posts/{post['slug']}/comments").status_code == 404
    again = create_post(client, author_headers, title="Open for comments", status="published")
    assert client.get(f"/posts/{again['slug']}/comments").json()["total"] == 0


@pytest.mark.parametrize(
    "params", [{"limit": 101}, {"limit": 0}, {"offset": -1}, {"offset": 2**64}]
)
def test_the_comment_list_refuses_bad_pages(
    client: Any, post: dict[str, Any], params: dict[str, Any]
) -> None:
    response = client.get(f"/posts/{post['slug']}/comments", params=params)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] in params
