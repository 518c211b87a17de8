"""Layer packs: folders and entry points that add kinds, databases and features to the catalog."""

import json
import os
from pathlib import Path

import pytest

from toolkit import Catalog, PackError, load_catalog, render
from toolkit._answers import parse_record
from toolkit._packs import ENTRY_POINT_GROUP, TEMPLATES_ENV, discover_packs

from .conftest import build_file_tree

PACK_CATALOG = """
[pack]
name = "gadgets"
version = "1.2.0"

[databases.three]
label = "Three"

[features.metrics]
label = "Metrics"
summary = "counts things"
"""

GADGETS_KIND = """
title = "Gadgets"
summary = "Gadgets, from a pack"
modules = ["gadgets"]

[offered]
alpha = ["one", "three"]
"""


def make_pack(root: Path, **extra: str | bytes) -> Path:
    """A pack for the fake catalog of conftest: a kind, a database and a feature of its own."""
    files: dict[str, str | bytes] = {
        "catalog.toml": PACK_CATALOG,
        "gadgets/kind.toml": GADGETS_KIND,
        "gadgets/alpha/gadget.py.jinja": (
            '"""{{ kind.title }} for {{ project.package }}."""\n'
            '{% include "_shared/alpha/deps.txt.jinja" %}'
        ),
        "gadgets/common/layer.toml": '[commands]\ngadget = "run-gadget {package}"\n',
        "_shared/common+three/three.txt": "database three\n",
        "_shared/alpha+metrics/metrics.txt.jinja": "metrics of {{ kind.id }}\n",
        "contracts/gadgets/test_gadgets.py": "def test_nothing():\n    pass\n",
    }
    files.update(extra)
    return build_file_tree(root, files)


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    return make_pack(tmp_path / "gadgets-pack")


@pytest.fixture
def packed(fake_catalog: Catalog, pack: Path) -> Catalog:
    return load_catalog(fake_catalog.root, packs=[pack])


def test_a_pack_adds_entries_that_know_their_source(packed: Catalog, pack: Path) -> None:
    assert [s.name for s in packed.sources] == ["scaffold", "gadgets"]
    gadgets = packed.pack("gadgets")
    assert gadgets.version == "1.2.0" and gadgets.root == pack
    assert gadgets.origin == f"folder {pack}"
    assert packed.kinds["gadgets"].source == gadgets
    assert packed.databases["three"].source == gadgets
    assert packed.features["metrics"].source == gadgets
    assert packed.kinds["demo"].source is not None and packed.kinds["demo"].source.builtin
    assert packed.kinds["gadgets"].contract_suite == pack / "contracts" / "gadgets"
    assert ("gadgets", "alpha", "three") in {
        (c.kind, c.framework, c.database) for c in packed.combinations()
    }


def test_layers_come_from_every_source_in_order(packed: Catalog, pack: Path) -> None:
    spec = packed.resolve("gadgets", "g", database="three", features=["metrics"])
    layers = [(layer.source.name, layer.name) for layer in packed.layers(spec)]
    assert layers == [
        ("scaffold", "_shared/common"),
        ("gadgets", "_shared/common+three"),
        ("scaffold", "_shared/alpha"),
        ("gadgets", "_shared/alpha+metrics"),
        ("gadgets", "gadgets/common"),
        ("gadgets", "gadgets/alpha"),
    ]
    assert packed.layer_paths(spec)[1] == pack / "_shared" / "common+three"


def test_a_pack_kind_renders_with_the_built_in_layers_and_records_the_pack(
    packed: Catalog,
) -> None:
    spec = packed.resolve("gadgets", "my-gadgets", database="three", features=["metrics"])
    project = render(spec, catalog=packed)
    files = {str(p): f for p, f in project.files.items()}
    # Its own template includes a built-in one: one Jinja name space over both roots.
    assert files["gadget.py"].content.decode().startswith('"""Gadgets for my_gadgets."""\n')
    assert "alpha-lib" in files["gadget.py"].content.decode()
    assert files["three.txt"].content == b"database three\n"
    assert files["metrics.txt"].content == b"metrics of gadgets\n"
    assert "shared.txt" in files and "app.py" in files  # the built-in layers
    assert project.commands["gadget"] == "run-gadget my_gadgets"
    record = parse_record(files[".scaffold.json"].content.decode())
    assert record.packs == {"gadgets": "1.2.0"}
    assert record.files is not None
    assert record.files["three.txt"].layer == "_shared/common+three"
    assert record.files["gadget.py"].layer == "gadgets/alpha"


