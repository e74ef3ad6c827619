#!/usr/bin/env bash
# Back up the whole IOK database: the public schema and every cooperative's schema, in one
# consistent snapshot (pg_dump's custom format, compressed). Uploaded files (MEDIA_ROOT) and import
# files (IMPORT_ROOT) are plain folders: back them up with the file system (deploy/OPERATIONS.md).
#
#   deploy/backup.sh [target-folder]
#
# Reads DATABASE_URL (and BACKUP_DIR, BACKUP_KEEP_DAYS) from the environment; with systemd, run it
# as: sudo -u iok env $(grep -v '^#' /etc/iok/iok.env | xargs) /srv/iok/app/deploy/backup.sh
# Prints the path of the new dump. PG_BINDIR selects pg_dump's folder (it must not be older than
# the server).
set -euo pipefail
# Dumps hold every resident's data: readable by the backup's owner only, whatever the caller's umask.
umask 077

: "${DATABASE_URL:?DATABASE_URL must be set (see deploy/env.example)}"
# shellcheck source=deploy/pg-connection.sh
source "$(dirname "$0")/pg-connection.sh"
target_dir=${1:-${BACKUP_DIR:-/srv/iok/backups}}
keep_days=${BACKUP_KEEP_DAYS:-14}
bin=${PG_BINDIR:+$PG_BINDIR/}

mkdir -p "$target_dir"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
target="$target_dir/iok-$stamp.dump"
partial="$target.partial"
trap 'rm -f "$partial"' EXIT

# Owners and grants are left out: a restore recreates everything as the restoring role.
"${bin}pg_dump" --dbname="$db_url" --format=custom --compress=6 --no-owner --no-privileges \
    --file="$partial"
# A dump whose table of contents cannot be read is no backup.
"${bin}pg_restore" --list "$partial" > /dev/null
mv "$partial" "$target"
trap - EXIT

if [[ "$keep_days" =~ ^[0-9]+$ ]] && (( keep_days > 0 )); then
    # Never the dump just written, whatever the files' times say (a clock set wrong, a restored folder).
    find "$target_dir" -maxdepth 1 -name 'iok-*.dump' -type f ! -name "${target##*/}" -mtime "+$keep_days" -delete
fi
echo "$target"
