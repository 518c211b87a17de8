"""What is kept between runs: parsed TOML and compiled templates, never stale, never required."""

import tomllib
from pathlib import Path

import pytest

from toolkit import Catalog, TemplateError, render
from toolkit._cache import read_toml
from toolkit._render import _environment, _from_string

from .conftest import build_file_tree


def entries(cache: Path, prefix: str) -> list[Path]:
    return sorted(p for folder in cache.glob(f"{prefix}-*") for p in folder.iterdir())


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("SCAFFOLD_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every real TOML parse."""
    seen: list[str] = []
    real = tomllib.loads

    def counting(text: str, **kwargs: object) -> dict:
        seen.append(text)
        return real(text, **kwargs)

    monkeypatch.setattr(tomllib, "loads", counting)
    return seen


def test_toml_is_parsed_once_then_read_back(cache: Path, parses: list[str], tmp_path: Path) -> None:
    source = tmp_path / "layer.toml"
    source.write_text('[commands]\ntest = "pytest"\n[vars]\nsizes = [1, 2.5, true]\n')
    first = read_toml(source)
    assert first == {"commands": {"test": "pytest"}, "vars": {"sizes": [1, 2.5, True]}}
    assert len(entries(cache, "toml")) == 1
    assert read_toml(source) == first
    assert len(parses) == 1


def test_an_edited_file_is_parsed_again(cache: Path, parses: list[str], tmp_path: Path) -> None:
    source = tmp_path / "kind.toml"
    source.write_text('title = "One"\n')
    assert read_toml(source) == {"title": "One"}
    source.write_text('title = "Two"\n')
    assert read_toml(source) == {"title": "Two"}
    assert len(parses) == 2


def test_a_damaged_entry_is_replaced(cache: Path, parses: list[str], tmp_path: Path) -> None:
    source = tmp_path / "catalog.toml"
    source.write_text("a = 1\n")
    read_toml(source)
    [entry] = entries(cache, "toml")
    entry.write_bytes(b"\x00not marshal")
    assert read_toml(source) == {"a": 1}
    assert read_toml(source) == {"a": 1}
    assert len(parses) == 2  # parsed again once, then read back from the new entry


def test_values_without_a_stored_form_are_parsed_every_time(
    cache: Path, parses: list[str], tmp_path: Path
) -> None:
    source = tmp_path / "dated.toml"
    source.write_text("when = 2026-11-26\n")
    assert str(read_toml(source)["when"]) == "2026-11-26"
    assert str(read_toml(source)["when"]) == "2026-11-26"
    assert entries(cache, "toml") == []
    assert len(parses) == 2


def test_an_empty_cache_dir_turns_caching_off(
    monkeypatch: pytest.MonkeyPatch, parses: list[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("SCAFFOLD_CACHE_DIR", "")
    source = tmp_path / "x.toml"
    source.write_text("a = 1\n")
    assert read_toml(source) == read_toml(source) == {"a": 1}
    assert len(parses) == 2


def test_an_unwritable_cache_is_skipped(
    monkeypatch: pytest.MonkeyPatch, parses: list[str], tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("SCAFFOLD_CACHE_DIR", str(blocker / "cache"))  # cannot be made
    source = tmp_path / "x.toml"
    source.write_text("a = 1\n")
    assert read_toml(source) == {"a": 1}


def test_broken_toml_is_still_reported(cache: Path, tmp_path: Path) -> None:
    source = tmp_path / "bad.toml"
    source.write_text("title = \n")
    for _ in range(2):
        with pytest.raises(tomllib.TOMLDecodeError):
            read_toml(source)
    assert entries(cache, "toml") == []


@pytest.mark.parametrize("content", [b"[vars\n", b"[vars]\nname = '\xff'\n"])
def test_a_broken_layer_toml_is_a_template_error(
    cache: Path, fake_templates: Path, fake_catalog: Catalog, content: bytes
) -> None:
    build_file_tree(fake_templates, {"demo/common/layer.toml": content})
    spec = fake_catalog.resolve("demo", "d", framework="alpha", database="one")
    with pytest.raises(TemplateError, match=r"demo/common/layer\.toml"):
        render(spec, catalog=fake_catalog)


def test_templated_path_parts_are_compiled_once(
    cache: Path, fake_templates: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    part = "{{ project.package }}"
    env = _environment((fake_templates,))
    assert _from_string(env, part).render(project={"package": "my_demo"}) == "my_demo"
    assert len(entries(cache, "jinja")) == 1
    _environment.cache_clear()
    _from_string.cache_clear()
    env = _environment((fake_templates,))  # as in the next run
    monkeypatch.setattr(env, "compile", lambda *args, **kwargs: pytest.fail("compiled again"))
    assert _from_string(env, part).render(project={"package": "my_demo"}) == "my_demo"


def test_path_parts_render_without_a_cache(
    monkeypatch: pytest.MonkeyPatch, fake_templates: Path
) -> None:
    monkeypatch.setenv("SCAFFOLD_CACHE_DIR", "")
    _environment.cache_clear()
    env = _environment((fake_templates,))
    assert env.bytecode_cache is None
    assert _from_string(env, "{{ 'a' if x else '' }}").render(x=True) == "a"
