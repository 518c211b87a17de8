"""Updates of projects without git: file by file from the recorded hashes, or a real merge."""

import json
from pathlib import Path

import pytest

from toolkit import Catalog, ProjectStateError, check, render, update

from .lifecycle_support import copy_project, snapshot

pytestmark = pytest.mark.usefixtures("fast_keys")


@pytest.fixture
def project(originals: dict[bool, Path], tmp_path: Path) -> Path:
    return copy_project(originals[False], tmp_path)


def committed(catalog: Catalog, project: Path) -> dict[str, bytes]:
    from toolkit._answers import read_record

    rendered = render(read_record(project).spec, catalog=catalog, with_local=False)
    return {str(p): f.content for p, f in rendered.files.items()}


def test_an_untouched_project_is_replaced_file_by_file(project: Path, v2: Catalog) -> None:
    result = update(project, catalog=v2)
    assert result.ok and result.written and result.commit is None
    assert result.base == "the hashes recorded in .scaffold.json"
    assert any("compared with the hashes" in note for note in result.notes)
    for relative, content in committed(v2, project).items():
        assert (project / relative).read_bytes() == content, relative
    assert not (project / "doomed.txt").exists()
    assert not (project / "demo_app/old_name.py").exists()  # a rename: dropped, then added
    assert not (project / "bin/run").stat().st_mode & 0o100
    assert check(project, catalog=v2).exit_code == 0
    assert not (project / ".git").exists()


def test_a_file_both_changed_is_a_conflict_as_a_whole(project: Path, v2: Catalog) -> None:
    routes = project / "demo_app/routes.py"
    routes.write_text(routes.read_text().replace("return 1\n", "return 1  # mine\n"))
    before = snapshot(project)
    result = update(project, catalog=v2)
    assert [(c.path, c.kind) for c in result.conflicts] == [("demo_app/routes.py", "content")]
    assert snapshot(project) == before  # nothing written
    marked = update(project, catalog=v2, conflicts="markers")
    assert marked.written and marked.exit_code == 1
    text = routes.read_text()
    assert "<<<<<<< yours\n" in text and "return 1  # mine" in text and "return 80  # v2" in text
    answers = json.loads((project / ".scaffold.json").read_text())
    assert answers["conflicts"] == ["demo_app/routes.py"]
    assert check(project, catalog=v2).markers == ("demo_app/routes.py",)
    with pytest.raises(ProjectStateError, match="conflict markers remain"):
        update(project, catalog=v2)
    routes.write_text("def route_1():\n    return 1  # resolved\n")
    assert check(project, catalog=v2).exit_code == 0


def test_your_files_and_deletions_are_kept_and_template_deletions_respect_your_changes(
    project: Path, v2: Catalog
) -> None:
    (project / "kept.txt").write_text("mine now\n")  # the template does not change it
    (project / "demo_app/__init__.py").unlink()  # unchanged by the template: stays deleted
    (project / "README.md").unlink()  # changed by the template: a conflict
    (project / "doomed.txt").write_text("I still need it\n")  # removed by the template
    (project / "notes.txt").write_text("my own file\n")
    result = update(project, catalog=v2)
    assert sorted((c.path, c.kind) for c in result.conflicts) == [
        ("README.md", "delete/modify"),
        ("doomed.txt", "modify/delete"),
    ]
    (project / "doomed.txt").unlink()
    (project / "README.md").write_text("mine\n")
    result = update(project, catalog=v2)
    assert [c.path for c in result.conflicts] == ["README.md"]  # both made it, differently
    (project / "README.md").unlink()
    git_less = update(project, catalog=v2, conflicts="markers")
    assert git_less.written
    assert "<<<<<<< yours\n=======\n# demo-app" in (project / "README.md").read_text()
    assert (project / "kept.txt").read_text() == "mine now\n"
    assert not (project / "demo_app/__init__.py").exists()
    assert (project / "notes.txt").read_text() == "my own file\n"


def test_a_change_of_answers_at_the_same_templates_is_a_real_merge(
    project: Path, v1: Catalog
) -> None:
    readme = project / "README.md"
    readme.write_text(readme.read_text().replace("Paragraph 6.", "Paragraph 6, my words."))
    result = update(project, catalog=v1, database="two")
    assert result.ok, result.conflicts
    assert result.base == "rendered again by this scaffold"
    text = readme.read_text()
    assert "A Two project." in text and "Paragraph 6, my words." in text
    assert (project / "db_two.txt").exists()


def test_a_project_of_scaffold_0_1_0_without_git_is_refused_with_the_reason(
    project: Path, v2: Catalog
) -> None:
    answers = project / ".scaffold.json"
    data = json.loads(answers.read_text())
    old = {key: data[key] for key in ("kind", "name", "framework", "database", "features")}
    answers.write_text(json.dumps({"scaffold_version": "0.1.0", **old}, indent=2) + "\n")
    before = snapshot(project)
    with pytest.raises(ProjectStateError, match="recorded no hashes, and it has no git"):
        update(project, catalog=v2)
    assert snapshot(project) == before
    assert check(project, catalog=v2).exit_code == 1
