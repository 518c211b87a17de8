"""scaffold: generate ready-to-run backend repositories, and prove that they work.

The library API, of which the ``scaffold`` command is a thin layer::

    from toolkit import generate, load_catalog

    catalog = load_catalog()
    spec = catalog.resolve("task-api", "my-tasks", framework="flask")
    result = generate(spec, "out/my-tasks")
    print(result.commit, len(result.files))

    report = verify(result.path)
    assert report.ok
"""

from ._catalog import (
    Catalog,
    Combination,
    Database,
    Endpoint,
    Feature,
    Framework,
    Kind,
    Resource,
    load_catalog,
)
from ._generate import GenerationResult, generate
from ._render import ANSWERS_FILE, RenderedFile, RenderedProject, render
from ._spec import ProjectSpec
from ._verify import StepResult, VerifyReport, run_contract, verify
from ._version import __version__
from .errors import (
    DestinationError,
    GitError,
    InvalidNameError,
    NotOfferedError,
    ScaffoldError,
    TemplateError,
    UnknownChoiceError,
    UsageError,
    VerificationError,
)

__all__ = [
    "ANSWERS_FILE",
    "Catalog",
    "Combination",
    "Database",
    "DestinationError",
    "Endpoint",
    "Feature",
    "Framework",
    "GenerationResult",
    "GitError",
    "InvalidNameError",
    "Kind",
    "NotOfferedError",
    "ProjectSpec",
    "RenderedFile",
    "RenderedProject",
    "Resource",
    "ScaffoldError",
    "StepResult",
    "TemplateError",
    "UnknownChoiceError",
    "UsageError",
    "VerificationError",
    "VerifyReport",
    "__version__",
    "generate",
    "load_catalog",
    "render",
    "run_contract",
    "verify",
]
