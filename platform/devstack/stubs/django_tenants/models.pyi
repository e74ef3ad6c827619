from typing import Any

from django.db import models

class TenantMixin(models.Model):
    auto_drop_schema: bool
    auto_create_schema: bool
    clone_mode: str
    schema_name: str
    # Set per request by the routing middleware (the host the cooperative was reached on).
    domain_url: str | None
    domain_subfolder: str | None
    def create_schema(self, check_if_exists: bool = False, sync_schema: bool = True, verbosity: int = 1) -> bool: ...
    def get_primary_domain(self) -> Any: ...

class DomainMixin(models.Model):
    domain: str
    is_primary: bool
