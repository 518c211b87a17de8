"""Updates of projects with git: every merge rule on a synthetic template change (v1 -> v2)."""

import json
import shutil
import subprocess
from pathlib import Path, PurePosixPath

import pytest

from toolkit import Catalog, ProjectStateError, check, diff, generate, update
from toolkit._lifecycle import PRISTINE_REF

from .lifecycle_support import build_version, copy_project, git, snapshot, tracked

pytestmark = pytest.mark.usefixtures("fast_keys")


@pytest.fixture
def project(originals: dict[bool, Path], tmp_path: Path) -> Path:
    return copy_project(originals[True], tmp_path)


def commit_all(project: Path, message: str = "my changes") -> None:
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", message)


def pristine_files(catalog: Catalog, project: Path) -> dict[str, bytes]:
    """What a fresh generation of the project's answers holds (committed files only)."""
    from toolkit import render
    from toolkit._answers import read_record

    rendered = render(read_record(project).spec, catalog=catalog, with_local=False)
    return {str(p): f.content for p, f in rendered.files.items()}


def test_a_new_project_records_every_committed_file_and_its_first_commit_is_pristine(
    project: Path,
) -> None:
    answers = json.loads((project / ".scaffold.json").read_text())
    assert answers["kind"] == "demo" and answers["scaffold_version"]
    assert answers["templates"].startswith("sha256:")
    committed = set(tracked(project))
    assert set(answers["files"]) == committed - {".scaffold.json"}
    assert answers["files"]["demo_app/routes.py"]["layer"] == "_shared/alpha"
    assert answers["files"]["bin/run"]["executable"] is True
    assert ".env" not in answers["files"]


def test_check_is_up_to_date_then_sees_a_template_change(
    project: Path, v1: Catalog, v2: Catalog
) -> None:
    assert check(project, catalog=v1).exit_code == 0
    result = check(project, catalog=v2)
    assert result.exit_code == 1 and not result.up_to_date
    assert "templates" in result.reason


def test_an_untouched_project_becomes_exactly_the_new_generation_in_one_commit(
    project: Path, v2: Catalog
) -> None:
    head = git(project, "rev-parse", "HEAD")
    result = update(project, catalog=v2)
    assert result.ok and result.written and result.commit
    assert git(project, "rev-parse", "HEAD") == result.commit
    # One commit on the first-parent line; its second parent is the pristine generation.
    assert git(project, "log", "--first-parent", "--format=%s", "-2").splitlines() == [
        result.message,
        git(project, "log", "-1", "--format=%s", head),
    ]
    parents = git(project, "rev-list", "--parents", "-1", "HEAD").split()[1:]
    assert parents == [head, result.pristine]
    assert git(project, "rev-parse", PRISTINE_REF) == result.pristine
    expected = pristine_files(v2, project)
    assert git(project, "ls-tree", "-r", "--name-only", "HEAD").splitlines() == sorted(expected)
    for relative, content in expected.items():
        assert (project / relative).read_bytes() == content, relative
    assert git(project, "rev-parse", "HEAD^{tree}") == git(project, "rev-parse", "HEAD^2^{tree}")
    assert git(project, "status", "--porcelain") == ""
    assert check(project, catalog=v2).exit_code == 0
    changed = {c.path: c.action for c in result.changes}
    assert changed["demo_app/new_module.py"] == "added"
    assert changed["doomed.txt"] == "deleted"
    assert changed["bin/run"] == "mode"
    assert not (project / "doomed.txt").exists()
    assert not (project / "bin/run").stat().st_mode & 0o100
    assert (project / "bin/tool").stat().st_mode & 0o100


