"""blog-api under load: bursts of posts sharing titles get numbered slugs; all read back."""

import uuid
from collections.abc import Callable

import httpx

from ..common.load import BURST, Call, burst
from ..conftest import Account, with_role

#: Titles the burst's posts share: 10 posts each race for the numbers of one title
#: (they are numbered one after the other; the titles go in parallel).
TITLES = 20


def test_a_burst_of_posts_sharing_titles_gets_numbered_slugs(
    base_url: str, api: httpx.Client, admin: Account, new_account: Callable[[], Account]
) -> None:
    authors = [with_role(api, admin, new_account(), "author") for _ in range(2)]
    titles = [f"Load {uuid.uuid4().hex[:10]}" for _ in range(TITLES)]
    calls = [
        Call("POST", "/posts", body, authors[i % 2].headers)
        for i in range(BURST)
        for body in [{"title": titles[i % TITLES], "status": "published", "tags": ["load"]}]
    ]
    writes = burst(base_url, calls)
    writes.assert_healthy({201})
    slugs = sorted(answer.json()["slug"] for answer in writes.answers)
    expected = []
    for title in titles:
        base = title.lower().replace(" ", "-")
        expected += [base] + [f"{base}-{number}" for number in range(2, BURST // TITLES + 1)]
    assert slugs == sorted(expected)

    reads = burst(base_url, [Call("GET", f"/posts/{slug}") for slug in slugs])
    reads.assert_healthy({200})
    assert sorted(answer.json()["slug"] for answer in reads.answers) == slugs
