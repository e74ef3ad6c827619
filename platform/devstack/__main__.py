"""python -m devstack run | test [pytest args] | test-calendar [pytest args] | bench [group]"""

import contextlib
import datetime
import shutil
import signal
import socket
import subprocess
import sys
import time
from zoneinfo import ZoneInfo

from .services import DEVDATA, REPO_ROOT, processes_stop, services
from .simulator import simulator_start, simulator_wait
from .web import web_start, web_wait

PYTHON = sys.executable
MAIL_SMTP_PORT = 1025
MAIL_PAGE_PORT = 8025
WEB_PORT = 8000
# The payment gateway simulator (python-getpaid's): Hutnik's PayU in the demo points here.
SIMULATOR_PORT = 8090
# django-environ's true values: `make run DEBUG=1` shows Django's debug pages, nothing else does.
DEBUG_ON = ("true", "on", "ok", "y", "yes", "1")
MANAGE = [PYTHON, str(REPO_ROOT / "manage.py")]

DEMO_TEXT = """
IOK platform is running (Ctrl-C stops everything).

  Platform site       http://localhost:8000            operator / operator-demo-2026
                                                       + code: oathtool --totp -b OPERATORDEMOTOTPSECRETKEYAAAAAAA
  S.M. „Hutnik”       http://iok.smhutnik.localhost:8000  (its own address; hutnik.localhost redirects there)
                                                       admin / hutnik-admin-2026
                                                       biuro / hutnik-biuro-2026
                                                       lokator / Lokator2026
                                                       nowy / Start2026 (first sign-in)
  „Zielony Zakątek”   http://zakatek.localhost:8000    admin / zakatek-admin-2026
                                                       + code: oathtool --totp -b ZAKATEKADMINDEMOTOTPSECRETAAAAAA
                                                       lokator / zakatek-lokator-2026
  Unknown host        http://nope.localhost:8000       (404 page)
  Payment gateway     http://127.0.0.1:8090/sim/       simulator: Hutnik's PayU (lokator: Rozrachunki → Zapłać online)
"""
MAIL_TEXT = """  Mail catcher        http://localhost:8025            every e-mail sent (also .devdata/mail/*.eml)
"""


def _check(command: list[str], environment: dict[str, str]) -> None:
    subprocess.run(command, env=environment, cwd=REPO_ROOT, check=True)