def test_changes_of_both_sides_in_different_places_are_merged(project: Path, v2: Catalog) -> None:
    routes = project / "demo_app/routes.py"
    routes.write_text(routes.read_text().replace("return 1\n", "return 1  # mine\n"))
    readme = project / "README.md"
    readme.write_text(readme.read_text().replace("Paragraph 6.", "Paragraph 6, my words."))
    commit_all(project)
    result = update(project, catalog=v2)
    assert result.ok, result.conflicts
    text = routes.read_text()
    assert "return 1  # mine\n" in text and "return 80  # v2\n" in text
    assert "Paragraph 1, revised." in readme.read_text()
    assert "Paragraph 6, my words." in readme.read_text()
    merged = {c.path for c in result.changes if c.merged}
    assert merged == {"README.md", "demo_app/routes.py"}


def test_changes_on_the_same_lines_conflict_and_nothing_is_written(
    project: Path, v2: Catalog
) -> None:
    routes = project / "demo_app/routes.py"
    routes.write_text(routes.read_text().replace("return 8\n", "return 8000  # mine\n"))
    commit_all(project)
    before = snapshot(project)
    result = update(project, catalog=v2)
    assert not result.ok and result.exit_code == 1 and not result.written
    assert [c.path for c in result.conflicts] == ["demo_app/routes.py"]
    conflict = result.conflicts[0]
    assert conflict.kind == "content"
    assert len(conflict.hunks) == 1
    assert "return 8000  # mine" in conflict.hunks[0].ours
    assert "return 80  # v2" in conflict.hunks[0].theirs
    assert snapshot(project) == before


def test_markers_are_a_git_merge_to_resolve_and_commit(
    project: Path, v2: Catalog, tmp_path: Path
) -> None:
    routes = project / "demo_app/routes.py"
    routes.write_text(routes.read_text().replace("return 8\n", "return 8000  # mine\n"))
    commit_all(project)
    result = update(project, catalog=v2, conflicts="markers")
    assert result.written and not result.commit and result.exit_code == 1
    text = routes.read_text()
    assert "<<<<<<< yours\n    return 8000  # mine\n=======\n    return 80  # v2\n" in text
    assert ">>>>>>> scaffold-" in text
    assert "UU demo_app/routes.py" in git(project, "status", "--porcelain").splitlines()
    assert git(project, "rev-parse", "MERGE_HEAD") == result.pristine
    still = check(project, catalog=v2)
    assert still.exit_code == 1 and still.markers == ("demo_app/routes.py",)
    with pytest.raises(ProjectStateError, match="middle of a merge"):
        update(project, catalog=v2)
    # Resolve as with any git merge.
    routes.write_text(
        text.replace("<<<<<<< yours\n", "").split("=======\n")[0]
        + text.split(">>>>>>> ")[1].split("\n", 1)[1]
    )
    git(project, "add", "demo_app/routes.py")
    git(project, "commit", "-q", "--no-edit")
    assert git(project, "log", "-1", "--format=%s") == result.message
    assert check(project, catalog=v2).exit_code == 0
    # A fresh clone has no refs/scaffold/*: the next update finds its base through the
    # merge's second parent all the same.
    clone = tmp_path / "clone" / "demo-app"
    subprocess.run(["git", "clone", "-q", str(project), str(clone)], check=True)
    assert git(clone, "for-each-ref", "refs/scaffold") == ""
    v3 = build_version(tmp_path / "v3", 2)
    (v3.root / "_shared/alpha/kept.txt").write_text("changed in version 3\n")
    from toolkit import load_catalog

    v3 = load_catalog(v3.root)
    again = update(clone, catalog=v3)
    assert again.ok and again.base == "the pristine generation in the history"
    assert [c.path for c in again.changes if c.path != ".scaffold.json"] == ["kept.txt"]
    assert "return 8000  # mine" in (clone / "demo_app/routes.py").read_text()


