"""Fee-change notices, the resident's side: the notice of a unit (component by component, the justification,
the legal basis), its letter as a PDF and the justification's PDF. Opening the notice or its letter is the
confirmation of receipt (services.fee_notice_open); only the notice's addressees see it — staff and other
residents get the same 404 as for a notice that does not exist."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render

from iok.http import file_generated_response
from iok.uploads import file_response
from tenants_portal.accounts.http import AuthenticatedRequest
from tenants_portal.accounts.roles import resident_ensure

from . import selectors, services
from .models import BASIS_SHORT, FeeNotice

PDF = "application/pdf"


def _notice(request: AuthenticatedRequest, notice_id: int) -> FeeNotice:
    resident_ensure(request)
    return selectors.access_resident_fee_notice(user=request.user, id=notice_id)


@login_required
def notice_view(request: AuthenticatedRequest, notice_id: int) -> HttpResponse:
    notice = services.fee_notice_open(user=request.user, notice=_notice(request, notice_id),
                                      via=services.OpenedVia.PAGE)
    return render(request, "fee_notices/notice.html", {
        "notice": notice, "change": notice.fee_change, "content": selectors.fee_notice_content(notice=notice),
        "basis": BASIS_SHORT[notice.fee_change.basis]})


@login_required
def notice_letter_view(request: AuthenticatedRequest, notice_id: int) -> HttpResponse:
    notice = _notice(request, notice_id)
    pdf = selectors.fee_notice_letter_pdf(notice=notice)
    services.fee_notice_open(user=request.user, notice=notice, via=services.OpenedVia.LETTER)
    return file_generated_response(pdf, content_type=PDF, as_attachment=False,
                                   file_name=selectors.fee_notice_letter_file_name(notice=notice))


@login_required
def notice_justification_view(request: AuthenticatedRequest, notice_id: int) -> FileResponse:
    """The justification's PDF (e.g. the board's resolution) attached to the change, for its addressees."""
    change = _notice(request, notice_id).fee_change
    if not change.justification_pdf_path:
        raise Http404
    return file_response(path=change.justification_pdf_path, content_type=PDF,
                         download_name=change.justification_pdf_name)
