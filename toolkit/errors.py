"""Exceptions raised by scaffold: one base class, specific leaves, an exit code each."""

from __future__ import annotations

from collections.abc import Iterable


class ScaffoldError(Exception):
    """Base class of everything the toolkit raises on purpose.

    The message is one line meant for a person; ``exit_code`` follows Click's
    convention (2 for bad input, 1 for a failed run).
    """

    exit_code: int = 1


class UsageError(ScaffoldError, ValueError):
    """The request itself is wrong (bad name, unknown option); nothing was written."""

    exit_code = 2


def _choices(offered: Iterable[str]) -> str:
    names = sorted(offered)
    return ", ".join(names) if names else "none"


class UnknownChoiceError(UsageError):
    """A kind, framework, database or feature that the catalog does not know."""

    def __init__(self, what: str, value: str, offered: Iterable[str]) -> None:
        self.what = what
        self.value = value
        self.offered = sorted(offered)
        super().__init__(f"unknown {what} {value!r}; choose from: {_choices(self.offered)}")


class NotOfferedError(UsageError):
    """A known combination that is not proven in CI, so it is refused.

    ``reason`` says why, where the catalog gives one (a feature that cannot work on a
    database, say); ``offered`` lists what may be chosen instead.
    """

    def __init__(
        self, combination: str, offered: Iterable[str], *, reason: str | None = None
    ) -> None:
        self.combination = combination
        self.offered = sorted(offered)
        self.reason = reason
        why = f": {reason}" if reason else " (not proven in CI)"
        super().__init__(f"{combination} is not offered{why}; offered: {_choices(self.offered)}")


class InvalidNameError(UsageError):
    """A project name that cannot be a folder, package or import name."""


class InvalidDatabaseUrlError(UsageError):
    """A database URL that the project's database cannot use (another scheme, no name)."""


class DestinationError(UsageError):
    """The destination cannot take the project without losing something."""


class NotAProjectError(UsageError):
    """A folder that scaffold did not generate (it has no answers file)."""


class TemplateError(ScaffoldError):
    """A template failed to render; this is a bug in scaffold or in a custom template."""


class PackError(UsageError):
    """A layer pack that cannot be used: broken, or clashing with another source's names."""


class TemplateSourceError(UsageError):
    """A cookiecutter template that cannot be rendered (not found, broken, unsafe)."""


class HookError(ScaffoldError):
    """A cookiecutter template's hook failed; nothing was written."""


class GitError(ScaffoldError):
    """Git could not initialise the repository or make the first commit."""


class ProjectStateError(UsageError):
    """A project that cannot be updated as it stands; nothing was changed.

    Uncommitted changes, a merge or rebase in progress, a project made by a newer
    scaffold, a framework change, or no record of what was generated.
    """


class UpdateError(ScaffoldError):
    """An update failed while writing (a full disk, say); the project was restored."""


class JournalError(UpdateError):
    """An update's journal could not restore everything; its backups are kept."""


class VerificationError(ScaffoldError):
    """A project could not be verified (not a scaffold project, missing tool)."""

    exit_code = 1


__all__ = [
    "DestinationError",
    "GitError",
    "HookError",
    "InvalidDatabaseUrlError",
    "InvalidNameError",
    "JournalError",
    "NotAProjectError",
    "NotOfferedError",
    "PackError",
    "ProjectStateError",
    "ScaffoldError",
    "TemplateError",
    "TemplateSourceError",
    "UnknownChoiceError",
    "UpdateError",
    "UsageError",
    "VerificationError",
]
