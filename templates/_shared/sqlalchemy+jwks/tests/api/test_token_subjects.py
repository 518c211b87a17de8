"""The issuer's subjects are opaque strings: whatever it names is a user here, by subject.

(A project that issues its own tokens checks that a subject is one of its ids; here
they are auth-service's, and what cannot be stored is refused: tests/api/test_users.py.)
"""

from collections.abc import Callable
from typing import Any

import pytest

from tests.utils import bearer, unique_email

SUBJECTS = [str(2**80), "0", "-1", "1.0", " 1", "abc", "auth0|5f7c8ec7c33c6c004bbafe82"]


@pytest.mark.parametrize("subject", SUBJECTS)
def test_any_printable_subject_is_its_own_user(
    client: Any, sign_access_token: Callable[..., str], subject: str
) -> None:
    email = unique_email()
    response = client.get("/users/me", headers=bearer(sign_access_token(subject, email=email)))
    assert response.status_code == 200, response.text
    assert response.json()["email"] == email


def test_a_subject_is_not_a_local_id(client: Any, sign_access_token: Callable[..., str]) -> None:
    def me(subject: str) -> Any:
        token = sign_access_token(subject, email=unique_email())
        return client.get("/users/me", headers=bearer(token))

    first = me("a")
    # A subject equal to that id is another user.
    other = me(str(first.json()["id"]))
    assert other.status_code == 200 and other.json()["id"] != first.json()["id"]
