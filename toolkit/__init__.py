"""scaffold: generate ready-to-run backend repositories, and prove that they work.

The library API, of which the ``scaffold`` command is a thin layer::

    from toolkit import generate, load_catalog, verify

    catalog = load_catalog()
    spec = catalog.resolve("task-api", "my-tasks", framework="flask")
    result = generate(spec, "out/my-tasks")
    print(result.commit, len(result.files))

    report = verify(result.path)
    assert report.ok

Layer packs add to the catalog (``load_catalog(packs=[folder])``, or installed with a
``scaffold.templates`` entry point; ``verify_matrix()`` proves their combinations), and
``generate_from_template()`` makes a project from a cookiecutter template; ``check``,
``diff`` and ``update`` work on both.
"""

from typing import TYPE_CHECKING, Any

from ._version import __version__
from .errors import (
    DestinationError,
    GitError,
    HookError,
    InvalidDatabaseUrlError,
    InvalidNameError,
    JournalError,
    NotAProjectError,
    NotOfferedError,
    PackError,
    ProjectStateError,
    ScaffoldError,
    TemplateError,
    TemplateSourceError,
    UnknownChoiceError,
    UpdateError,
    UsageError,
    VerificationError,
)

if TYPE_CHECKING:
    from ._answers import ANSWERS_FILE
    from ._catalog import (
        Catalog,
        Combination,
        Database,
        Endpoint,
        Feature,
        Framework,
        Kind,
        Layer,
        Resource,
        Source,
        load_catalog,
    )
    from ._cookiecutter import TemplateResult, generate_from_template
    from ._generate import GenerationResult, generate
    from ._lifecycle import (
        CheckResult,
        FileChange,
        UpdateResult,
        add_feature,
        check,
        diff,
        remove_feature,
        update,
    )
    from ._matrix import CellResult, MatrixReport, verify_matrix
    from ._merge import Conflict, Hunk
    from ._render import RenderedFile, RenderedProject, render
    from ._spec import ProjectSpec
    from ._verify import StepResult, VerifyReport, run_contract, verify

# Public names and the private module that defines each. They are imported on first
# use (PEP 562), so that `scaffold --help` does not pay for rendering or verifying.
_LAZY = {
    "Catalog": "_catalog",
    "Combination": "_catalog",
    "Database": "_catalog",
    "Endpoint": "_catalog",
    "Feature": "_catalog",
    "Framework": "_catalog",
    "Kind": "_catalog",
    "Layer": "_catalog",
    "Resource": "_catalog",
    "Source": "_catalog",
    "load_catalog": "_catalog",
    "TemplateResult": "_cookiecutter",
    "generate_from_template": "_cookiecutter",
    "CellResult": "_matrix",
    "MatrixReport": "_matrix",
    "verify_matrix": "_matrix",
    "GenerationResult": "_generate",
    "generate": "_generate",
    "CheckResult": "_lifecycle",
    "FileChange": "_lifecycle",
    "UpdateResult": "_lifecycle",
    "add_feature": "_lifecycle",
    "check": "_lifecycle",
    "diff": "_lifecycle",
    "remove_feature": "_lifecycle",
    "update": "_lifecycle",
    "Conflict": "_merge",
    "Hunk": "_merge",
    "ANSWERS_FILE": "_answers",
    "RenderedFile": "_render",
    "RenderedProject": "_render",
    "render": "_render",
    "ProjectSpec": "_spec",
    "StepResult": "_verify",
    "VerifyReport": "_verify",
    "run_contract": "_verify",
    "verify": "_verify",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'toolkit' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "ANSWERS_FILE",
    "Catalog",
    "CellResult",
    "CheckResult",
    "Combination",
    "Conflict",
    "Database",
    "DestinationError",
    "Endpoint",
    "Feature",
    "FileChange",
    "Framework",
    "GenerationResult",
    "GitError",
    "HookError",
    "Hunk",
    "InvalidDatabaseUrlError",
    "InvalidNameError",
    "JournalError",
    "Kind",
    "Layer",
    "MatrixReport",
    "NotAProjectError",
    "NotOfferedError",
    "PackError",
    "ProjectSpec",
    "ProjectStateError",
    "RenderedFile",
    "RenderedProject",
    "Resource",
    "ScaffoldError",
    "Source",
    "StepResult",
    "TemplateError",
    "TemplateResult",
    "TemplateSourceError",
    "UnknownChoiceError",
    "UpdateError",
    "UpdateResult",
    "UsageError",
    "VerificationError",
    "VerifyReport",
    "__version__",
    "add_feature",
    "check",
    "diff",
    "generate",
    "generate_from_template",
    "load_catalog",
    "remove_feature",
    "render",
    "run_contract",
    "update",
    "verify",
    "verify_matrix",
]
