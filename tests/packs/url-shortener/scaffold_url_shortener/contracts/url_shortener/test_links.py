"""Links, black-box: shorten, follow (307, counted), ownership, codes, validation.

The fixtures (``api``, ``user``, ``other``, ``admin``) are scaffold's common ones, which
``scaffold verify`` gives a pack's suite; the helpers are imported from the toolkit.
"""

import uuid

import httpx

from toolkit.contracts.conftest import Account, assert_error, error_fields, is_utc_timestamp


def new_code() -> str:
    return f"c-{uuid.uuid4().hex[:12]}"


def shorten(api: httpx.Client, account: Account, url: str, **fields: str) -> dict:
    response = api.post("/links", json={"url": url, **fields}, headers=account.headers)
    assert response.status_code == 201, response.text
    return response.json()


def test_a_link_redirects_and_counts_visits(api: httpx.Client, user: Account) -> None:
    link = shorten(api, user, "https://example.com/docs?page=2#top")
    assert set(link) == {"id", "code", "target_url", "owner_id", "visits", "created_at"}
    assert link["visits"] == 0 and is_utc_timestamp(link["created_at"])
    for _ in range(3):
        response = api.get(f"/r/{link['code']}")  # httpx does not follow redirects
        assert response.status_code == 307
        assert response.headers["location"] == "https://example.com/docs?page=2#top"
    read = api.get(f"/links/{link['code']}", headers=user.headers)
    assert read.status_code == 200 and read.json()["visits"] == 3


def test_codes_are_unique_and_exact(api: httpx.Client, user: Account, other: Account) -> None:
    code = new_code()
    shorten(api, user, "https://example.com/1", code=code)
    taken = api.post(
        "/links", json={"url": "https://example.com/2", "code": code}, headers=other.headers
    )
    assert_error(taken, 409)
    assert shorten(api, other, "https://example.com/3", code=code.upper())["code"] == code.upper()


def test_bad_links_are_refused(api: httpx.Client, user: Account) -> None:
    for payload, field in [
        ({"url": "mailto:someone@example.com"}, "url"),
        ({"url": "https://example.com", "code": "no spaces"}, "code"),
        ({"url": "https://example.com", "visits": 10}, "visits"),
    ]:
        response = api.post("/links", json=payload, headers=user.headers)
        assert field in error_fields(response), payload


def test_only_owners_and_admins_see_and_delete_links(
    api: httpx.Client, user: Account, other: Account, admin: Account
) -> None:
    code = new_code()
    shorten(api, user, "https://example.com/private", code=code)
    assert_error(api.get(f"/links/{code}", headers=other.headers), 404)
    assert_error(api.delete(f"/links/{code}", headers=other.headers), 404)
    assert code not in {
        item["code"] for item in api.get("/links", headers=other.headers).json()["items"]
    }
    assert api.get(f"/links/{code}", headers=admin.headers).status_code == 200
    assert api.delete(f"/links/{code}", headers=user.headers).status_code == 204
    assert_error(api.get(f"/r/{code}"), 404)


def test_signed_out_callers_only_follow(api: httpx.Client) -> None:
    assert_error(api.get("/links"), 401)
    assert_error(api.post("/links", json={"url": "https://example.com"}), 401)
    assert_error(api.get("/r/never-made-this"), 404)
