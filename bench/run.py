"""The benchmarks whose last figures and targets the README lists. `make bench` runs every group,
`make bench ONLY=<group>` one.

Each group prints its figures as `BENCH <name> <value>` lines, each a ratio to a baseline measured
in the same run (or a count), so figures compare across machines.
"""

import os
import shutil
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
for path in (str(REPO_ROOT), str(REPO_ROOT / "platform"), str(REPO_ROOT / "bench")):
    if path not in sys.path:
        sys.path.insert(0, path)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.test.utils import override_settings  # noqa: E402

# The demo's passwords are hashed as in production (the test settings' fast hasher would make the
# sign-in figures meaningless; gunicorn serves settings.production, which knows only Argon2).
override_settings(PASSWORD_HASHERS=["iok.hashers.Argon2idOwaspHasher"]).enable()

import bench_documents  # noqa: E402
import bench_fanout  # noqa: E402
import bench_import  # noqa: E402
import bench_login  # noqa: E402
import bench_migrate  # noqa: E402
import bench_onboarding  # noqa: E402
import bench_pooler  # noqa: E402
import bench_routing  # noqa: E402
import bench_schemas  # noqa: E402
from django.core.management import call_command  # noqa: E402

GROUPS = {
    "import": bench_import.run,
    "onboarding": bench_onboarding.run,
    "routing": bench_routing.run,
    "fanout": bench_fanout.run,
    "login": bench_login.run,
    "schemas": bench_schemas.run,
    "documents": bench_documents.run,
    "migrate": bench_migrate.run,
    "pooler": bench_pooler.run,
}


def main(argv: list[str]) -> int:
    selected = argv or list(GROUPS)
    unknown = [name for name in selected if name not in GROUPS]
    if unknown:
        print(f"Unknown benchmark group(s): {', '.join(unknown)}. Groups: {', '.join(GROUPS)}", file=sys.stderr)
        return 2
    if shutil.which("wrk") is None:
        print("wrk is missing: make system-packages (or apt-get install wrk) installs it.", file=sys.stderr)
        return 1
    call_command("migrate_schemas", interactive=False, verbosity=0)
    call_command("load_demo", verbosity=0)
    for name in selected:
        print(f"== {name}", flush=True)
        GROUPS[name]()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
