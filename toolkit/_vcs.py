"""Git: a new repository on branch main with one first commit, made with GitPython."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from .errors import GitError

#: Used for the first commit only when the user has no identity configured; the
#: user's git configuration is never changed.
FALLBACK_NAME = "scaffold"
FALLBACK_EMAIL = "scaffold@localhost"


def enclosing_repository(path: Path) -> Path | None:
    """Return the work tree that ``path`` (existing or not) would fall inside, if any."""
    current = path.resolve()
    while True:
        if (current / ".git").exists():
            return current
        if current.parent == current:
            return None
        current = current.parent


def initial_commit(path: Path, message: str, paths: Sequence[str] | None = None) -> str:
    """Create a repository in ``path`` on branch ``main`` and commit; return the commit id.

    Args:
        path: The project folder.
        message: The commit message.
        paths: What to add (relative paths); everything not ignored when ``None``.

    Raises:
        GitError: git is missing or refused (the message says how to skip it).
    """
    # GitPython costs about 0.15 s to import: only projects that want git pay it.
    try:
        import git
    except ImportError as exc:  # GitPython imports fine but fails without a git binary
        raise GitError(f"git is not available ({exc}); install git or use --no-git") from exc

    try:
        repo = git.Repo.init(path, initial_branch="main")
        with repo.git.custom_environment(**_identity_fallback(repo)):
            if paths is None:
                repo.git.add(all=True)
            else:
                ignored = set(repo.ignored(*paths)) if paths else set()
                repo.git.add("--", *[p for p in paths if p not in ignored])
            repo.git.commit(message=message, no_verify=True)
        return _head_commit(repo)
    except git.GitCommandError as exc:
        detail = (exc.stderr or str(exc)).strip().splitlines()
        reason = detail[-1] if detail else str(exc)
        raise GitError(f"git failed: {reason.strip()} (use --no-git to skip git)") from exc


def _head_commit(repo: object) -> str:
    """Return the commit id HEAD points to, read from the refs (no git process)."""
    import git

    assert isinstance(repo, git.Repo)
    try:
        return git.SymbolicReference.dereference_recursive(repo, "HEAD")
    except ValueError:  # refs GitPython cannot read as files (a reftable repository)
        # One process; repo.head.commit would start a cat-file server.
        return str(repo.git.rev_parse("HEAD"))


def _identity_fallback(repo: object) -> dict[str, str]:
    """Return environment variables that supply a commit identity, if the user has none."""
    import git

    assert isinstance(repo, git.Repo)
    reader = repo.config_reader()
    env: dict[str, str] = {}
    for role in ("AUTHOR", "COMMITTER"):
        if not os.environ.get(f"GIT_{role}_NAME") and not reader.has_option("user", "name"):
            env[f"GIT_{role}_NAME"] = FALLBACK_NAME
        if not os.environ.get(f"GIT_{role}_EMAIL") and not reader.has_option("user", "email"):
            env[f"GIT_{role}_EMAIL"] = FALLBACK_EMAIL
    return env
