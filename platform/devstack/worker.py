"""A real Celery worker in a child process, for the notice tests and the fan-out benchmark."""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .services import REPO_ROOT


@contextmanager
def celery_worker(*, environment: dict[str, str], log: Path, queue: str, concurrency: int = 2,
                  ) -> Iterator[subprocess.Popen]:
    """Start a prefork worker on `queue` and wait until it is ready; SIGKILL it and its pool at the end."""
    command = [sys.executable, "-m", "celery", "-A", "tasks", "worker", "--pool", "prefork",
               "--concurrency", str(concurrency), "--queues", queue, "--without-gossip", "--without-mingle",
               "--without-heartbeat", "--loglevel", "INFO", "--hostname", f"iok-{uuid.uuid4().hex[:8]}@%h"]
    environment = {**environment,
                   "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), str(REPO_ROOT / "platform")])}
    log.touch()
    with log.open("ab") as output:
        worker = subprocess.Popen(command, env=environment, cwd=REPO_ROOT, stdout=output,
                                  stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while b"ready." not in log.read_bytes():
            if worker.poll() is not None:
                raise RuntimeError(f"the Celery worker exited:\n{log.read_text()[-3000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError("the Celery worker did not start within a minute")
            time.sleep(0.1)
        yield worker
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
