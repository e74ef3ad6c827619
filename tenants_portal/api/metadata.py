"""What OPTIONS answers on every API endpoint."""

from rest_framework.metadata import SimpleMetadata


class EndpointMetadata(SimpleMetadata):
    """The endpoint's name, description and formats, without DRF's description of the fields it accepts:
    that needs a serializer_class, which views validating several serializers by hand have not (OPTIONS
    on them was a 500), and it would check permissions a second time. The OpenAPI schema
    (/api/v1/schema/) describes every field."""

    def determine_actions(self, request, view) -> dict:
        return {}
