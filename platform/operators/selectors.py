from django.db.models import QuerySet

from cooperatives.models import Cooperative


def cooperatives_list() -> QuerySet[Cooperative]:
    return Cooperative.objects.exclude(schema_name="public").prefetch_related("domains").order_by("name")
