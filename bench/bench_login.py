"""Group `login`: successful sign-ins per second through gunicorn on this machine's cores, at the
configured Argon2id parameters (iok.hashers: m=19 MiB, t=2, p=1, OWASP's minimum), with the Argon2
build that deploy/argon2-build.sh installed (AVX2 where the CPU has it: `make` runs it).

wrk posts the login form (with a valid CSRF cookie and token) as fast as gunicorn's workers (one
more than the cores) take it; every answer must be the redirect of a successful sign-in. Then one sign-in is profiled
in-process, to show where its time goes (Argon2 itself against everything else).
"""

import cProfile
import os
import pstats
import time

import served
from django.contrib.auth.hashers import Argon2PasswordHasher, check_password, make_password

SECONDS = 10
ROUNDS = 2


def _argon2_ms() -> float:
    encoded = make_password("Lokator2026")
    started = time.perf_counter()
    for _ in range(20):
        check_password("Lokator2026", encoded)
    return (time.perf_counter() - started) / 20 * 1000


def _django_default_argon2_ms() -> float:
    """The baseline the login figures are ratios to: the CPU time of one check at Django's own Argon2
    parameters (m=100 MiB, t=2, p=8; its 8 lanes run on threads, so CPU time, not wall-clock time, is what
    the cores pay)."""
    hasher = Argon2PasswordHasher()
    encoded = hasher.encode("Lokator2026", hasher.salt())
    started = time.process_time()
    for _ in range(5):
        hasher.verify("Lokator2026", encoded)
    return (time.process_time() - started) / 5 * 1000


def run() -> None:
    served.collectstatic()
    cores = os.cpu_count() or 1
    server = served.gunicorn(WEB_CONCURRENCY=str(cores + 1))
    try:
        csrf, body = server.login_form(host="iok.smhutnik.localhost", username="lokator", password="Lokator2026")

        def load(seconds: float) -> served.WrkResult:
            return served.wrk(server, path="/logowanie/", hosts=["iok.smhutnik.localhost"], cookies=[csrf],
                              seconds=seconds, connections=cores * 3, body=body)

        load(2)  # warm every worker and its connection
        web_pids = served.server_pids(server)
        pids = web_pids + served.database_pids()
        cpu_before = served.cpu_seconds(pids)
        web_before = served.cpu_seconds(web_pids)
        requests = seconds = 0.0
        for _ in range(ROUNDS):
            # Anything but the redirect of a successful sign-in counts as an error in wrk.
            result = load(SECONDS)
            assert result.errors == 0, f"{result.errors} sign-ins failed"
            requests += result.requests
            seconds += result.seconds
        cpu_used = served.cpu_seconds(pids) - cpu_before
        web_used = served.cpu_seconds(web_pids) - web_before
    finally:
        server.stop()
    per_second = requests / seconds
    # What the same work needs of the machine: the CPU time gunicorn and PostgreSQL spent on it. On a
    # machine shared with other jobs the wall-clock rate is lower than what two cores of our own give.
    per_second_cpu = requests / cpu_used * cores
    argon2 = _argon2_ms()
    print(f"{per_second:.1f} sign-ins/s (wall clock) with {cores + 1} gunicorn workers; they and PostgreSQL used "
          f"{cpu_used / requests * 1000:.1f} ms of CPU per sign-in (gunicorn {web_used / requests * 1000:.1f} ms, "
          f"PostgreSQL {(cpu_used - web_used) / requests * 1000:.1f} ms), i.e. {per_second_cpu:.1f}/s on {cores} "
          f"dedicated cores; machine load average {os.getloadavg()[0]:.1f}")
    django_default = _django_default_argon2_ms()
    print(f"one Argon2id check (m=19 MiB, t=2, p=1) takes {argon2:.1f} ms here; at Django's default parameters "
          f"(m=100 MiB, t=2, p=8) {django_default:.1f} ms of CPU, which alone would cap sign-ins at "
          f"{cores * 1000 / django_default:.0f}/s on {cores} cores")
    _profile_one()
    print(f"BENCH logins_per_second {per_second:.1f}")
    print(f"BENCH logins_per_second_cpu {per_second_cpu:.1f}")


def _profile_one() -> None:
    """Where one sign-in's time goes, in-process (the Django test client, same middleware)."""
    from django.test import Client

    client = Client(HTTP_HOST="iok.smhutnik.localhost")
    client.post("/logowanie/", {"username": "lokator", "password": "Lokator2026"})
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(20):
        Client(HTTP_HOST="iok.smhutnik.localhost").post("/logowanie/",
                                                        {"username": "lokator", "password": "Lokator2026"})
    profiler.disable()
    stats = pstats.Stats(profiler)
    argon = max((row[3] for key, row in stats.stats.items() if "argon2" in key[0] and key[2] == "verify"), default=0)
    print(f"profile of one sign-in: {stats.total_tt / 20 * 1000:.1f} ms in all, "
          f"{argon / 20 * 1000:.1f} ms inside Argon2 (profiler overhead included)")
