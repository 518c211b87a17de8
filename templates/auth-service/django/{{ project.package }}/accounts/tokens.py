"""Token pairs, as core/authentication.py and the auth views use them.

In the auth service refresh tokens are stored, rotated and revoked by session: the
refresh_tokens app does the work, and this module is the seam the shared code calls.
"""

from ..refresh_tokens.services import end_sessions, issue_pair, rotate, user_for_claims

__all__ = ["end_sessions", "issue_pair", "rotate", "user_for_claims"]
