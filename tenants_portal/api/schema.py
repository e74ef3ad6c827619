"""Helpers for the OpenAPI schema: query parameters validated by a serializer, with their possible
validation errors documented, and file responses."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from drf_standardized_errors.openapi_serializers import (
    ClientErrorEnum,
    ErrorCode403Enum,
    ErrorCode429Enum,
    ServerErrorEnum,
)
from drf_standardized_errors.openapi_utils import (
    get_flat_serializer_fields,
    get_serializer_fields_with_error_codes,
)
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import serializers
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.settings import api_settings

from .pagination import PageSizeSerializer

PDF = "application/pdf"
IMAGES = ("image/jpeg", "image/png", "image/webp")


def error_codes(serializer_class: type[serializers.Serializer]) -> dict[str, set[str]]:
    fields = get_serializer_fields_with_error_codes(get_flat_serializer_fields(serializer_class()))
    codes: dict[str, set[str]] = {}
    for field in fields:
        codes.setdefault(field.name, set()).update(field.error_codes)
    return codes


def document_errors(view_class, codes: dict[str, set[str]], *, methods: list[str] | None = None):
    for name, field_codes in codes.items():
        extend_validation_errors(sorted(field_codes), field_name=name, methods=methods)(view_class)
    return view_class


def query_parameters(serializer_class: type[serializers.Serializer] | None = None, *, paginated: bool = False):
    """A GET whose query string is checked by `serializer_class` (400 with the field's name when wrong)."""

    def decorate(view_class):
        codes: dict[str, set[str]] = {}
        if serializer_class is not None:
            codes.update(error_codes(serializer_class))
            codes.setdefault(api_settings.NON_FIELD_ERRORS_KEY, set()).add("invalid")
            view_class.get = extend_schema(parameters=[serializer_class])(view_class.get)
        if paginated:
            codes.update(error_codes(PageSizeSerializer))
        return document_errors(view_class, codes, methods=["get"])

    return decorate


def file_responses(*media_types: str, description: str):
    return {(200, media_type): OpenApiResponse(OpenApiTypes.BINARY, description=description)
            for media_type in media_types}


class FirstRendererNegotiation(BaseContentNegotiation):
    """File endpoints answer with the file whatever the Accept header says, and errors in JSON."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


# Error codes beyond drf-standardized-errors' own, documented for every operation.
class Error403Serializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=[*ErrorCode403Enum.choices, ("first_sign_in_pending", "first sign-in "
                                            "pending"), ("cooperative_suspended", "cooperative suspended"),
                                            ("one_time_password_expired", "one-time password expired")])
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


class ErrorResponse403Serializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    # A declared field: DRF's metaclass takes it out of the class, so it shadows no attribute (the stubs differ).
    errors = Error403Serializer(many=True)  # type: ignore[assignment]


class Error429Serializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=[*ErrorCode429Enum.choices, ("locked_out", "locked out")])
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


class ErrorResponse429Serializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    # A declared field: DRF's metaclass takes it out of the class, so it shadows no attribute (the stubs differ).
    errors = Error429Serializer(many=True)  # type: ignore[assignment]


class Error503Serializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=[("gateway_unavailable", "payment gateway unavailable")])
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


class ErrorResponse503Serializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ServerErrorEnum.choices)
    # A declared field: DRF's metaclass takes it out of the class, so it shadows no attribute (the stubs differ).
    errors = Error503Serializer(many=True)  # type: ignore[assignment]