def test_projects_that_use_nothing_of_a_pack_record_no_pack(
    fake_catalog: Catalog, packed: Catalog
) -> None:
    spec = packed.resolve("demo", "d", features=["docs"])
    text = render(spec, catalog=packed, make_secret=lambda: "s").files
    alone = render(spec, catalog=fake_catalog, make_secret=lambda: "s").files
    answers = text[next(p for p in text if str(p) == ".scaffold.json")].content
    assert b'"packs"' not in answers
    # The pack being installed changes nothing in a project that does not use it.
    assert {str(p): f.content for p, f in text.items()} == {
        str(p): f.content for p, f in alone.items()
    }
    # A built-in kind with a pack's feature is made with the pack.
    with_metrics = render(packed.resolve("demo", "d", features=["metrics"]), catalog=packed)
    record = parse_record(
        next(
            f for p, f in with_metrics.files.items() if str(p) == ".scaffold.json"
        ).content.decode()
    )
    assert record.packs == {"gadgets": "1.2.0"}


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            {"demo/kind.toml": GADGETS_KIND},
            "kind 'demo' is defined twice: by the built-in templates and by pack 'gadgets' 1.2.0",
        ),
        (
            {
                "catalog.toml": PACK_CATALOG + '\n[frameworks.alpha]\nlabel = "A"\n'
                'language = "python"\nlayers = ["alpha"]\n'
            },
            "framework 'alpha' is defined twice: by the built-in templates and by pack 'gadgets'",
        ),
        (
            {"catalog.toml": PACK_CATALOG + '\n[features.docs]\nlabel = "Mine"\n'},
            "feature 'docs' is defined twice",
        ),
        (
            {"catalog.toml": PACK_CATALOG + '\n[features.always]\nlabel = "A"\ndefault = true\n'},
            "feature 'always' cannot be a default",
        ),
        (
            {"catalog.toml": PACK_CATALOG + '\n[[endpoints]]\nmethod = "GET"\npath = "/x"\n'},
            "has table(s) ['endpoints'] that a pack cannot set",
        ),
        (
            {"_shared/common/README.md.jinja": "mine\n"},
            "the layer folder _shared/common is defined twice: by the built-in templates and by "
            "pack 'gadgets'",
        ),
        (
            {"_shared/alpha+one/sneaky.txt": "in every alpha project on one\n"},
            "_shared/alpha+one would change projects that do not use the pack",
        ),
        ({"Bad_Kind/kind.toml": GADGETS_KIND}, "kind 'Bad_Kind' needs an id of lowercase"),
        ({"widgets/kind.toml": GADGETS_KIND}, "kind 'widgets' has no contract suite"),
    ],
)
def test_a_pack_cannot_replace_or_change_another_sources_entries(
    fake_catalog: Catalog, tmp_path: Path, extra: dict[str, str], message: str
) -> None:
    pack = make_pack(tmp_path / "bad-pack", **extra)
    with pytest.raises(PackError) as caught:
        load_catalog(fake_catalog.root, packs=[pack])
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_two_packs_cannot_share_a_name(fake_catalog: Catalog, tmp_path: Path) -> None:
    first = make_pack(tmp_path / "one")
    second = build_file_tree(tmp_path / "two", {"catalog.toml": '[pack]\nname = "gadgets"\n'})
    assert load_catalog(fake_catalog.root, packs=[second]).pack("gadgets").version is None
    with pytest.raises(PackError) as caught:
        load_catalog(fake_catalog.root, packs=[first, second])
    assert str(caught.value) == (
        f"two layer packs are called 'gadgets': pack 'gadgets' 1.2.0 (folder {first}) and "
        f"pack 'gadgets' (folder {second}); a project records its packs by name"
    )


def test_a_folder_without_a_catalog_is_no_pack(fake_catalog: Catalog, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(PackError, match=r"has no catalog\.toml"):
        load_catalog(fake_catalog.root, packs=[tmp_path / "empty"])
    with pytest.raises(PackError, match="is not a folder"):
        load_catalog(fake_catalog.root, packs=[tmp_path / "missing"])


def test_scaffold_templates_names_folders(
    monkeypatch: pytest.MonkeyPatch, pack: Path, tmp_path: Path
) -> None:
    second = build_file_tree(
        tmp_path / "second", {"catalog.toml": '[pack]\nname = "other"\nversion = "2"\n'}
    )
    monkeypatch.setenv(TEMPLATES_ENV, os.pathsep.join([str(pack), "", str(second)]))
    assert [(p.name, p.version) for p in discover_packs()] == [("gadgets", "1.2.0"), ("other", "2")]


def install_entry_point(site: Path, name: str, value: str, dist: str, version: str) -> None:
    """What pip leaves for a distribution with an entry point: a .dist-info folder."""
    info = site / f"{dist.replace('-', '_')}-{version}.dist-info"
    build_file_tree(
        info,
        {
            "METADATA": f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n",
            "entry_points.txt": f"[{ENTRY_POINT_GROUP}]\n{name} = {value}\n",
        },
    )


def test_installed_packs_are_found_through_entry_points_and_remembered(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import toolkit._packs as packs_module

    site = tmp_path / "site"
    make_pack(site / "gadgets_pack")
    (site / "gadgets_pack" / "__init__.py").write_text("")
    install_entry_point(site, "gadgets", "gadgets_pack", "gadgets-pack", "3.0.1")
    monkeypatch.syspath_prepend(str(site))
    scans: list[int] = []
    real_scan = packs_module._scan_entry_points

    def counting_scan() -> list:
        scans.append(1)
        return real_scan()

    monkeypatch.setattr(packs_module, "_scan_entry_points", counting_scan)
    found = discover_packs()
    assert [(p.name, p.version, p.root) for p in found] == [
        ("gadgets", "3.0.1", site / "gadgets_pack")
    ]
    assert found[0].origin == "entry point 'gadgets' of gadgets-pack 3.0.1"
    assert discover_packs() == found and len(scans) == 1  # from the cache
    # Installing or removing a distribution changes its folder: the next run scans again.
    (site / "gadgets_pack-3.0.1.dist-info" / "RECORD").write_text("")
    os.utime(site, ns=(0, 0))
    assert discover_packs() == found and len(scans) == 2


def test_an_entry_point_that_is_not_a_package_is_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    build_file_tree(site, {"lonely.py": "X = 1\n"})
    install_entry_point(site, "lonely", "lonely", "lonely-dist", "1.0")
    monkeypatch.syspath_prepend(str(site))
    with pytest.raises(PackError, match=r"entry point 'lonely' \(lonely\) of lonely-dist: "):
        discover_packs()


def test_an_entry_point_may_name_a_function_returning_the_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    folder = make_pack(tmp_path / "elsewhere")
    build_file_tree(site, {"finder.py": f"def where():\n    return {str(folder)!r}\n"})
    install_entry_point(site, "found", "finder:where", "finder-dist", "0.1")
    monkeypatch.syspath_prepend(str(site))
    assert [(p.name, p.root) for p in discover_packs()] == [("gadgets", folder)]


def test_the_answers_of_a_project_from_a_pack_round_trip(packed: Catalog) -> None:
    spec = packed.resolve("gadgets", "g")
    text = next(
        f for p, f in render(spec, catalog=packed).files.items() if str(p) == ".scaffold.json"
    ).content.decode()
    data = json.loads(text)
    assert data["packs"] == {"gadgets": "1.2.0"} and data["kind"] == "gadgets"
    assert parse_record(text).packs == {"gadgets": "1.2.0"}


def test_a_packs_contract_suite_runs_beside_the_common_one_with_its_fixtures(
    fake_catalog: Catalog, tmp_path: Path
) -> None:
    from toolkit import run_contract

    # The pack lies in someone's repository, below a conftest.py that is not for it.
    outer = build_file_tree(
        tmp_path / "repository", {"conftest.py": "raise RuntimeError('not for the pack')\n"}
    )
    pack = make_pack(
        outer / "tests" / "gadgets-pack",
        **{"contracts/gadgets/test_gadgets.py": "def test_uses_api(api, base_url):\n    pass\n"},
    )
    packed = load_catalog(fake_catalog.root, packs=[pack])
    ok, output = run_contract(
        "gadgets", "http://127.0.0.1:9", catalog=packed, extra_args=("--collect-only",)
    )
    assert ok, output
    assert "test_gadgets.py::test_uses_api" in output
    assert "common/test_service.py::test_health" in output
