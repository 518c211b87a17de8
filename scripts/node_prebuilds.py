"""Build the native Node modules of the lock templates once, and serve them as prebuilds.

better-sqlite3 (the SQLite driver of the Node frameworks) installs through
prebuild-install: it first looks for ``<npm cache>/_prebuilds/<digest>-<name>-v<version>-
node-v<abi>-<platform>-<arch>.tar.gz``, then downloads one from the project's releases,
and only then compiles (about two minutes on two cores). Where no release download is
reachable, every ``npm ci`` would compile it again. This script compiles each such
package once (an ``npm install`` in a scratch folder) and stores the result where
prebuild-install looks first, so every later ``npm ci`` on this machine, by a matrix
cell, a helper or a user, unpacks it in a second. Run it again after a lock moves to a
new version; it does nothing for packages already cached::

    .venv/bin/python scripts/node_prebuilds.py
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"

#: Asks prebuild-install (as installed with the package) where its cache entry goes.
_CACHE_PATH = """
const pkg = require('./package.json');
const rc = require('prebuild-install/rc')(pkg);
const util = require('prebuild-install/util');
console.log(util.cachedPrebuild(util.getDownloadUrl({ ...rc, pkg })));
"""


def prebuilt_packages() -> set[tuple[str, str]]:
    """(name, version) of every locked package that installs through prebuild-install."""
    found = set()
    # A database layer's locks: its own, and one per choice of features that add npm
    # dependencies (a feature layer's package-lock.json.jinja only includes one of those).
    locks = [
        *TEMPLATES.rglob("package-lock.json.jinja"),
        *TEMPLATES.rglob("package-lock+*.json.partial"),
    ]
    for lock in locks:
        text = lock.read_text()
        if text.lstrip().startswith("{#") or "{% include" in text:
            continue
        packages = json.loads(text)["packages"]
        for path, entry in packages.items():
            if entry.get("hasInstallScript") and "prebuild-install" in entry.get(
                "dependencies", {}
            ):
                found.add((path.rsplit("node_modules/", 1)[-1], entry["version"]))
    return found


def node_headers_env() -> dict[str, str]:
    """The environment of npm, pointing node-gyp at this Node's own headers if it has them.

    node-gyp downloads the headers of the running Node from nodejs.org, which this
    machine does not reach; a Node installed with its headers (Debian's and
    NodeSource's packages: /usr/include/node) needs no download.
    """
    env = dict(os.environ)
    node = shutil.which("node")
    if node is not None and "npm_config_nodedir" not in env:
        prefix = Path(node).resolve().parent.parent
        if (prefix / "include" / "node" / "node_version.h").is_file():
            env["npm_config_nodedir"] = str(prefix)
    return env


def npm_install(folder: Path, attempts: int = 2) -> None:
    """Run ``npm install`` in ``folder``, once more after a failure (a registry hiccup).

    The last failure exits with npm's own output.
    """
    for attempt in range(1, attempts + 1):
        done = subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--no-save"],
            cwd=folder, env=node_headers_env(), capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode == 0:
            return
        if attempt == attempts:
            raise SystemExit(
                f"npm install failed (exit {done.returncode}) in {folder}:\n"
                f"{done.stdout}{done.stderr}"
            )


def cache(name: str, version: str) -> str:
    """Build ``name@version`` if its prebuild is not cached yet; return what happened."""
    with tempfile.TemporaryDirectory(prefix="scaffold-prebuild-") as scratch:
        folder = Path(scratch)
        manifest = {
            "name": "scaffold-prebuild",
            "version": "1.0.0",
            "private": True,
            "dependencies": {name: version},
            "allowScripts": {name: True},
        }
        (folder / "package.json").write_text(json.dumps(manifest))
        npm_install(folder)
        package = folder / "node_modules" / name
        target = Path(
            subprocess.run(
                ["node", "-e", _CACHE_PATH],
                cwd=package, check=True, capture_output=True, text=True,
            ).stdout.strip()
        )  # fmt: skip
        if target.is_file() and _loads(target):
            return f"{name}@{version}: cached at {target}"
        # The module itself, not the test fixtures some packages build beside it
        # (prebuild-install loads the last file it unpacks to check it).
        built = [
            binary
            for binary in sorted((package / "build" / "Release").glob("*.node"))
            if not binary.name.startswith("test")
        ]
        if not built:
            raise SystemExit(f"{name}@{version}: nothing built in {package}/build/Release")
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as archive:
            for binary in built:
                archive.add(binary, arcname=f"build/Release/{binary.name}")
        shutil.move(partial, target)
        return f"{name}@{version}: built and stored at {target}"


def _loads(archive: Path) -> bool:
    """Whether a cached prebuild holds only loadable modules (an older script packed tests)."""
    with tarfile.open(archive) as opened:
        return not any(Path(name).name.startswith("test") for name in opened.getnames())


def main() -> int:
    """Cache every prebuild the lock templates need."""
    if shutil.which("npm") is None or shutil.which("node") is None:
        print("node and npm are needed", file=sys.stderr)
        return 1
    # Test runs in parallel (pytest -n) call this at once: one builds, the others wait
    # and then find its result in the cache.
    lock_path = Path(tempfile.gettempdir()) / "scaffold-node-prebuilds.lock"
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for name, version in sorted(prebuilt_packages()):
            print(cache(name, version))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
