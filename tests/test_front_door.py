"""`make` installs exactly what the locks pin, and the system packages step says what it needs."""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from devstack.__main__ import CALENDAR_DATES, WARSAW
from devstack.lock import LOCKS, dependencies_digest, locks_check

REPO_ROOT = Path(__file__).resolve().parents[1]


def test_the_locks_were_compiled_from_the_current_dependency_ranges():
    assert locks_check() == 0
    for lock in LOCKS:
        assert lock.read_text().splitlines()[0] == f"# pyproject dependencies sha256: {dependencies_digest()}"


def test_every_locked_package_is_pinned_exactly_with_hashes():
    for lock in LOCKS:
        entries = re.split(r"\n(?=\S)", lock.read_text().split("\n", 2)[2].strip())
        requirements = [entry for entry in entries if not entry.startswith("#")]
        assert requirements
        for entry in requirements:
            assert re.match(r"^[a-z0-9._-]+==[^ ;]+", entry), entry
            assert "--hash=sha256:" in entry, entry


def test_the_runtime_lock_is_the_development_lock_without_the_tools():
    runtime, development = (_pins(lock) for lock in LOCKS)
    assert runtime.items() <= development.items()
    assert {"pytest", "ruff", "pgserver", "django"} <= development.keys()
    assert {"pytest", "ruff", "pgserver"}.isdisjoint(runtime)


def _pins(lock: Path) -> dict[str, str]:
    return dict(re.findall(r"^([a-z0-9._-]+)==([^ ;\\]+)", lock.read_text(), flags=re.MULTILINE))


def test_without_root_missing_packages_stop_with_the_one_command_to_run():
    # A PATH with only what the script itself runs: every tool found by name counts as missing.
    # (Not pytest's tmp_path: the unprivileged user could not enter root's private folder.)
    with tempfile.TemporaryDirectory() as folder:
        tools = Path(folder)
        tools.chmod(0o755)
        for tool in ("id", "sh"):
            (tools / tool).symlink_to(shutil.which(tool))
        finished = _run_unprivileged(tools, REPO_ROOT / "deploy" / "test-packages.sh")

    # nginx, PgBouncer and dnsmasq are looked for at their absolute paths, so only this machine decides those.
    def by_path(path: str, package: str) -> list[str]:
        return [] if os.access(path, os.X_OK) else [package]

    wanted = ["chromium", *by_path("/usr/sbin/nginx", "nginx-light"), "openssl", "wrk", "faketime",
              *by_path("/usr/sbin/pgbouncer", "pgbouncer"), "default-jre-headless", "npm", "caddy", "pebble",
              *by_path("/usr/sbin/dnsmasq", "dnsmasq-base"), "libnss3-tools"]
    assert finished.returncode == 1
    assert finished.stdout == ""
    assert finished.stderr == ("Debian packages needed for the tests are missing; install them with: "
                               f"sudo apt-get install --yes --no-install-recommends {' '.join(wanted)}\n")


def _run_unprivileged(tools: Path, script: Path) -> subprocess.CompletedProcess:
    return subprocess.run([shutil.which("setpriv"), "--reuid=65534", "--regid=65534", "--clear-groups",
                           str(tools / "sh"), str(script)], env={"PATH": str(tools)}, capture_output=True, text=True)


def test_the_calendar_dates_include_both_dst_changes_and_a_leap_day():
    import datetime

    moments = [datetime.datetime.fromisoformat(moment).replace(tzinfo=WARSAW) for moment in CALENDAR_DATES]
    in_utc = [f"{moment.astimezone(datetime.UTC):%Y-%m-%d %H:%M}" for moment in moments]
    # New Year's first hour is still the old year in UTC; 02:30 on the spring change does not exist
    # (03:30 CEST), on the autumn change it happens twice (the first, CEST).
    assert in_utc == ["2026-12-31 23:30", "2027-02-28 22:30", "2028-02-29 11:00", "2027-03-28 01:30",
                      "2027-10-31 00:30"]


def test_the_development_runner_is_importable_by_the_system_python():
    # `make` checks the lock with the machine's Python before the virtual environment exists.
    finished = subprocess.run([sys.executable, "-I", str(REPO_ROOT / "platform" / "devstack" / "lock.py"), "check"],
                              capture_output=True, text=True)
    assert (finished.returncode, finished.stderr) == (0, "")
