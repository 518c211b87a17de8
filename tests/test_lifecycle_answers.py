"""Changing a project's answers: its database, its features; what is refused."""

from pathlib import Path

import pytest

from toolkit import (
    Catalog,
    NotOfferedError,
    ProjectStateError,
    UnknownChoiceError,
    UsageError,
    add_feature,
    check,
    remove_feature,
    update,
)

from .lifecycle_support import copy_project, git, snapshot

pytestmark = pytest.mark.usefixtures("fast_keys")


@pytest.fixture
def project(originals: dict[bool, Path], tmp_path: Path) -> Path:
    return copy_project(originals[True], tmp_path)


def test_changing_the_database_carries_it_through(project: Path, v1: Catalog) -> None:
    routes = project / "demo_app/routes.py"
    routes.write_text(routes.read_text() + "# mine\n")
    git(project, "commit", "-q", "-am", "mine")
    result = update(project, catalog=v1, database="two")
    assert result.ok and result.commit
    assert git(project, "log", "-1", "--format=%s") == "Change database from one to two"
    assert result.base == "the pristine generation in the history" or result.base.startswith(
        "the first commit"
    )
    assert (project / "db_two.txt").read_text() == "settings of database two\n"
    assert "A Two project." in (project / "README.md").read_text()
    assert routes.read_text().endswith("# mine\n")
    # DATABASE_URL held the old default: it follows; the secret does not move.
    env = (project / ".env").read_text()
    assert "DATABASE_URL=two://localhost/app\n" in env
    assert result.env_updated == ("DATABASE_URL",)
    assert check(project, catalog=v1).exit_code == 0
    from toolkit._answers import read_record

    assert read_record(project).spec.database == "two"


def test_a_database_url_of_yours_is_kept(project: Path, v1: Catalog) -> None:
    env = project / ".env"
    env.write_text(env.read_text().replace("one:///app.db", "one:///elsewhere.db"))
    result = update(project, catalog=v1, database="two")
    assert "DATABASE_URL=one:///elsewhere.db\n" in env.read_text()
    assert result.env_updated == ()


@pytest.mark.parametrize(
    ("options", "error", "match"),
    [
        ({"database": "three"}, NotOfferedError, "not offered"),
        ({"database": "mongodb"}, UnknownChoiceError, "unknown database 'mongodb'"),
        ({"framework": "beta"}, ProjectStateError, "replaces the whole code base|framework"),
        ({"framework": "gamma"}, UnknownChoiceError, "unknown framework"),
        ({"add_features": ["docs"]}, UsageError, "already has the feature 'docs'"),
        ({"remove_features": ["extra"]}, UsageError, "does not have the feature 'extra'"),
        ({"add_features": ["wings"]}, UnknownChoiceError, "unknown feature 'wings'"),
    ],
)
def test_answers_that_are_not_offered_are_refused_and_nothing_is_written(
    project: Path, v1: Catalog, options: dict, error: type, match: str
) -> None:
    before = snapshot(project)
    with pytest.raises(error, match=match) as caught:
        update(project, catalog=v1, **options)
    assert caught.value.exit_code == 2
    assert snapshot(project) == before


def test_the_same_framework_is_no_change(project: Path, v1: Catalog) -> None:
    assert update(project, catalog=v1, framework="alpha").up_to_date


def test_adding_and_removing_features(project: Path, v1: Catalog) -> None:
    added = add_feature(project, "extra", catalog=v1)
    assert added.ok and git(project, "log", "-1", "--format=%s") == "Add feature extra"
    assert (project / "extra.txt").exists()
    removed = remove_feature(project, "docs", catalog=v1)
    assert removed.ok and git(project, "log", "-1", "--format=%s") == "Remove feature docs"
    assert not (project / "docs").exists()  # the emptied folder goes too
    assert {c.path: c.action for c in removed.changes}["docs/index.md"] == "deleted"
    assert check(project, catalog=v1).exit_code == 0


def test_removing_a_feature_never_deletes_your_changes(project: Path, v1: Catalog) -> None:
    guide = project / "docs/guide.md"
    guide.write_text(guide.read_text() + "My notes.\n")
    (project / "docs/mine.md").write_text("my page\n")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "mine")
    before = snapshot(project)
    result = remove_feature(project, "docs", catalog=v1)
    assert [(c.path, c.kind) for c in result.conflicts] == [("docs/guide.md", "modify/delete")]
    assert snapshot(project) == before
    (project / "docs/guide.md").write_text("# Guide\n\nHow to.\n")
    git(project, "commit", "-q", "-am", "undo my notes")
    result = remove_feature(project, "docs", catalog=v1)
    assert result.ok
    assert not (project / "docs/guide.md").exists() and not (project / "docs/index.md").exists()
    assert (project / "docs/mine.md").read_text() == "my page\n"  # yours, untouched
