"""The catalog: what exists, what is offered, how a spec is resolved and layered."""

import tomllib
from pathlib import Path

import pytest

from toolkit import (
    Catalog,
    NotOfferedError,
    ProjectSpec,
    TemplateError,
    UnknownChoiceError,
    UsageError,
    load_catalog,
)
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
        ({"features": ["helm"]}, "feature", "helm"),
        ({"without": ["helm"]}, "feature", "helm"),
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


def test_what_features_use_is_a_layer_once_before_the_features(fake_templates: Path) -> None:
    """Two features on one building block (``store``) get its layers once, before theirs."""
    (fake_templates / "_shared/common+store").mkdir()
    text = (fake_templates / "catalog.toml").read_text()
    text = text.replace(
        '[features.extra]\nlabel = "Extra"\n',
        '[features.extra]\nlabel = "Extra"\nuses = ["store"]\n',
    )
    text = text.replace(
        '[features.docs]\nlabel = "Docs"\n', '[features.docs]\nlabel = "Docs"\nuses = ["store"]\n'
    )
    (fake_templates / "catalog.toml").write_text(text)
    catalog = load_catalog(fake_templates)
    assert catalog.features["extra"].uses == ("store",)
    assert catalog.features["extra"].to_dict()["uses"] == ["store"]
    spec = catalog.resolve(
        "demo", "x", framework="alpha", database="two", features=["extra", "docs"]
    )
    assert catalog.feature_uses(spec) == ["store"]
    layers = [str(p.relative_to(fake_templates)) for p in catalog.layer_paths(spec)]
    assert layers[:5] == [
        "_shared/common",
        "_shared/common+two",
        "_shared/common+store",
        "_shared/common+docs",
        "_shared/common+extra",
    ]
    alone = catalog.resolve("demo", "y", framework="alpha", database="two", features=["docs"])
    assert "_shared/common+store" in [
        str(p.relative_to(fake_templates)) for p in catalog.layer_paths(alone)
    ]
    without = catalog.resolve("demo", "z", framework="alpha", database="two", features=[])
    assert catalog.feature_uses(without) == []
    assert all("store" not in str(p) for p in catalog.layer_paths(without))


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


REFUSING_FEATURES = """
[features.ship]
label = "Ship"
default = false

[features.ship.requires]
docs = "it ships the docs"

[features.ship.not_offered.database]
two = "two cannot be shipped"
"""


@pytest.fixture
def refusing_catalog(fake_templates: Path) -> Catalog:
    """The fake catalog with a feature that needs another and is refused on a database."""
    catalog_file = fake_templates / "catalog.toml"
    catalog_file.write_text(catalog_file.read_text() + REFUSING_FEATURES)
    return load_catalog(fake_templates)


def test_a_feature_is_refused_where_the_catalog_says_with_its_reason(
    refusing_catalog: Catalog,
) -> None:
    with pytest.raises(NotOfferedError) as caught:
        refusing_catalog.resolve("demo", database="two", features=["docs", "ship"])
    assert str(caught.value) == (
        "feature 'ship' on two is not offered: two cannot be shipped; offered: one"
    )
    assert caught.value.reason == "two cannot be shipped" and caught.value.offered == ["one"]
    spec = refusing_catalog.resolve("demo", database="one", features=["docs", "ship"])
    assert spec.features == {"docs", "ship"}


def test_a_feature_without_the_one_it_needs_is_refused(refusing_catalog: Catalog) -> None:
    with pytest.raises(UsageError) as caught:
        refusing_catalog.resolve("demo", database="one", features=["ship"])
    assert str(caught.value) == (
        "feature 'ship' needs the feature 'docs': it ships the docs; choose both, or neither"
    )
    assert caught.value.exit_code == 2


def test_a_feature_refused_on_an_unknown_dimension_is_a_template_error(
    fake_templates: Path,
) -> None:
    catalog_file = fake_templates / "catalog.toml"
    catalog_file.write_text(
        catalog_file.read_text() + '[features.ship]\nlabel = "Ship"\n'
        '[features.ship.not_offered.color]\nred = "no"\n'
    )
    with pytest.raises(TemplateError, match=r"unknown dimension\(s\) \['color'\]"):
        load_catalog(fake_templates)


def test_what_features_need_and_refuse_names_real_choices(catalog: Catalog) -> None:
    for feature in catalog.features.values():
        assert set(feature.requires) <= set(catalog.features), feature.id
        known = {"kind": catalog.kinds, "framework": catalog.frameworks}
        known["database"] = catalog.databases
        for dimension, refused in feature.not_offered.items():
            assert set(refused) <= set(known[dimension]), feature.id
            assert all(reason.strip() for reason in refused.values()), feature.id
