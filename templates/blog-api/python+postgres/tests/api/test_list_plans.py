"""Every filter of GET /posts and GET /posts/{slug}/comments has an index at 100k rows (PostgreSQL).

The cases are tests/list_plans.json; the check is tests/list_plans.py.
"""

from collections.abc import Callable
from typing import Any

from tests.list_plans import Headers, check_lists
from tests.plans import plan_database


def test_every_post_and_comment_filter_uses_an_index(
    client: Any, db: Any, headers_for: Callable[..., Headers]
) -> None:
    findings = check_lists(client, plan_database(db), headers_for)
    assert not findings, "\n\n".join(findings)
