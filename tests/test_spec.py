"""The project description and the rules for names."""

import dataclasses

import pytest

from toolkit import InvalidNameError, ProjectSpec, UsageError
from toolkit._names import validate_project_name


@pytest.mark.parametrize("name", ["task-api", "a", "my-tasks-2", "x" * 50, "abc123"])
def test_good_names(name: str) -> None:
    validate_project_name(name)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("../x", "not a path"),
        ("/abs/path", "not a path"),
        ("a/b", "not a path"),
        ("..", "not a path"),
        ("~user", "not a path"),
        ("My API", "lowercase"),
        ("1api", "starting with a letter"),
        ("my--api", "single hyphens"),
        ("my-api-", "single hyphens"),
        ("my_api", "lowercase letters, digits and single hyphens"),
        ("x" * 51, "longer than 50"),
        ("class", "keyword"),
        ("match", "keyword"),
        ("json", "shadow"),
        ("fastapi", "shadow"),
        ("tests", "shadow"),
        ("con", "reserved device"),
        ("lpt1", "reserved device"),
    ],
)
def test_bad_names_are_refused_with_a_reason(name: str, message: str) -> None:
    with pytest.raises(InvalidNameError, match=message) as caught:
        validate_project_name(name)
    assert isinstance(caught.value, UsageError)
    assert caught.value.exit_code == 2
    assert "\n" not in str(caught.value)


def test_a_bad_name_suggests_a_slug() -> None:
    with pytest.raises(InvalidNameError, match="'my-api'"):
        validate_project_name("My API")


def test_spec_is_frozen_and_derives_the_package() -> None:
    spec = ProjectSpec(kind="task-api", name="my-tasks", features={"docker"})  # type: ignore[arg-type]
    assert spec.package == "my_tasks"
    assert spec.features == frozenset({"docker"})
    assert spec.label == "task-api, fastapi, sqlite"
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.name = "other"  # type: ignore[misc]


def test_spec_round_trips_through_a_dict() -> None:
    spec = ProjectSpec(kind="task-api", name="x", framework="flask", features=frozenset({"ci"}))
    assert ProjectSpec.from_dict(spec.to_dict()) == spec


def test_spec_checks_its_name() -> None:
    with pytest.raises(InvalidNameError):
        ProjectSpec(kind="task-api", name="../escape")