def test_git_merge_abort_undoes_a_markers_update(project: Path, v2: Catalog) -> None:
    routes = project / "demo_app/routes.py"
    routes.write_text(routes.read_text().replace("return 8\n", "return 8000  # mine\n"))
    commit_all(project)
    before = snapshot(project)
    update(project, catalog=v2, conflicts="markers")
    git(project, "merge", "--abort")
    after = snapshot(project)
    # Git knows nothing of the git-ignored local files: the variables added to .env
    # and the new key stay (harmless; an update would add them again anyway).
    for state in (before, after):
        state["files"] = {
            p: v for p, v in state["files"].items() if p not in (".env", "secrets/key.pem")
        }
    assert after["files"] == before["files"] and after["index"] == before["index"]
    assert after["head"] == before["head"]


def test_a_file_the_template_removes_goes_unless_you_changed_it(project: Path, v2: Catalog) -> None:
    (project / "doomed.txt").write_text("I rely on this file\n")
    commit_all(project)
    result = update(project, catalog=v2)
    assert [(c.path, c.kind) for c in result.conflicts] == [("doomed.txt", "modify/delete")]
    assert (project / "doomed.txt").read_text() == "I rely on this file\n"
    marked = update(project, catalog=v2, conflicts="markers")
    assert marked.written
    content = (project / "doomed.txt").read_text()
    assert "<<<<<<< yours\nI rely on this file\n=======\n>>>>>>>" in content


def test_a_file_you_deleted_stays_deleted_unless_the_template_changed_it(
    project: Path, v2: Catalog
) -> None:
    git(project, "rm", "-q", "kept.txt", "README.md")
    commit_all(project)
    result = update(project, catalog=v2)
    # kept.txt: unchanged by the template, stays deleted; README.md: changed, a conflict.
    assert [(c.path, c.kind) for c in result.conflicts] == [("README.md", "delete/modify")]
    assert not (project / "kept.txt").exists() and not (project / "README.md").exists()


def test_a_renamed_file_carries_your_changes_to_its_new_name(project: Path, v2: Catalog) -> None:
    old = project / "demo_app/old_name.py"
    old.write_text(old.read_text().replace("helper line 5", "helper line 5, mine"))
    commit_all(project)
    result = update(project, catalog=v2)
    assert result.ok
    assert not old.exists()
    assert "helper line 5, mine" in (project / "demo_app/new_name.py").read_text()


def test_your_executable_bits_are_kept_and_the_templates_applied(
    project: Path, v2: Catalog
) -> None:
    (project / "kept.txt").chmod(0o755)
    commit_all(project)
    update(project, catalog=v2)
    modes = tracked(project)
    assert modes["kept.txt"] == "100755"  # yours
    assert modes["bin/tool"] == "100755" and modes["bin/run"] == "100644"  # the template's


def test_files_you_added_are_never_touched_and_one_in_the_way_is_a_conflict(
    project: Path, v2: Catalog
) -> None:
    (project / "mine.txt").write_text("committed\n")
    commit_all(project)
    (project / "scratch.txt").write_text("untracked\n")
    (project / "demo_app/new_module.py").write_text("untracked, where v2 adds a file\n")
    before = snapshot(project)
    result = update(project, catalog=v2)
    assert [(c.path, c.kind) for c in result.conflicts] == [("demo_app/new_module.py", "untracked")]
    assert snapshot(project) == before
    (project / "demo_app/new_module.py").unlink()
    assert update(project, catalog=v2).ok
    assert (project / "mine.txt").read_text() == "committed\n"
    assert (project / "scratch.txt").read_text() == "untracked\n"
    assert "?? scratch.txt" in git(project, "status", "--porcelain")


