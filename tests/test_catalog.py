"""The catalog: what exists, what is offered, how a spec is resolved and layered."""

import tomllib
from pathlib import Path

import pytest

from toolkit import Catalog, NotOfferedError, ProjectSpec, UnknownChoiceError, load_catalog
from toolkit._paths import contracts_root


def test_the_real_catalog_offers_task_api_on_fastapi_and_flask(catalog: Catalog) -> None:
    cells = {(c.kind, c.framework, c.database) for c in catalog.combinations()}
    for framework in ("fastapi", "flask"):
        for database in ("sqlite", "postgres", "mysql"):
            assert ("task-api", framework, database) in cells
    assert catalog.is_offered("task-api", "flask", "sqlite")
    assert not catalog.is_offered("task-api", "flask", "oracle")
    assert not catalog.is_offered("no-such-kind", "flask", "sqlite")


def test_every_offered_cell_is_made_of_known_parts(catalog: Catalog) -> None:
    for cell in catalog.combinations():
        assert cell.framework in catalog.frameworks
        assert cell.database in catalog.databases
        for layer in catalog.frameworks[cell.framework].layers:
            assert (catalog.root / "_shared" / layer).is_dir(), layer


def test_every_kind_has_a_contract_suite(catalog: Catalog) -> None:
    for kind in catalog.kinds:
        assert (contracts_root() / kind.replace("-", "_")).is_dir(), kind


def test_kind_texts_fit_in_generated_code(catalog: Catalog) -> None:
    # Titles and summaries are rendered into one-line Python strings and docstrings.
    for kind in catalog.kinds.values():
        assert len(kind.title) <= 40, kind.id
        assert len(kind.summary) <= 80, kind.id
        assert '"' not in kind.title + kind.summary, kind.id


def test_kind_endpoints_are_unique_and_include_the_common_ones(catalog: Catalog) -> None:
    for kind in catalog.kinds.values():
        pairs = [(e.method, e.path) for e in kind.endpoints]
        assert len(pairs) == len(set(pairs)), kind.id
        assert ("POST", "/auth/login") in pairs


def test_resolve_fills_defaults(catalog: Catalog) -> None:
    spec = catalog.resolve("task-api")
    assert spec == ProjectSpec(
        kind="task-api",
        name="task-api",
        framework="fastapi",
        database="sqlite",
        features=catalog.default_features(),
    )


def test_resolve_features(catalog: Catalog) -> None:
    assert catalog.resolve("task-api", without=["docker"]).features == {"ci"}
    assert catalog.resolve("task-api", features=["docker"]).features == {"docker"}
    assert catalog.resolve("task-api", features=[]).features == frozenset()


@pytest.mark.parametrize(
    ("options", "what", "value"),
    [
        ({"kind": "blog"}, "kind", "blog"),
        ({"framework": "rails"}, "framework", "rails"),
        ({"database": "oracle"}, "database", "oracle"),
        ({"features": ["k8s"]}, "feature", "k8s"),
        ({"without": ["k8s"]}, "feature", "k8s"),
    ],
)
def test_unknown_choices_name_the_value_and_the_choices(
    catalog: Catalog, options: dict, what: str, value: str
) -> None:
    kind = options.pop("kind", "task-api")
    with pytest.raises(UnknownChoiceError) as caught:
        catalog.resolve(kind, **options)
    message = str(caught.value)
    assert message.startswith(f"unknown {what} {value!r}; choose from: ")
    assert caught.value.offered


def test_known_but_unproven_combinations_are_refused(fake_catalog: Catalog) -> None:
    with pytest.raises(NotOfferedError, match="database 'two' for demo on beta") as caught:
        fake_catalog.resolve("demo", framework="beta", database="two")
    assert caught.value.offered == ["one"]


def test_layers_apply_in_order(fake_catalog: Catalog, fake_templates: Path) -> None:
    spec = fake_catalog.resolve("demo", "x", framework="alpha", database="two", features=["extra"])
    layers = [str(p.relative_to(fake_templates)) for p in fake_catalog.layer_paths(spec)]
    assert layers == [
        "_shared/common",
        "_shared/common+two",
        "_shared/common+extra",
        "_shared/alpha",
        "_shared/alpha+money",  # the kind uses "money"
        "demo/common",
        "demo/alpha",
    ]


def test_models_and_routers_default_to_the_modules(fake_catalog: Catalog) -> None:
    kind = fake_catalog.kind("demo")
    assert kind.models == kind.routers == kind.modules == ("things",)
    assert kind.uses == ("money",)


def test_kind_endpoints_follow_the_common_ones(fake_catalog: Catalog) -> None:
    endpoints = [(e.method, e.path) for e in fake_catalog.kind("demo").endpoints]
    assert endpoints == [("GET", "/health"), ("GET", "/things")]


def test_kinds_are_read_when_first_asked_for(fake_templates: Path) -> None:
    # A second kind whose kind.toml is broken: only asking for it fails.
    (fake_templates / "later").mkdir()
    (fake_templates / "later" / "kind.toml").write_text("title = \n")
    catalog = load_catalog(fake_templates)
    assert list(catalog.kinds) == ["demo", "later"]
    assert len(catalog.kinds) == 2
    assert "later" in catalog.kinds
    assert "nope" not in catalog.kinds
    assert catalog.kinds.get("nope") is None
    assert catalog.kind("demo").title == "Demo"
    assert catalog.kinds["demo"] is catalog.kind("demo")  # read once
    with pytest.raises(tomllib.TOMLDecodeError):
        catalog.kind("later")
    with pytest.raises(UnknownChoiceError):
        catalog.kind("nope")
