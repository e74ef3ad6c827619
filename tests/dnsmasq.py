"""A real DNS server for the tests of custom domains: Debian's dnsmasq on a loopback port, answering only the
records a test gives it (and NXDOMAIN for any other name in its zones), never asking anything upstream."""

import contextlib
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import dns.exception
import dns.resolver


@dataclass
class DnsRecords:
    addresses: dict[str, str] = field(default_factory=dict)  # name -> IPv4 address
    cnames: dict[str, str] = field(default_factory=dict)     # alias -> target (which must have an address here)
    texts: dict[str, str] = field(default_factory=dict)      # name -> TXT value
    zones: tuple[str, ...] = ("test", "localhost")           # answered locally: other names there are NXDOMAIN


def dnsmasq_binary() -> str:
    found = shutil.which("dnsmasq") or "/usr/sbin/dnsmasq"
    if not Path(found).exists():
        raise RuntimeError("dnsmasq is missing: apt-get install dnsmasq-base (deploy/test-packages.sh)")
    return found


def free_udp_and_tcp_port() -> int:
    for _attempt in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            udp.bind(("127.0.0.1", 0))
            port = udp.getsockname()[1]
            with socket.socket() as tcp:
                try:
                    tcp.bind(("127.0.0.1", port))
                except OSError:
                    continue
            return port
    raise RuntimeError("no free port for dnsmasq")


def dnsmasq_command(*, port: int, records: DnsRecords) -> list[str]:
    command = [dnsmasq_binary(), "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts",
               "--listen-address=127.0.0.1", "--bind-interfaces", f"--port={port}", "--pid-file=",
               "--log-queries", "--log-facility=-"]
    command += [f"--local=/{zone}/" for zone in records.zones]
    command += [f"--host-record={name},{address}" for name, address in records.addresses.items()]
    command += [f"--cname={alias},{target}" for alias, target in records.cnames.items()]
    command += [f"--txt-record={name},{value}" for name, value in records.texts.items()]
    return command


@contextlib.contextmanager
def dnsmasq_running(records: DnsRecords, *, port: int | None = None, log: Path | None = None) -> Iterator[int]:
    """dnsmasq answering `records` on 127.0.0.1:<port> (given, or a free one; yielded) until the block ends."""
    port = port or free_udp_and_tcp_port()
    output = log.open("ab") if log else subprocess.DEVNULL
    process = subprocess.Popen(dnsmasq_command(port=port, records=records), stdout=output,
                               stderr=subprocess.STDOUT, start_new_session=True)
    try:
        resolver = dns.resolver.Resolver(configure=False)
        resolver.nameservers, resolver.port, resolver.lifetime = ["127.0.0.1"], port, 1
        deadline = time.monotonic() + 10
        while True:  # until it answers (NXDOMAIN is an answer)
            if process.poll() is not None:
                raise RuntimeError(f"dnsmasq exited with {process.returncode}")
            try:
                resolver.resolve("ready.test", "A")
                break
            except dns.resolver.NXDOMAIN:
                break
            except dns.exception.DNSException:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if log:
            output.close()  # type: ignore[union-attr]
