"""The platform's database backend: django-tenants' (the search path follows the cooperative), made
correct behind a transaction-mode pooler (PgBouncer) with DB_BEHIND_TRANSACTION_POOLER.

In transaction mode PgBouncer lends a server connection for one transaction only: the next transaction
of the same client — even the next statement in autocommit — may run on another server connection,
which the previous client left with its own session settings. django-tenants sets the path with a
session-level `SET search_path` when a cursor is opened, as a statement of its own: through a
transaction pooler that SET and the query after it can land on different server connections (the query
then runs in whichever cooperative's schema that connection was last set to), and the SET stays behind
on its server connection for the next client.

So behind a pooler every statement carries its own path, in the same message: the cursor sends
`SET LOCAL search_path = "<schema>", "public"; <statement>` (Django's cursors bind parameters client-side
and send this with the simple query protocol, which runs both in one transaction — the explicit one
the statement is part of, or the implicit one PostgreSQL opens for a message in autocommit). SET LOCAL
ends with that transaction, so no server connection ever keeps a cooperative's path: a client that
somehow sent a statement without it would find the default path (public), never another cooperative.
No extra round trip, the right schema in every transaction, nothing left behind.

The rest of the pooler's rules are kept by settings (config.settings.base): no server-side prepared
statements (prepare_threshold None), no server-side cursors (DISABLE_SERVER_SIDE_CURSORS), and the
code uses only transaction-scoped state (pg_advisory_xact_lock, temporary tables ON COMMIT DROP,
SET LOCAL). migrate_schemas, which sets session state of its own, runs on a direct connection.
"""

from django.conf import settings
from django.db.backends.postgresql.base import CursorDebugWrapper
from django.db.backends.utils import CursorWrapper
from django_tenants.postgresql_backend.base import DatabaseWrapper as TenantDatabaseWrapper
from django_tenants.utils import quote_schema_name


class _PathInEveryStatement:
    """Cursor wrapper methods that send the search path with each statement."""

    db: "DatabaseWrapper"
    cursor: object

    def _execute(self, sql, params, *ignored_wrapper_args):
        prefix = self.db.search_path_statement()
        if not isinstance(sql, str):
            sql = sql.as_string(self.cursor)
        if params is not None:
            prefix = prefix.replace("%", "%%")
        result = super()._execute(prefix + sql, params, *ignored_wrapper_args)
        # The SET's result comes first: the statement's own (rows, rowcount) is the next one.
        self.cursor.nextset()
        return result

    def _executemany(self, sql, param_list, *ignored_wrapper_args):
        # One message per parameter set (psycopg's executemany would pipeline them through the extended
        # protocol, which takes one statement per message).
        for params in param_list:
            self._execute(sql, params)

    def copy(self, statement):
        # COPY takes a message of its own: the path goes first, in the same transaction (a COPY runs in
        # a transaction.atomic block, as the imports' COPY into their temporary tables does).
        self.cursor.execute(self.db.search_path_statement())
        return self.cursor.copy(statement)


class PoolerCursorWrapper(_PathInEveryStatement, CursorWrapper):
    pass


class PoolerCursorDebugWrapper(_PathInEveryStatement, CursorDebugWrapper):
    pass


class DatabaseWrapper(TenantDatabaseWrapper):
    def __init__(self, *args, **kwargs):
        self.behind_transaction_pooler = getattr(settings, "DB_BEHIND_TRANSACTION_POOLER", False)
        self._search_path_statements: dict[tuple, str] = {}
        super().__init__(*args, **kwargs)

    def search_path_statement(self) -> str:
        key = (self.schema_name, self.include_public_schema)
        statement = self._search_path_statements.get(key)
        if statement is None:
            paths = self._get_cursor_search_paths()  # validates every name
            statement = f"SET LOCAL search_path = {', '.join(quote_schema_name(p) for p in paths)}; "
            self._search_path_statements[key] = statement
        return statement

    def _handle_search_path(self, cursor=None):
        if not self.behind_transaction_pooler:
            super()._handle_search_path(cursor)

    def make_cursor(self, cursor):
        if self.behind_transaction_pooler:
            return PoolerCursorWrapper(cursor, self)
        return super().make_cursor(cursor)

    def make_debug_cursor(self, cursor):
        if self.behind_transaction_pooler:
            return PoolerCursorDebugWrapper(cursor, self)
        return super().make_debug_cursor(cursor)
