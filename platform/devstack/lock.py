"""The hashed lock files every install reads: `python platform/devstack/lock.py compile | check`.

pyproject.toml keeps the version ranges; requirements.lock (what the platform runs on, for the
image and servers) and requirements-dev.lock (that plus tests, lint and the embedded servers, for
`make`) pin every package with the hashes of its files, so an install is the same on every machine
and a tampered file is refused. Each lock's first line records a digest of the ranges it was
compiled from: when pyproject.toml's dependencies change, `check` says to run `make lock` instead of
installing something the lock no longer describes.

Runs with the system Python (the standard library only): `make` checks before the venv exists.
"""

import hashlib
import json
import subprocess
import sys
import tomllib
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = REPO_ROOT / "pyproject.toml"
LOCKS = {
    REPO_ROOT / "requirements.lock": ["build"],
    REPO_ROOT / "requirements-dev.lock": ["build", "dev", "embedded"],
}
DIGEST_PREFIX = "# pyproject dependencies sha256: "


def dependencies_digest() -> str:
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    wanted = [project["requires-python"], project["dependencies"], project.get("optional-dependencies", {})]
    return hashlib.sha256(json.dumps(wanted, sort_keys=True).encode()).hexdigest()


def locks_compile(uv: str, *, upgrade: bool) -> None:
    digest = dependencies_digest()
    for lock, extras in LOCKS.items():
        # uv writes to the lock itself so that it keeps the pins already there unless the ranges, or
        # `make lock UPGRADE=1`, ask for newer ones.
        command = [uv, "pip", "compile", str(PYPROJECT), "--quiet", "--generate-hashes", "--universal",
                   "--python-version", "3.12", "--no-header", "--output-file", str(lock)]
        command += [argument for extra in extras for argument in ("--extra", extra)]
        if upgrade:
            command.append("--upgrade")
        subprocess.run(command, check=True, cwd=REPO_ROOT)
        compiled = lock.read_text()
        lock.write_text(f"{DIGEST_PREFIX}{digest}\n# Written by `make lock` from pyproject.toml; do not edit.\n"
                        + compiled)
        print(f"{lock.name}: {sum(1 for line in compiled.splitlines() if '==' in line)} packages")


def locks_check() -> int:
    digest = dependencies_digest()
    for lock in LOCKS:
        first = lock.read_text().splitlines()[0] if lock.exists() else ""
        if first != DIGEST_PREFIX + digest:
            print(f"{lock.name} does not match pyproject.toml's dependencies: run `make lock` and commit both.",
                  file=sys.stderr)
            return 1
    return 0


def main() -> int:
    command, *rest = sys.argv[1:] or ["check"]
    if command == "check":
        return locks_check()
    if command == "compile":
        locks_compile(rest[0], upgrade="--upgrade" in rest)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
