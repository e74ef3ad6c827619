"""Fee changes on paper, the office's side (Section.FEE_NOTICES: admins and clerks): the preview of a unit's
letter before sending, the print batch of the letters that go on paper, one notice's letter, and the
delivery register (recording each letter's delivery, and the register printed for signatures). Under the
module's namespace, so a cooperative that has switched the module off answers 404 here too. Staff opening
a letter records nothing: receipt is the resident's alone."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from iok.access import access_get
from iok.http import file_generated_response
from tenants_portal.accounts.http import AuthenticatedRequest
from tenants_portal.accounts.roles import Section, section_required

from . import selectors, services
from .models import FeeChange, FeeNotice
from .registers import paper_register_pdf
from .staff_forms_paper import PaperDeliveryForm

PDF = "application/pdf"


def _change(change_id: int) -> FeeChange:
    return access_get(FeeChange.objects.all(), pk=change_id)


def _file_month(fee_change: FeeChange) -> str:
    return f"{fee_change.effective_month:%Y-%m}"


@section_required(Section.FEE_NOTICES)
def letter_preview_view(request: AuthenticatedRequest, change_id: int, unit_id: int) -> HttpResponse:
    """One unit's letter of a draft, as it would go out today (a sent change has its notices' letters)."""
    fee_change = _change(change_id)
    if fee_change.is_sent:
        raise Http404
    unit = access_get(selectors.fee_change_units(fee_change=fee_change), pk=unit_id)
    pdf = selectors.fee_change_preview_pdf(fee_change=fee_change, unit=unit, today=timezone.localdate())
    return file_generated_response(pdf, content_type=PDF, as_attachment=False,
                                   file_name=f"podglad-zmiana-oplat-{_file_month(fee_change)}-{unit.pk}.pdf")


@section_required(Section.FEE_NOTICES)
def notice_letter_view(request: AuthenticatedRequest, notice_id: int) -> HttpResponse:
    notice = access_get(FeeNotice.objects.select_related("fee_change", "unit__building__office"), pk=notice_id)
    return file_generated_response(selectors.fee_notice_letter_pdf(notice=notice), content_type=PDF,
                                   as_attachment=False,
                                   file_name=f"zmiana-oplat-{_file_month(notice.fee_change)}-{notice.unit_id}.pdf")


@section_required(Section.FEE_NOTICES)
def print_batch_view(request: AuthenticatedRequest, change_id: int) -> HttpResponse:
    """The letters on paper in print order; a large batch in parts (?czesc=2), listed on the register page."""
    fee_change = _change(change_id)
    parts = selectors.print_batch_parts(notices=selectors.fee_change_paper_notices(fee_change=fee_change))
    if not parts:
        messages.info(request, _("No letters of this fee change go on paper."))
        return redirect("fee_notices:paper_register", change_id=fee_change.pk)
    part = request.GET.get("czesc", "1")
    if not part.isdigit() or not 1 <= int(part) <= len(parts):
        raise Http404
    number = int(part)
    pdf = selectors.print_batch_pdf(fee_change=fee_change, notices=parts[number - 1], part=(number, len(parts)))
    suffix = f"-czesc-{number}" if len(parts) > 1 else ""
    return file_generated_response(pdf, content_type=PDF,
                                   file_name=f"wydruk-zmiana-oplat-{_file_month(fee_change)}{suffix}.pdf")


@section_required(Section.FEE_NOTICES)
def paper_register_view(request: AuthenticatedRequest, change_id: int) -> HttpResponse:
    """The change's paper notices in print order, each with its delivery or the form to record it."""
    fee_change = _change(change_id)
    posted = request.POST.get("notice", "") if request.method == "POST" else ""
    form = PaperDeliveryForm(request.POST if request.method == "POST" else None,
                             auto_id=f"id_%s_{posted}" if posted.isdigit() else "id_%s")
    status = 200
    if request.method == "POST":
        if form.is_valid():
            notice = FeeNotice.objects.filter(fee_change=fee_change, pk=form.cleaned_data["notice"]).first()
            if notice is None:
                raise Http404
            try:
                services.fee_notice_paper_delivery_record(
                    acting_user=request.user, notice=notice, delivered_on=form.cleaned_data["delivered_on"],
                    method=form.cleaned_data["method"],
                    registered_mail_number=form.cleaned_data["registered_mail_number"], today=timezone.localdate())
            except ValidationError as refused:
                form.add_error(None, refused.messages[0])
            else:
                messages.success(request, _("The delivery of the letter to %(unit)s is recorded.") % {
                    "unit": notice.unit})
                return redirect("fee_notices:paper_register", change_id=fee_change.pk)
        status = 400
    notices = selectors.fee_change_paper_notices(fee_change=fee_change)
    # A large batch is printed in parts: each named by its first and last unit.
    parts = [(number, str(part[0].unit), str(part[-1].unit))
             for number, part in enumerate(selectors.print_batch_parts(notices=notices), start=1)]
    rows = [(notice, None if notice.delivered_on else
             form if posted == str(notice.pk) else
             PaperDeliveryForm(initial={"notice": notice.pk}, auto_id=f"id_%s_{notice.pk}")) for notice in notices]
    # A refusal for a letter that shows no form (already recorded, or not on paper) is said at the top.
    shown = any(row_form is form for _notice, row_form in rows)
    return render(request, "fee_notices/paper_register.html", {
        "fee_change": fee_change, "rows": rows, "parts": parts if len(parts) > 1 else [],
        "refusals": [] if shown else form.non_field_errors(),
        "delivered": sum(1 for notice in notices if notice.delivered_on),
        "today": timezone.localdate(), "deadline": selectors.fee_change_deadline(fee_change=fee_change),
    }, status=status)


@section_required(Section.FEE_NOTICES)
def paper_register_pdf_view(request: AuthenticatedRequest, change_id: int) -> HttpResponse:
    """The register printed for signatures: one row per paper letter, with what is already recorded."""
    fee_change = _change(change_id)
    notices = selectors.fee_change_paper_notices(fee_change=fee_change)
    pdf = paper_register_pdf(fee_change=fee_change, notices=notices, generated_at=timezone.now())
    return file_generated_response(pdf, content_type=PDF,
                                   file_name=f"rejestr-doreczen-{_file_month(fee_change)}.pdf")
