#!/usr/bin/env bash
# Restore a dump made by deploy/backup.sh into an EMPTY database (it refuses one with tables).
#
#   createdb iok_restored            # or: DROP DATABASE + CREATE DATABASE while everything is stopped
#   DATABASE_URL=postgres://iok@127.0.0.1/iok_restored deploy/restore.sh /srv/iok/backups/iok-....dump
#
# Then point DATABASE_URL at it, start web, worker and beat, and clear the routing cache
# (deploy/OPERATIONS.md, "Restore"). PG_BINDIR selects pg_restore's folder. RESTORE_JOBS (default 2)
# restores that many tables at a time.
set -euo pipefail

: "${DATABASE_URL:?DATABASE_URL must be set to the empty database to restore into}"
# shellcheck source=deploy/pg-connection.sh
source "$(dirname "$0")/pg-connection.sh"
dump=${1:?usage: restore.sh <dump file>}
[[ -r "$dump" ]] || { echo "restore.sh: cannot read $dump" >&2; exit 2; }
bin=${PG_BINDIR:+$PG_BINDIR/}
jobs=${RESTORE_JOBS:-2}

existing=$("${bin}psql" --dbname="$db_url" --no-psqlrc --tuples-only --no-align --command \
    "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%'
       AND c.relkind IN ('r', 'p', 'v', 'm', 'S')")
if [[ "$existing" != "0" ]]; then
    echo "restore.sh: the target database is not empty ($existing relations); restore only into an empty one" >&2
    exit 3
fi

"${bin}pg_restore" --dbname="$db_url" --no-owner --no-privileges --exit-on-error \
    --jobs="$jobs" "$dump"
"${bin}psql" --dbname="$db_url" --no-psqlrc --quiet --command "ANALYZE"
echo "restored $dump"