def _port_taken(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def run() -> int:
    started = time.monotonic()
    if _port_taken(SIMULATOR_PORT):
        print(f"Port {SIMULATOR_PORT} on 127.0.0.1 is taken (another `make run`, or another program): the payment "
              f"gateway simulator needs it. Stop what listens there (`ss -ltnp 'sport = :{SIMULATOR_PORT}'` "
              "shows it) and run again.", file=sys.stderr, flush=True)
        return 1
    with services(purpose="run") as environment, contextlib.ExitStack() as mail:
        environment.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
        # Links in the demo's e-mails lead to the dev server: plain HTTP on its port.
        environment.setdefault("SITE_SCHEME", "http")
        environment.setdefault("SITE_PORT", str(WEB_PORT))
        # Web, worker and beat reach the simulator here (the demo's Hutnik has its gateway there); the
        # simulator sends its notifications to the platform's own host (services.notify_url's default).
        environment["PAYMENTS_SIMULATOR_URL"] = f"http://127.0.0.1:{SIMULATOR_PORT}"
        site_port = f":{environment['SITE_PORT']}" if environment["SITE_PORT"] else ""
        notify_base = (environment.get("PAYMENTS_NOTIFY_BASE_URL")
                       or f"{environment['SITE_SCHEME']}://{environment.get('BASE_DOMAIN', 'localhost')}{site_port}")
        catcher = ""
        if not environment.get("EMAIL_URL"):
            # A loopback SMTP server keeps every e-mail (notices, resets) in .devdata/mail/, with a page to read them.
            from .mailpage import mail_page_start
            from .mailsink import MailSink

            sink = mail.enter_context(MailSink(port=MAIL_SMTP_PORT, folder=DEVDATA / "mail"))
            mail.callback(mail_page_start(folder=DEVDATA / "mail", port=MAIL_PAGE_PORT).shutdown)
            environment["EMAIL_URL"] = f"smtp://127.0.0.1:{sink.port}"
            catcher = MAIL_TEXT
        _check([*MANAGE, "migrate_schemas", "--shared", "--verbosity", "1"], environment)
        _check([*MANAGE, "migrate_schemas", "--tenant", "--verbosity", "1"], environment)
        _check([*MANAGE, "load_demo"], environment)
        celery = [PYTHON, "-m", "celery", "-A", "tasks"]
        commands = {
            "worker": [*celery, "worker", "--loglevel", "INFO", "--concurrency", "2"],
            "beat": [*celery, "beat", "--loglevel", "INFO", "--schedule", str(DEVDATA / "celerybeat-schedule")],
        }
        # Each child in its own process group: Ctrl-C reaches only this runner, which then stops
        # every group in order (gunicorn's workers and Celery's pool children included).
        processes = [web_start(environment=environment, port=WEB_PORT)]
        processes += [subprocess.Popen(command, env=environment, cwd=REPO_ROOT, start_new_session=True)
                      for command in commands.values()]
        # Paynow's notification address is set per merchant (in its panel; here, the simulator's):
        # the demo's cooperative with Paynow would be Hutnik.
        with (DEVDATA / "simulator.log").open("ab") as simulator_log:
            processes.append(simulator_start(
                port=SIMULATOR_PORT, paynow_notify_url=f"{notify_base.rstrip('/')}/platnosci/hutnik/powiadomienie/",
                stdout=simulator_log, stderr=subprocess.STDOUT))
        names = ["web", *commands, "simulator"]
        stopping = False

        def _on_signal(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, _on_signal)
        signal.signal(signal.SIGTERM, _on_signal)
        web_wait(port=WEB_PORT, host="iok.smhutnik.localhost")
        if not simulator_wait(port=SIMULATOR_PORT, process=processes[-1]):
            print(f"The payment gateway simulator did not start (see {DEVDATA / 'simulator.log'}).", flush=True)
        debug = " Debug pages are on (DEBUG=1)." if environment.get("DEBUG", "").lower() in DEBUG_ON else ""
        print(DEMO_TEXT + catcher + f"  (ready {time.monotonic() - started:.1f} s after start.{debug})\n", flush=True)
        try:
            while not stopping:
                for name, process in zip(names, processes, strict=True):
                    if process.poll() is not None:
                        print(f"{name} exited with code {process.returncode}; stopping the rest.", flush=True)
                        stopping = True
                time.sleep(0.5)
        finally:
            print("Stopping web, worker, beat and the payment gateway simulator…", flush=True)
            processes_stop(processes, timeout=15)
    return 0


def test(arguments: list[str], *, purpose: str = "test") -> int:
    with services(purpose=purpose) as environment:
        environment["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
        return subprocess.run([PYTHON, "-m", "pytest", *arguments], env=environment, cwd=REPO_ROOT).returncode


# Moments a calendar bug shows at (Europe/Warsaw): the first hour of a year (and of a month) while UTC
# is still in the old year, the last hour of February, a leap day, and both DST changes — 02:30 on
# 28 March 2027 does not exist (taken as 03:30 CEST) and on 31 October 2027 it happens twice (the first).
CALENDAR_DATES = ["2027-01-01 00:30", "2027-02-28 23:30", "2028-02-29 12:00", "2027-03-28 02:30", "2027-10-31 02:30"]
WARSAW = ZoneInfo("Europe/Warsaw")


def test_calendar(arguments: list[str]) -> int:
    """The whole suite once per date in CALENDAR_DATES, every process's clock (this runner, pytest, the
    embedded PostgreSQL and Redis, the end-to-end stack) moved there by libfaketime and ticking on."""
    faketime = shutil.which("faketime")
    if faketime is None:
        print("libfaketime is missing: apt-get install faketime (make system-packages does it)", file=sys.stderr)
        return 1
    results = []
    for moment in CALENDAR_DATES:
        local = datetime.datetime.fromisoformat(moment).replace(tzinfo=WARSAW)
        offset = round(local.timestamp() - time.time())
        print(f"\n=== make test at {moment} Europe/Warsaw ({local.astimezone(datetime.UTC):%Y-%m-%d %H:%M} UTC) ===",
              flush=True)
        started = time.monotonic()
        # -m: the thread-safe library. Monotonic clocks move by the same offset (keeping them real makes
        # libfaketime's clock_nanosleep fail with EINVAL, so Python's time.sleep does).
        returncode = subprocess.run([faketime, "-m", "-f", f"{offset:+d}", PYTHON, "-m", "devstack",
                                     "test-faked-clock", *arguments], cwd=REPO_ROOT).returncode
        results.append((moment, returncode, time.monotonic() - started))
    print("\n=== make test-calendar ===")
    for moment, returncode, seconds in results:
        print(f"  {moment} Europe/Warsaw  {'passed' if returncode == 0 else 'FAILED'}  ({seconds / 60:.1f} min)")
    return max(returncode for _, returncode, _ in results)


def bench(arguments: list[str]) -> int:
    with services(purpose="bench") as environment:
        environment["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
        return subprocess.run([PYTHON, str(REPO_ROOT / "bench" / "run.py"), *arguments], env=environment,
                              cwd=REPO_ROOT).returncode


def main() -> int:
    command, *arguments = sys.argv[1:] or ["run"]
    if command == "run":
        return run()
    if command == "test":
        return test(arguments)
    if command == "test-faked-clock":
        # Embedded servers of their own (.devdata/pg-calendar): rows written at a faked time never reach
        # the database `make test` reuses.
        return test(arguments, purpose="calendar")
    if command == "test-calendar":
        return test_calendar(arguments)
    if command == "bench":
        return bench(arguments)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
