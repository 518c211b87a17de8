"""Links: shorten, read, list, delete, follow; ownership and codes."""

from typing import Any

import pytest

Headers = dict[str, str]


def shorten(client: Any, headers: Headers, url: str, **fields: Any) -> dict[str, Any]:
    response = client.post("/links", json={"url": url, **fields}, headers=headers)
    assert response.status_code == 201, response.text
    link: dict[str, Any] = response.json()
    return link


def test_shorten_and_follow(client: Any, user_headers: Headers) -> None:
    link = shorten(client, user_headers, "https://example.com/a/long/path?x=1")
    assert len(link["code"]) == 7 and link["visits"] == 0
    for visit in (1, 2):
        response = client.get(f"/r/{link['code']}", follow_redirects=False)
        assert response.status_code == 307
        assert response.headers["location"] == "https://example.com/a/long/path?x=1"
        read = client.get(f"/links/{link['code']}", headers=user_headers)
        assert read.json()["visits"] == visit


def test_a_chosen_code_is_kept_and_taken_once(client: Any, user_headers: Headers) -> None:
    assert shorten(client, user_headers, "http://example.org", code="My_Link-1")["code"] == (
        "My_Link-1"
    )
    again = client.post(
        "/links", json={"url": "http://example.net", "code": "My_Link-1"}, headers=user_headers
    )
    assert again.status_code == 409
    assert shorten(client, user_headers, "http://example.net", code="my_link-1")["code"] == (
        "my_link-1"
    )


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "url"),
        ({"url": "ftp://example.com"}, "url"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"url": "https://exa mple.com"}, "url"),
        ({"url": "https://example.com/" + "x" * 2000}, "url"),
        ({"url": "https://example.com", "code": "ab"}, "code"),
        ({"url": "https://example.com", "code": "a/b/c"}, "code"),
        ({"url": "https://example.com", "owner_id": 1}, "owner_id"),
    ],
)
def test_shorten_validates(
    client: Any, user_headers: Headers, payload: dict[str, Any], field: str
) -> None:
    response = client.post("/links", json=payload, headers=user_headers)
    assert response.status_code == 422, response.text
    assert field in {error["field"] for error in response.json()["errors"]}


def test_links_are_their_owners(
    client: Any, user_headers: Headers, other_headers: Headers, admin_headers: Headers
) -> None:
    link = shorten(client, user_headers, "https://example.com", code="mine")
    assert client.get("/links/mine", headers=other_headers).status_code == 404
    assert client.delete("/links/mine", headers=other_headers).status_code == 404
    assert client.get("/links", headers=other_headers).json()["total"] == 0
    assert client.get("/links", headers=admin_headers).json()["items"][0]["id"] == link["id"]
    assert client.delete("/links/mine", headers=admin_headers).status_code == 204
    assert client.get("/r/mine", follow_redirects=False).status_code == 404


def test_lists_are_newest_first_in_pages(client: Any, user_headers: Headers) -> None:
    codes = [
        shorten(client, user_headers, "https://example.com", code=f"c{n:03}")["code"]
        for n in range(3)
    ]
    page = client.get("/links", params={"limit": 2}, headers=user_headers).json()
    assert [item["code"] for item in page["items"]] == codes[::-1][:2]
    assert page["total"] == 3


def test_links_need_a_token_but_following_does_not(client: Any) -> None:
    assert client.get("/links").status_code == 401
    assert client.post("/links", json={"url": "https://example.com"}).status_code == 401
    response = client.get("/r/no-such-code", follow_redirects=False)
    assert response.status_code == 404
    assert response.json()["detail"] == "Link not found"
    assert client.get("/r/%00", follow_redirects=False).status_code == 404
