"""Migration operations of our own (imported by migration files, so kept free of anything heavy)."""

from django.db.migrations import operations


class SchemaLocalSQL(operations.RunSQL):
    """RunSQL that the fast path may apply: fixed text (no parameters) that reads and writes only tables of
    the schema it runs in, named unqualified, so that one script serves every schema. A migration uses it
    for the data step of a schema change (moving a value to its new column) where RunPython would send
    every schema to the stock executor, a second or more each."""

    def __init__(self, sql: str, reverse_sql: str, **kwargs) -> None:
        if not isinstance(sql, str) or not isinstance(reverse_sql, str):
            raise TypeError("SchemaLocalSQL takes SQL text without parameters, the same for every schema")
        super().__init__(sql, reverse_sql, **kwargs)
