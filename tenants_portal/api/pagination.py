"""Every list of the API comes in pages of one shape: {"count", "next", "previous", "results"}."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination


class PageSizeSerializer(serializers.Serializer):
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=200)


class PagePagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    # A lazy translation, as DRF's own default is; its stubs say str.
    invalid_page_message = _("There is no such page.")  # type: ignore[assignment]

    def get_page_size(self, request) -> int:
        # DRF quietly falls back to the default for a bad page size; the API refuses it instead.
        query = PageSizeSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return query.validated_data.get("page_size", self.page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters
