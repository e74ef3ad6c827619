from django.conf import settings
from django.http import HttpRequest


def platform(request: HttpRequest) -> dict:
    port = request.META.get("SERVER_PORT", "")
    default_port = "443" if request.is_secure() else "80"
    suffix = f":{port}" if port and port != default_port else ""
    return {
        "cooperative": getattr(request, "cooperative", None),
        "base_domain": settings.BASE_DOMAIN,
        "platform_url": f"{request.scheme}://{settings.BASE_DOMAIN}{suffix}/",
    }