def test_env_gains_new_variables_and_keeps_every_value_and_secret(
    project: Path, v2: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.undo()  # a real key this time
    env = project / ".env"
    env.chmod(0o600)
    original = env.read_text() + "MINE=kept\n"
    env.write_text(original)
    result = update(project, catalog=v2, make_secret=lambda: "fresh-secret")
    text = env.read_text()
    assert text.startswith(original)  # nothing of yours changed: appended only
    assert "NEW_TOKEN=fresh-secret\n" in text and "NEW_SETTING=on\n" in text
    assert result.env_added == ("NEW_TOKEN", "NEW_SETTING")
    assert env.stat().st_mode & 0o777 == 0o600
    assert ".env" not in git(project, "ls-files").splitlines()
    assert "NEW_TOKEN=x" in (project / ".env.example").read_text()  # a template: merged
    # The key the new version generates is made, once, and never committed.
    assert result.generated == ("secrets/key.pem",)
    key = (project / "secrets/key.pem").read_bytes()
    assert key.startswith(b"-----BEGIN PRIVATE KEY-----")
    assert "secrets" not in git(project, "ls-files")


def test_without_env_nothing_is_made_and_the_summary_says_what_to_set(
    project: Path, v2: Catalog
) -> None:
    (project / ".env").unlink()
    result = update(project, catalog=v2)
    assert not (project / ".env").exists()
    assert result.env_to_set == ("NEW_TOKEN", "NEW_SETTING")
    assert any("NEW_TOKEN" in note for note in result.notes)


def test_an_existing_key_is_never_regenerated(project: Path, v2: Catalog) -> None:
    (project / "secrets").mkdir()
    (project / "secrets/key.pem").write_text("my key\n")
    result = update(project, catalog=v2)
    assert result.generated == ()
    assert (project / "secrets/key.pem").read_text() == "my key\n"


def test_diff_shows_the_update_and_writes_nothing(project: Path, v2: Catalog) -> None:
    (project / "demo_app/routes.py").write_text("# all mine\n")
    before = snapshot(project)  # uncommitted: diff shows it against the files as they are
    result = diff(project, catalog=v2)
    assert snapshot(project) == before
    assert "rename from demo_app/old_name.py" in result.patch
    assert "+added in version 2" in result.patch
    assert "deleted file mode 100644" in result.patch and "doomed.txt" in result.patch
    assert "old mode 100755\nnew mode 100644" in result.patch
    assert [c.path for c in result.conflicts] == ["demo_app/routes.py"]


def test_a_dirty_tree_is_refused_unless_allowed_then_the_update_is_staged(
    project: Path, v2: Catalog
) -> None:
    (project / "kept.txt").write_text("uncommitted\n")
    before = snapshot(project)
    with pytest.raises(ProjectStateError, match=r"uncommitted changes in 1 file\(s\) \(kept.txt\)"):
        update(project, catalog=v2)
    assert snapshot(project) == before
    head = git(project, "rev-parse", "HEAD")
    result = update(project, catalog=v2, allow_dirty=True)
    assert result.written and result.commit is None and result.ok
    assert git(project, "rev-parse", "HEAD") == head
    assert (project / "kept.txt").read_text() == "uncommitted\n"
    assert (project / "demo_app/new_module.py").exists()
    status = git(project, "status", "--porcelain").splitlines()
    assert " M kept.txt" in status and "A  demo_app/new_module.py" in status
    git(project, "commit", "-q", "--no-edit")
    assert git(project, "rev-parse", "HEAD^2") == result.pristine


@pytest.mark.parametrize("state", ["MERGE_HEAD", "rebase-merge", "CHERRY_PICK_HEAD"])
def test_a_repository_in_the_middle_of_an_operation_is_refused(
    project: Path, v2: Catalog, state: str
) -> None:
    marker = project / ".git" / state
    if state == "rebase-merge":
        marker.mkdir()
    else:
        marker.write_text(git(project, "rev-parse", "HEAD") + "\n")
    before = snapshot(project)
    with pytest.raises(ProjectStateError, match="in the middle of"):
        update(project, catalog=v2)
    assert snapshot(project) == before


def test_an_amended_first_commit_is_not_taken_for_the_base(project: Path, v2: Catalog) -> None:
    (project / "kept.txt").write_text("amended into the first commit\n")
    git(project, "commit", "-q", "-a", "--amend", "--no-edit")
    result = update(project, catalog=v2)
    # The first commit no longer matches the recorded hashes: the update falls back to
    # them, so the amended file counts as yours.
    assert result.base == "the hashes recorded in .scaffold.json"
    assert (project / "kept.txt").read_text() == "amended into the first commit\n"
    assert result.ok


def test_an_up_to_date_project_is_left_alone(project: Path, v1: Catalog) -> None:
    before = snapshot(project)
    result = update(project, catalog=v1)
    assert result.up_to_date and not result.written and result.exit_code == 0
    assert snapshot(project) == before


def test_the_update_commit_uses_your_identity(
    project: Path, v2: Catalog, isolated_home: Path
) -> None:
    (isolated_home / ".gitconfig").write_text("[user]\n\tname = Ada\n\temail = ada@example.com\n")
    update(project, catalog=v2)
    assert git(project, "log", "-1", "--format=%an <%ae>") == "Ada <ada@example.com>"


def test_a_project_inside_another_repository_is_updated_but_not_committed(
    v1: Catalog, v2: Catalog, tmp_path: Path
) -> None:
    outer = tmp_path / "mono"
    outer.mkdir()
    git(outer, "init", "-q")
    spec = v1.resolve("demo", "demo-app", framework="alpha")
    project = generate(spec, outer / "demo-app", catalog=v1).path
    result = update(project, catalog=v2)
    assert result.written and result.commit is None
    assert any("inside the repository" in note for note in result.notes)
    assert (project / "demo_app/new_module.py").exists()
    shutil.rmtree(outer)


def test_a_path_with_dots_names_the_project_itself(project: Path, v2: Catalog) -> None:
    result = update(project / "demo_app" / "..", catalog=v2)
    assert result.ok and result.path == project
    assert sorted(p.name for p in project.parent.iterdir()) == ["demo-app"]


def test_every_committed_file_of_the_real_templates_is_recorded_and_rendered_alike(
    catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What .scaffold.json records is what the first commit holds (.gitignore agrees),
    and a second render gives the same bytes: the pristine generation can be rebuilt."""
    from toolkit import render

    monkeypatch.setattr("toolkit._render.make_generated", lambda generator, path: b"key\n")
    repo = tmp_path / "ignore-check"
    repo.mkdir()
    git(repo, "init", "-q")
    for kind in catalog.kinds:
        for framework in catalog.kinds[kind].offered:
            spec = catalog.resolve(kind, "p", framework=framework)
            project = render(spec, catalog=catalog)
            local = {str(p) for p, f in project.files.items() if f.local}
            (repo / ".gitignore").write_bytes(project.files[PurePosixPath(".gitignore")].content)
            paths = "\n".join(str(p) for p in project.files) + "\n"
            ignored = subprocess.run(
                ["git", "check-ignore", "--no-index", "--stdin"],
                cwd=repo, input=paths, capture_output=True, text=True, check=False,
            ).stdout.split()  # fmt: skip
            assert set(ignored) == local, f"{kind}/{framework}"
            answers = json.loads(project.files[PurePosixPath(".scaffold.json")].content)
            committed = {str(p) for p in project.files} - local - {".scaffold.json"}
            assert set(answers["files"]) == committed
            if framework != next(iter(catalog.kinds[kind].offered)):
                continue  # rendered again once per kind
            again = render(spec, catalog=catalog, with_local=False)
            assert {p: f.content for p, f in again.files.items()} == {
                p: f.content for p, f in project.files.items() if not f.local
            }


def test_verify_reads_the_answers_of_both_formats(project: Path) -> None:
    from toolkit._verify import read_spec

    spec = read_spec(project)
    assert (spec.kind, spec.name, spec.framework) == ("demo", "demo-app", "alpha")
    old = {key: value for key, value in spec.to_dict().items()}
    (project / ".scaffold.json").write_text(json.dumps({"scaffold_version": "0.1.0", **old}))
    assert read_spec(project) == spec
