from django.db.models import QuerySet

from tenants_portal.registry.models import Office


def offices_list() -> QuerySet[Office]:
    return Office.objects.order_by("name")
