"""Fee changes, the office's side (Section.FEE_NOTICES: admins and clerks): the list of changes with their
deadlines, a change's lines, its import, its written justification, the preview of its letters and sending
it (refused when late, with the earliest month still possible), the delivery of its notices with the board's
export, and the days an electronic notice may stay unopened. Under the module's namespace, so a cooperative
that has switched the module off answers 404 here too."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from billing_views.models import ImportRun
from iok.access import access_get
from iok.forms import posted
from iok.http import file_generated_response
from iok.pages import page_and_query
from iok.ratelimits import client_address
from iok.uploads import file_response
from tenants_portal.accounts.http import AuthenticatedRequest
from tenants_portal.accounts.roles import Section, may_use, section_required
from tenants_portal.configuration.selectors import instance_settings_get

from . import selectors, services
from .models import BASIS_SHORT, FeeChange, FeeNoticeSettings
from .staff_forms import JustificationForm, LinesSearchForm, PaperDaysForm

fee_staff = section_required(Section.FEE_NOTICES)


def _change(change_id: int) -> FeeChange:
    return access_get(FeeChange.objects.select_related("import_run", "sent_by", "created_by"), pk=change_id)


def _timing(change: FeeChange, today) -> dict:
    """The change's deadline on `today`: the last day of delivery, the days left, and when late the earliest
    month a change on its basis can still take effect from."""
    deadline = selectors.fee_change_deadline(fee_change=change)
    late = today > deadline
    return {"deadline": deadline, "days_left": (deadline - today).days, "late": late,
            "earliest": selectors.fee_change_earliest_month(fee_change=change, on=today) if late else None}


@fee_staff
def staff_list_view(request: AuthenticatedRequest) -> HttpResponse:
    """Every change, the latest month first; ?import=<run> narrows the list to the changes of one import."""
    today = timezone.localdate()
    changes = selectors.fee_changes_for_office()
    run = None
    run_id = request.GET.get("import", "")
    if run_id.isdigit():
        run = ImportRun.objects.filter(pk=int(run_id), kind=ImportRun.Kind.FEE_SCHEDULE).first()
        changes = changes.filter(pk__in=[change.pk for change in selectors.fee_changes_of_import(run=run)]
                                 if run else [])
    listing = page_and_query(request, changes, per_page=25)
    rows = [(change, BASIS_SHORT[change.basis], _timing(change, today)) for change in listing["page"]]
    return render(request, "fee_notices/staff_list.html", {
        "rows": rows, **listing, "today": today, "run": run,
        "payment_day": instance_settings_get().payment_day})


def _detail(request: AuthenticatedRequest, change: FeeChange, *, justification_form: JustificationForm | None = None,
            send_errors: list[str] | None = None, status: int = 200) -> HttpResponse:
    today = timezone.localdate()
    search = LinesSearchForm(request.GET or None)
    lines = selectors.fee_change_lines(fee_change=change,
                                       search=search.cleaned_data["szukaj"] if search.is_valid() else "")
    listing = page_and_query(request, lines, per_page=60)
    if justification_form is None and not change.is_sent:
        justification_form = JustificationForm(initial={"justification": change.justification},
                                               has_pdf=bool(change.justification_pdf_path))
    dashboard = selectors.fee_change_dashboard(fee_change=change, today=today) if change.is_sent else None
    return render(request, "fee_notices/staff_detail.html", {
        "change": change, "basis": BASIS_SHORT[change.basis], "timing": _timing(change, today), "today": today,
        "totals": selectors.fee_change_totals(fee_change=change), "search": search, **listing,
        "justification_form": justification_form, "send_errors": send_errors,
        "counts": dashboard.counts if dashboard else None,
        "payment_day": instance_settings_get().payment_day,
    }, status=status)


@fee_staff
def staff_detail_view(request: AuthenticatedRequest, change_id: int) -> HttpResponse:
    return _detail(request, _change(change_id))


@fee_staff
@require_POST
def staff_justify_view(request: AuthenticatedRequest, change_id: int) -> HttpResponse:
    change = _change(change_id)
    form = JustificationForm(request.POST, request.FILES or None, has_pdf=bool(change.justification_pdf_path))
    if form.is_valid():
        data = form.cleaned_data
        if not data["justification"].strip() and not data["pdf"] and (
                not change.justification_pdf_path or data.get("pdf_remove")):
            form.add_error("justification", _("Enter the justification or attach it as a PDF."))
        else:
            try:
                services.fee_change_justification_set(acting_user=request.user, fee_change=change,
                                                      text=data["justification"], pdf=data["pdf"],
                                                      pdf_remove=bool(data.get("pdf_remove")))
            except ValidationError as error:
                form.add_error("pdf" if error.code in ("not_pdf", "too_large") else None, error)
            else:
                messages.success(request, _("The justification is saved."))
                return redirect("fee_notices:staff_detail", change_id=change.pk)
    return _detail(request, change, justification_form=form, status=400)


@fee_staff
@require_POST
def staff_send_view(request: AuthenticatedRequest, change_id: int) -> HttpResponse:
    """Send the change to its units with the cooperative's date as today; a refusal (late: with the earliest
    month still possible; no justification; already sent) is shown on the change's page and nothing changes."""
    change = _change(change_id)
    try:
        change = services.fee_change_send(acting_user=request.user, fee_change=change, today=timezone.localdate())
    except ValidationError as error:
        return _detail(request, _change(change_id), send_errors=error.messages, status=400)
    messages.success(request, _("The fee change is sent: %(count)d notices to deliver.") % {
        "count": change.notices.count()})
    return redirect("fee_notices:staff_detail", change_id=change.pk)


