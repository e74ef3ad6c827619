"""Imports for the cooperative's accounting system: send a file, follow its status and report.
A key with imports:write sends, imports:read reads; the office (admin, clerk) signed in may do both.
Thin over the import engine's services and selectors (billing_views.imports), as the office's pages are."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import exceptions, generics, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from billing_views.imports.selectors import import_run_get, import_runs
from cooperatives.selectors import cooperative_url

from . import serializers as s
from .authentication import ApiKeyAuthentication, BearerTokenAuthentication, BrowserSessionAuthentication
from .errors import validation_error_from_django
from .models import ApiKey
from .permissions import FirstSignInFinished, ImportAccess
from .schema import query_parameters
from .services import api_import_receive


class ImportView(generics.GenericAPIView):
    authentication_classes = [ApiKeyAuthentication, BearerTokenAuthentication, BrowserSessionAuthentication]
    permission_classes = [ImportAccess, FirstSignInFinished]


@query_parameters(s.ImportQuerySerializer, paginated=True)
@extend_validation_errors(["too_large", "not_csv"], field_name="file", methods=["post"])
class ImportsView(ImportView, generics.ListAPIView):
    serializer_class = s.ImportRunSerializer
    parser_classes = [MultiPartParser]

    def get_queryset(self):
        query = s.ImportQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return import_runs(kind=query.validated_data.get("kind", ""), status=query.validated_data.get("status", ""))

    @extend_schema(tags=["imports"], description="Imports received, newest first (scope imports:read).")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=s.ImportUploadSerializer,
                   responses={202: s.ImportRunSerializer}, tags=["imports"],
                   description="Send a CSV file (registry, charges or payments, recognised by its header; scope "
                               "imports:write). It is imported in a moment, all or nothing: follow its status. The "
                               "same file again is recognised and adds nothing.")
    def post(self, request):
        serializer = s.ImportUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        key = request.auth if isinstance(request.auth, ApiKey) else None
        try:
            run = api_import_receive(key=key, acting_user=request.user if key is None else None,
                                     data=upload.read(), filename=upload.name)
        except DjangoValidationError as error:
            raise validation_error_from_django(error, field="file") from None
        return Response(s.ImportRunSerializer(run).data, status=status.HTTP_202_ACCEPTED,
                        headers={"Location": cooperative_url(path=f"{request.path}{run.pk}/")})


class ImportRunView(ImportView):
    @extend_schema(responses=s.ImportRunDetailSerializer, tags=["imports"],
                   description="One import with its row-level report (scope imports:read).")
    def get(self, request, run_id: int):
        run = import_run_get(run_id=run_id)
        if run is None:
            raise exceptions.NotFound
        return Response(s.ImportRunDetailSerializer(run).data)
