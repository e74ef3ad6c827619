#!/bin/sh
# The Debian packages that `make test` and `make bench` need, installed before they start.
#
# The end-to-end tests serve the platform through nginx (self-signed certificate from openssl) to
# Debian's Chromium, check pages with axe-core (npm) and the Nu HTML checker (Java); PgBouncer sits
# in front of PostgreSQL; `make test-calendar` runs the suite under libfaketime; the benchmarks load
# the platform with wrk; the custom-domains test runs Caddy against Pebble (the ACME test server),
# with dnsmasq answering the DNS records and certutil putting Pebble's root into Chromium's trust
# store. When one is missing and this runs as root with apt-get, it installs them, waiting for
# apt's lock when another install holds it. Otherwise it stops with the one command that would
# install them: a missing tool is never a traceback or a silently skipped test.
#
# usage: deploy/test-packages.sh
set -eu

# binary (a name on PATH or an absolute path) and the Debian package that provides it
wanted="chromium:chromium
/usr/sbin/nginx:nginx-light
openssl:openssl
wrk:wrk
faketime:faketime
/usr/sbin/pgbouncer:pgbouncer
java:default-jre-headless
npm:npm
caddy:caddy
pebble:pebble
/usr/sbin/dnsmasq:dnsmasq-base
certutil:libnss3-tools"

missing=""
for pair in $wanted; do
    binary=${pair%%:*}
    package=${pair#*:}
    case $binary in
        /*) [ -x "$binary" ] && continue ;;
        *) command -v "$binary" >/dev/null 2>&1 && continue ;;
    esac
    missing="$missing $package"
done
[ -z "$missing" ] && exit 0

command="apt-get install --yes --no-install-recommends$missing"
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "Debian packages needed for the tests are missing; install them with: sudo $command" >&2
    exit 1
fi

echo "Installing Debian packages for the tests:$missing"
export DEBIAN_FRONTEND=noninteractive

# Another apt or dpkg (unattended upgrades, a second checkout) may hold one of apt's locks: wait for it,
# up to 10 minutes. DPkg::Lock::Timeout covers dpkg's lock only, not the package lists' or the archives'.
apt_patiently() {
    waited=0
    while ! output=$(apt-get -o DPkg::Lock::Timeout=600 "$@" 2>&1); do
        case $output in
            *"Could not get lock"*|*"Unable to lock"*)
                [ "$waited" -ge 600 ] && { echo "$output" >&2; return 1; }
                sleep 5
                waited=$((waited + 5)) ;;
            *) echo "$output" >&2; return 1 ;;
        esac
    done
}
apt_patiently update -qq
# shellcheck disable=SC2086 # one word per package
apt_patiently install --yes -qq --no-install-recommends $missing
echo "Installed:$missing"
