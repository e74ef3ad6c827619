from typing import Any

class MigrationExecutor:
    codename: str
    args: Any
    options: dict[str, Any]
    def __init__(self, args: Any, options: dict[str, Any]) -> None: ...
    def run_migrations(self, tenants: list[str] | None = None) -> None: ...

def get_executor(codename: str | None = None) -> type[MigrationExecutor]: ...
