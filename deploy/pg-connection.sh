# Sourced by backup.sh and restore.sh. Splits DATABASE_URL's password off into PGPASSWORD, which libpq
# reads from the environment, so that no PostgreSQL tool gets it on its command line: every local user
# can read a process's arguments (ps, /proc/<pid>/cmdline), not its environment.
#
# Sets db_url: DATABASE_URL without the password.
db_url=$DATABASE_URL
if [[ "$DATABASE_URL" =~ ^(postgres(ql)?://)([^:@/]*):([^@/]*)@(.*)$ ]]; then
    db_url="${BASH_REMATCH[1]}${BASH_REMATCH[3]}@${BASH_REMATCH[5]}"
    encoded=${BASH_REMATCH[4]}
    # The URL's password is percent-encoded; PGPASSWORD takes it as it is.
    printf -v PGPASSWORD '%b' "${encoded//%/\\x}"
    export PGPASSWORD
    unset encoded
fi
