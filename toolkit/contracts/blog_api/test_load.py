"""blog-api under load: bursts of posts sharing titles get numbered slugs; all read back."""

import uuid
from collections import Counter
from collections.abc import Callable

import httpx

from ..common.load import BURST, Call, burst
from ..conftest import Account, with_role

#: Posts of one title in the burst: more than a write retries, so they must queue.
HOT = 40
#: The rest of the burst shares other titles, 10 posts each.
PER_TITLE = 10


def test_a_burst_of_posts_sharing_titles_gets_numbered_slugs(
    base_url: str, api: httpx.Client, admin: Account, new_account: Callable[[], Account]
) -> None:
    authors = [with_role(api, admin, new_account(), "author") for _ in range(2)]
    titles = [f"Load {uuid.uuid4().hex[:10]}" for _ in range(1 + (BURST - HOT) // PER_TITLE)]
    shared = [titles[0]] * HOT + [title for title in titles[1:] for _ in range(PER_TITLE)]
    calls = [
        Call("POST", "/posts", {"title": title, "status": "published"}, authors[i % 2].headers)
        for i, title in enumerate(shared)
    ]
    writes = burst(base_url, calls)
    writes.assert_healthy({201})
    slugs = sorted(answer.json()["slug"] for answer in writes.answers)
    expected = []
    for title, count in Counter(shared).items():
        base = title.lower().replace(" ", "-")
        expected += [base] + [f"{base}-{number}" for number in range(2, count + 1)]
    assert slugs == sorted(expected)

    reads = burst(base_url, [Call("GET", f"/posts/{slug}") for slug in slugs])
    reads.assert_healthy({200})
    assert sorted(answer.json()["slug"] for answer in reads.answers) == slugs
