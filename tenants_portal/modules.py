"""Switchable modules. Each module's URLs live under its own URL namespace (app_name); a module the
cooperative has switched off answers 404 on every one of them, and disappears from the navigation."""

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django_tenants.utils import get_public_schema_name

from iok.db import connection

# URL namespace -> InstanceSettings flag
MODULES = {
    "meters": "module_meters",
    "failures": "module_failures",
    "announcements": "module_announcements",
    "documents": "module_documents",
    "online_payments": "module_online_payments",
    "fee_notices": "module_fee_notices",
    "matters": "module_matters",
}


def modules_enabled() -> dict[str, bool]:
    if connection.schema_name == get_public_schema_name():
        return {}
    from tenants_portal.configuration.selectors import instance_settings_get

    settings = instance_settings_get()
    return {name: getattr(settings, flag) for name, flag in MODULES.items()}


def module_enabled(name: str) -> bool:
    return modules_enabled().get(name, False)


class ModuleGateMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        match = request.resolver_match
        if match is None:
            return None
        for namespace in match.namespaces:
            if namespace in MODULES and not module_enabled(namespace):
                raise Http404
        return None


def modules_context(request: HttpRequest) -> dict:
    if not getattr(request, "cooperative", None):
        return {"modules": {}}
    return {"modules": modules_enabled()}
