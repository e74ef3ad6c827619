"""Fee-change notices for a residents' app (module "fee_notices"): the notices addressed to the resident, one
notice with its components and justification, and its letter as a PDF. Reading a notice or its letter here is
the confirmation of receipt, as opening it on the website is (the first opening by an addressee, once)."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.response import Response

from cooperatives.selectors import cooperative_url
from iok.http import file_generated_response
from tenants_portal.fee_notices import selectors as fee_notices
from tenants_portal.fee_notices import services
from tenants_portal.fee_notices.models import BASIS_SHORT, FeeNotice

from . import serializers as s
from .schema import PDF, file_responses, query_parameters
from .views import FileView, ResidentView

TAGS = ["fee notices"]


@query_parameters(paginated=True)
@extend_schema_view(get=extend_schema(tags=TAGS, description=(
    "The notices of fee changes addressed to the resident (one per unit and change), the latest change first. "
    "Listing them is not a receipt: reading one notice or its letter is.")))
class FeeNoticesView(ResidentView, generics.ListAPIView):
    serializer_class = s.FeeNoticeSerializer

    def get_queryset(self):
        return fee_notices.fee_notices_of_resident(user=self.request.user)


class FeeNoticeView(ResidentView):
    @extend_schema(responses=s.FeeNoticeDetailSerializer, tags=TAGS, description=(
        "One notice: the unit's fees component by component (now, new, difference), the totals, the written "
        "justification and the legal basis. The first reading by one of the notice's addressees records the "
        "receipt (`opened_at`); later readings change nothing."))
    def get(self, request, notice_id: int):
        notice = fee_notices.access_resident_fee_notice(user=request.user, id=notice_id)
        notice = services.fee_notice_open(user=request.user, notice=notice, via=services.OpenedVia.API)
        return Response(s.FeeNoticeDetailSerializer(_detail(request, notice)).data)


def _detail(request, notice: FeeNotice) -> dict:
    content = fee_notices.fee_notice_content(notice=notice)
    change = notice.fee_change
    return {
        "id": notice.pk, "fee_change": change, "unit_id": notice.unit_id, "unit": notice.unit,
        "opened_at": notice.opened_at,
        "lines": [{"component": line.component, "current_amount": line.current_amount,
                   "new_amount": line.new_amount, "difference": line.difference} for line in content.lines],
        "current_total": content.current_total, "new_total": content.new_total, "difference": content.difference,
        "justification": change.justification, "justification_pdf_name": change.justification_pdf_name,
        "legal_basis": f"{BASIS_SHORT[change.basis]} ustawy o spółdzielniach mieszkaniowych",
        "letter_url": cooperative_url(path=reverse("api:fee_notices:letter", args=[notice.pk])),
    }


class FeeNoticeLetterView(FileView):
    @extend_schema(operation_id="fee_notices_letter_retrieve", tags=TAGS,
                   responses=file_responses(PDF, description="The notice as a letter (PDF)."),
                   description="The notice's letter; fetching it records the receipt as reading the notice does.")
    def get(self, request, notice_id: int):
        notice = fee_notices.access_resident_fee_notice(user=request.user, id=notice_id)
        pdf = fee_notices.fee_notice_letter_pdf(notice=notice)
        services.fee_notice_open(user=request.user, notice=notice, via=services.OpenedVia.API_LETTER)
        return file_generated_response(pdf, content_type=PDF,
                                       file_name=fee_notices.fee_notice_letter_file_name(notice=notice))
