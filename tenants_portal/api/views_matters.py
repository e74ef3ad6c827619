"""Matters with the office for a residents' app (module "matters"): the topics, the resident's matters with their
correspondence, filing one, replying, and the attachments (served only through the matter's access check)."""

from typing import TYPE_CHECKING, cast

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from iok.uploads import file_response
from tenants_portal.matters import selectors as matters
from tenants_portal.matters import services
from tenants_portal.matters.models import Matter

from . import serializers_matters as s
from .schema import IMAGES, PDF, document_errors, error_codes, file_responses, query_parameters
from .views import FileView, ResidentView

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from tenants_portal.matters.models import MatterEntry

    class MatterWithEntries(Matter):
        """A matter with the entries its resident may see (for the type checker only: not a model)."""

        entries_visible: QuerySet[MatterEntry]

TAGS = ["matters"]


@query_parameters(paginated=True)
@extend_schema_view(get=extend_schema(tags=TAGS, description="The topics a matter can be filed on."))
class MatterTopicsView(ResidentView, generics.ListAPIView):
    serializer_class = s.MatterTopicSerializer

    def get_queryset(self):
        return matters.matter_topics_active()


def _detail(request, matter: Matter) -> dict:
    detail = cast("MatterWithEntries", matter)
    detail.entries_visible = matters.matter_entries_visible(matter=matter, user=request.user)
    return s.MatterDetailSerializer(detail, context={"request": request}).data


@query_parameters(paginated=True)
@extend_schema_view(get=extend_schema(tags=TAGS, description="The resident's own matters, newest first."))
class MattersView(ResidentView, generics.ListAPIView):
    serializer_class = s.MatterSerializer
    parser_classes = [JSONParser, MultiPartParser]

    def get_queryset(self):
        return matters.matters_of_resident(user=self.request.user)

    @extend_schema(request=s.MatterCreateSerializer, responses={201: s.MatterDetailSerializer}, tags=TAGS,
                   description="File a matter about one of the resident's units: it is entered in the "
                               "correspondence register and goes to the office serving the unit. Attachments need "
                               "a multipart/form-data request.")
    def post(self, request):
        serializer = s.MatterCreateSerializer(data=request.data, context={"user": request.user})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        matter = services.matter_create(acting_user=request.user, topic=data["topic"], unit=data["unit"],
                                        fields=data["topic_fields"], subject=data["subject"],
                                        description=data["description"], attachments=data["attachments"])
        return Response(_detail(request, matters.access_matter(user=request.user, id=matter.pk)),
                        status=status.HTTP_201_CREATED)


CREATE_CODES = {**error_codes(s.MatterCreateSerializer), **{name: set(codes) for name, codes
                                                             in s.TOPIC_FIELD_CODES.items()}}
CREATE_CODES["topic"] = CREATE_CODES.get("topic", set()) | {"invalid_choice"}
CREATE_CODES["unit"] = CREATE_CODES.get("unit", set()) | {"invalid_choice"}
ATTACHMENT_CODES = {"invalid", "too_many", "not_document", "not_image", "too_large", "too_many_pixels", "empty",
                    "no_name", "max_length"}
CREATE_CODES["attachments"] = CREATE_CODES.get("attachments", set()) | ATTACHMENT_CODES
CREATE_CODES["subject"] = CREATE_CODES.get("subject", set()) | {"required"}
CREATE_CODES["description"] = CREATE_CODES.get("description", set()) | {"required"}
CREATE_CODES["non_field_errors"] = {"invalid", "invalid_unit", "topic_inactive"}
document_errors(MattersView, CREATE_CODES, methods=["post"])


class MatterView(ResidentView):
    @extend_schema(responses=s.MatterDetailSerializer, tags=TAGS,
                   description="One of the resident's matters with its correspondence (no internal notes of the "
                               "office), attachments and certificates.")
    def get(self, request, matter_id: int):
        return Response(_detail(request, matters.access_matter(user=request.user, id=matter_id)))


class MatterRepliesView(ResidentView):
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(request=s.MatterReplySerializer, responses={201: s.MatterEntrySerializer}, tags=TAGS,
                   description="The resident's reply in their own matter (not in a closed one); a matter waiting "
                               "for the resident goes back to the office.")
    def post(self, request, matter_id: int):
        matter = matters.access_matter(user=request.user, id=matter_id)
        serializer = s.MatterReplySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = services.matter_reply(acting_user=request.user, matter=matter, text=serializer.validated_data["text"],
                                      attachments=serializer.validated_data["attachments"])
        return Response(s.MatterEntrySerializer(entry, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


REPLY_CODES = error_codes(s.MatterReplySerializer)
REPLY_CODES["attachments"] = REPLY_CODES.get("attachments", set()) | ATTACHMENT_CODES
REPLY_CODES["text"] = REPLY_CODES.get("text", set()) | {"required"}
REPLY_CODES["non_field_errors"] = {"invalid", "closed", "not_allowed"}
document_errors(MatterRepliesView, REPLY_CODES, methods=["post"])


class MatterAttachmentView(FileView):
    @extend_schema(responses=file_responses(PDF, *IMAGES, description="An attachment of the matter."), tags=TAGS)
    def get(self, request, matter_id: int, matter_attachment_id: int):
        attachment = matters.access_matter_attachment(user=request.user, matter_id=matter_id,
                                                      id=matter_attachment_id)
        return file_response(path=attachment.path, content_type=attachment.content_type,
                             download_name=attachment.original_name)


__all__ = ["MatterAttachmentView", "MatterRepliesView", "MatterTopicsView", "MatterView", "MattersView"]
