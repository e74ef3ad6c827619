#!/bin/sh
# Argon2 compiled for the CPU it runs on.
#
# argon2-cffi's binary wheel carries portable x86-64 code (SSE2). On a CPU with AVX2 the same C
# library built from its source with AVX2 computes the very same hash in well under half the time
# (one check at m=19 MiB, t=2, p=1 on this project's 2-core machine: 18-20 ms from the wheel,
# 7-9 ms built here; bench group `login`). Parameters and stored hashes are untouched: only the
# server's cost per sign-in falls, an attacker's does not. tests/test_password_policy.py checks
# a known answer, whichever build is installed.
#
# usage: deploy/argon2-build.sh PYTHON [LOCK]   (the virtual environment's python; the hashed lock
#                                               it was installed from: the source archive and the build
#                                               tools then come from the lock too, verified)
#   ARGON2_BUILD=auto      AVX2 when this machine's CPU has it, else the wheel (default)
#   ARGON2_BUILD=avx2      AVX2 whatever this CPU is (an image built here to run on AVX2 servers)
#   ARGON2_BUILD=portable  the wheel (an image that must also run on CPUs without AVX2)
# A build that fails (no C compiler or Python headers) leaves the wheel in place and says so.
set -eu

python=${1:?usage: deploy/argon2-build.sh PYTHON [LOCK]}
lock=${2:-}
mode=${ARGON2_BUILD:-auto}
if [ "$mode" = auto ]; then
    mode=portable
    if [ "$(uname -m)" = x86_64 ] && grep -qw avx2 /proc/cpuinfo 2>/dev/null; then
        mode=avx2
    fi
fi

version=$("$python" -c 'from importlib.metadata import version; print(version("argon2-cffi-bindings"))')
# From a lock: its argon2-cffi-bindings entry with the hashes of the wheel and the source archive, built
# with the build tools already installed from the same lock (nothing fetched that the lock does not pin).
requirement="argon2-cffi-bindings==$version"
from_lock=""
if [ -n "$lock" ]; then
    pinned=$(mktemp)
    trap 'rm -f "$pinned"' EXIT
    awk '/^argon2-cffi-bindings==/ {found=1; print; next} found && /^ / {print; next} {found=0}' "$lock" > "$pinned"
    requirement="-r $pinned"
    from_lock="--require-hashes --no-build-isolation"
fi
case $mode in
    avx2)
        # ARGON2_CFFI_USE_SSE2=1 selects the library's vectorised code; -mavx2 lets it use AVX2.
        # shellcheck disable=SC2086 # $from_lock and $requirement are several words on purpose
        if CFLAGS="-O3 -mavx2" ARGON2_CFFI_USE_SSE2=1 "$python" -m pip install --quiet --force-reinstall \
                --no-deps --no-binary argon2-cffi-bindings $from_lock $requirement; then
            echo "argon2: argon2-cffi-bindings $version built here for AVX2"
        else
            echo "argon2: could not build argon2-cffi-bindings $version (a C compiler and Python's headers" \
                 "are needed); the portable wheel stays" >&2
        fi
        ;;
    portable)
        # shellcheck disable=SC2086
        "$python" -m pip install --quiet --force-reinstall --no-deps --only-binary argon2-cffi-bindings \
            $from_lock $requirement
        echo "argon2: argon2-cffi-bindings $version, the portable wheel"
        ;;
    *)
        echo "ARGON2_BUILD must be auto, avx2 or portable, not '$mode'" >&2
        exit 2
        ;;
esac