@fee_staff
def staff_justification_pdf_view(request: AuthenticatedRequest, change_id: int) -> HttpResponseBase:
    change = _change(change_id)
    if not change.justification_pdf_path:
        raise Http404
    return file_response(path=change.justification_pdf_path, content_type="application/pdf",
                         download_name=change.justification_pdf_name)


@fee_staff
def staff_delivery_view(request: AuthenticatedRequest, change_id: int) -> HttpResponse:
    """The delivery of a change's notices (issue point 6): each state with its units."""
    change = _change(change_id)
    today = timezone.localdate()
    dashboard = selectors.fee_change_dashboard(fee_change=change, today=today)
    state = selectors.DeliveryState
    return render(request, "fee_notices/staff_delivery.html", {
        "change": change, "basis": BASIS_SHORT[change.basis], "dashboard": dashboard, "counts": dashboard.counts,
        "opened": dashboard.of(state.OPENED), "not_opened": dashboard.of(state.NOT_OPENED),
        "to_print": dashboard.of(state.TO_PRINT), "paper": dashboard.of(state.PAPER_DELIVERED),
        "undelivered": dashboard.of(state.NOT_OPENED, state.TO_PRINT, state.UNDECIDED),
        "labels": selectors.DELIVERY_STATE_LABELS})


@fee_staff
def staff_delivery_export_view(request: AuthenticatedRequest, change_id: int) -> HttpResponse:
    change = _change(change_id)
    today = timezone.localdate()
    content, _count = services.fee_change_delivery_export(acting_user=request.user, fee_change=change, today=today,
                                                          ip_address=client_address(request))
    return file_generated_response(content.encode("utf-8"), content_type="text/csv; charset=utf-8",
                                   file_name=f"zmiana-oplat-{change.effective_month:%Y-%m}-{change.basis}-"
                                             f"doreczenia-{today:%Y%m%d}.csv")


@fee_staff
def staff_settings_view(request: AuthenticatedRequest) -> HttpResponse:
    """The module's own setting; the payment day its deadlines count from is the cooperative's (configuration)."""
    # A copy of the stored row: the form validates against the model's limits, the service saves.
    form = PaperDaysForm(posted(request), instance=FeeNoticeSettings(
        pk=1, paper_after_days=selectors.fee_notice_settings_get().paper_after_days))
    if request.method == "POST" and form.is_valid():
        services.fee_notice_paper_days_update(acting_user=request.user,
                                              paper_after_days=form.cleaned_data["paper_after_days"])
        messages.success(request, _("Saved."))
        return redirect("fee_notices:staff_settings")
    return render(request, "fee_notices/staff_settings.html", {
        "form": form, "payment_day": instance_settings_get().payment_day,
        "configuration": may_use(request.user, Section.CONFIGURATION),
    }, status=400 if form.is_bound and form.errors else 200)
