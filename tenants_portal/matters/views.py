"""Pages of the matters module: residents file matters and follow the answers; the office (admin, clerk) works
the queue, keeps the register and issues certificates; anyone checks a certificate's code."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cooperatives.selectors import cooperative_url
from iok.access import access_get
from iok.forms import form_add_errors, posted
from iok.pages import page_and_query
from iok.ratelimits import rate_limited
from iok.uploads import file_response
from tenants_portal.accounts.http import AuthenticatedRequest
from tenants_portal.accounts.roles import Section, resident_ensure, section_required

from . import documents, services
from .forms import (
    AssignForm,
    BulkAssignForm,
    MatterForm,
    QueueFilterForm,
    ReplyForm,
    ReplyTemplateForm,
    RevokeForm,
    StatusForm,
    TopicForm,
    VerifyForm,
)
from .models import Certificate, Matter, MatterTopic, ReplyTemplate, TopicKind
from .selectors import (
    access_certificate,
    access_matter,
    access_matter_attachment,
    certificate_by_code,
    certificate_normalise_code,
    certificate_valid_of,
    is_matter_staff,
    matter_assignees,
    matter_entries_visible,
    matter_is_overdue,
    matter_offices,
    matter_queue_filter,
    matter_topic_choose,
    matter_topics_active,
    matter_units_for,
    matters_of_resident,
    register_matters,
    register_years,
    reply_templates_for,
    today,
    unit_arrears,
)
from .topics import topic_fields_form

matter_staff = section_required(Section.MATTERS)


@login_required
def resident_index(request: AuthenticatedRequest) -> HttpResponse:
    if is_matter_staff(request.user):
        return redirect("matters:staff_queue")
    resident_ensure(request)
    return render(request, "matters/resident_list.html", {
        "matters": matters_of_resident(user=request.user), "can_file": bool(matter_units_for(user=request.user))})


@login_required
def matter_topics(request: AuthenticatedRequest) -> HttpResponse:
    resident_ensure(request)
    return render(request, "matters/topics.html", {"topics": matter_topics_active()})


@login_required
def matter_new(request: AuthenticatedRequest, topic_id: int) -> HttpResponse:
    resident_ensure(request)
    try:
        topic = matter_topic_choose(id=topic_id)
    except ValidationError:
        return redirect("matters:topics")
    if not matter_units_for(user=request.user):
        messages.error(request, _("You hold no unit at the moment, so you cannot file a matter here. "
                                  "Please contact the office."))
        return redirect("matters:resident_list")
    form = MatterForm(posted(request), request.FILES or None, user=request.user, topic=topic)
    fields = topic_fields_form(topic.kind, posted(request), today=today())
    if request.method == "POST" and all([form.is_valid(), fields.is_valid()]):
        data = form.cleaned_data
        try:
            matter = services.matter_create(
                acting_user=request.user, topic=topic, unit=data["unit"], fields=fields.as_json(),
                subject=data.get("subject", ""), description=data["description"], attachments=data["attachments"])
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("Your matter has been registered as %(number)s. You will get an e-mail when "
                                        "the office replies.") % {"number": matter.register_number})
            return redirect("matters:resident_matter", matter_id=matter.pk)
    return render(request, "matters/matter_new.html", {"form": form, "fields": fields, "topic": topic})


def _matter_context(request: AuthenticatedRequest, matter: Matter) -> dict:
    return {"matter": matter, "entries": matter_entries_visible(matter=matter, user=request.user),
            "summary": documents.matter_summary(matter), "overdue": matter_is_overdue(matter=matter),
            "certificates": list(matter.certificates.all())}


@login_required
def resident_matter(request: AuthenticatedRequest, matter_id: int) -> HttpResponse:
    matter = access_matter(user=request.user, id=matter_id)
    if is_matter_staff(request.user):
        return redirect("matters:staff_matter", matter_id=matter.pk)
    form = ReplyForm(posted(request), request.FILES or None, staff=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.matter_reply(acting_user=request.user, matter=matter, text=form.cleaned_data["text"],
                                  attachments=form.cleaned_data["attachments"])
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("Your reply has been sent to the office."))
            return redirect("matters:resident_matter", matter_id=matter.pk)
    return render(request, "matters/resident_matter.html", {**_matter_context(request, matter), "reply_form": form})


@login_required
def attachment(request: AuthenticatedRequest, matter_id: int, attachment_id: int) -> FileResponse:
    stored = access_matter_attachment(user=request.user, matter_id=matter_id, id=attachment_id)
    return file_response(path=stored.path, content_type=stored.content_type, download_name=stored.original_name)


def certificate_response(*, certificate: Certificate) -> HttpResponse:
    url = services.certificate_verification_url(code=certificate.code)
    pdf = documents.certificate_pdf(certificate=certificate, verification_url=url,
                                    verification_page=cooperative_url(path=reverse("certificate_verification:form")))
    response = HttpResponse(pdf, content_type="application/pdf")
    name = certificate.number.replace("/", "-")
    response["Content-Disposition"] = f'inline; filename="zaswiadczenie-{name}.pdf"'
    return response


@login_required
def certificate_pdf(request: AuthenticatedRequest, matter_id: int, certificate_id: int) -> HttpResponse:
    matter = access_matter(user=request.user, id=matter_id)
    certificate = access_certificate(user=request.user, id=certificate_id)
    if certificate.matter_id != matter.pk:
        raise Http404  # the same answer as for a certificate that does not exist
    return certificate_response(certificate=certificate)


# The office.

@matter_staff
def staff_queue(request: AuthenticatedRequest) -> HttpResponse:
    assignees = matter_assignees()
    # The queue opens on what waits for the office; "all" is one choice away.
    filtered = any(key != "page" for key in request.GET)
    form = QueueFilterForm(request.GET if filtered else None, offices=matter_offices(), assignees=assignees,
                           initial={"status": "office"})
    filters = (form.cleaned_data if form.is_valid() else {}) if form.is_bound else {"status": "office"}
    matters = matter_queue_filter(status=filters.get("status", ""), office=filters.get("office"),
                                  topic=filters.get("topic"), assigned_to=filters.get("assigned_to", ""),
                                  overdue=bool(filters.get("overdue")), acting_user=request.user)
    return render(request, "matters/staff_queue.html", {
        "form": form, "assign_form": AssignForm(assignees=assignees), "today": today(),
        **page_and_query(request, matters)})


@matter_staff
@require_POST
def staff_bulk_assign(request: AuthenticatedRequest) -> HttpResponse:
    form = BulkAssignForm(request.POST, assignees=matter_assignees())
    if form.is_valid():
        try:
            changed = services.matters_assign(acting_user=request.user, matters=list(form.cleaned_data["matters"]),
                                              assignee=form.cleaned_data["assignee"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Assignment saved for %(count)d matter(s).") % {"count": changed})
    else:
        messages.error(request, " ".join(str(message) for errors in form.errors.values() for message in errors))
    back = request.POST.get("back", "")
    return redirect(back if back.startswith("/biuro/sprawy/") else "matters:staff_queue")


def _staff_page(request: AuthenticatedRequest, matter: Matter, **forms) -> HttpResponse:
    on = today()
    context = _matter_context(request, matter)
    return render(request, "matters/staff_matter.html", {
        **context,
        "reply_form": forms.get("reply_form") or ReplyForm(staff=True),
        "status_form": forms.get("status_form") or StatusForm(),
        "assign_form": forms.get("assign_form") or AssignForm(assignees=matter_assignees(),
                                                              initial={"assignee": matter.assigned_to_id}),
        "revoke_form": forms.get("revoke_form") or RevokeForm(),
        "templates": reply_templates_for(topic=matter.topic),
        "arrears": unit_arrears(unit=matter.unit, on=on) if matter.kind == TopicKind.CERTIFICATE else None,
        "valid_certificate": certificate_valid_of(matter=matter),
        "is_withdrawal": matter.kind == TopicKind.ACCESS_WITHDRAWAL})


@matter_staff
def staff_matter(request: AuthenticatedRequest, matter_id: int) -> HttpResponse:
    matter = access_matter(user=request.user, id=matter_id)
    template_id = request.GET.get("szablon", "")
    reply_form = None
    if template_id.isdigit():
        chosen = reply_templates_for(topic=matter.topic).filter(pk=int(template_id)).first()
        if chosen is not None:
            reply_form = ReplyForm(staff=True, initial={"text": chosen.text})
    return _staff_page(request, matter, reply_form=reply_form)


def _staff_form_post(request: AuthenticatedRequest, matter: Matter, *, form, form_name: str,
                     action: Callable[[dict], object], done: str | Callable[[dict], str],
                     fields_renamed: dict[str, str] | None = None) -> HttpResponse:
    """The matter page's forms, one shape: valid and accepted by the service, a message and back to the matter;
    otherwise the page again with the form's errors and what was typed. `fields_renamed` maps a service's
    field names to the form's where they differ."""
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as error:
            form_add_errors(form, error, fields_renamed=fields_renamed)
        else:
            messages.success(request, done(form.cleaned_data) if callable(done) else done)
            return redirect("matters:staff_matter", matter_id=matter.pk)
    return _staff_page(request, matter, **{form_name: form})


def _staff_click[Result](request: AuthenticatedRequest, matter: Matter, *, action: Callable[[], Result],
                         done: Callable[[Result], str]) -> HttpResponse:
    """A one-click action on the matter page (no form): its refusal or its result as a message, then the matter."""
    try:
        result = action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done(result))
    return redirect("matters:staff_matter", matter_id=matter.pk)


@matter_staff
@require_POST
def staff_reply(request: AuthenticatedRequest, matter_id: int) -> HttpResponse:
    matter = access_matter(user=request.user, id=matter_id)
    return _staff_form_post(
        request, matter, form=ReplyForm(request.POST, request.FILES or None, staff=True), form_name="reply_form",
        action=lambda data: services.matter_reply(acting_user=request.user, matter=matter, text=data["text"],
                                                  attachments=data["attachments"], internal=data["internal"]),
        done=lambda data: _("The note has been saved.") if data["internal"]
        else _("The reply has been sent to the resident."))


@matter_staff
@require_POST
def staff_status(request: AuthenticatedRequest, matter_id: int) -> HttpResponse:
    matter = access_matter(user=request.user, id=matter_id)
    return _staff_form_post(
        request, matter, form=StatusForm(request.POST), form_name="status_form",
        action=lambda data: services.matter_status_change(acting_user=request.user, matter=matter,
                                                          status=data["status"], outcome=data["outcome"],
                                                          text=data["comment"]),
        done=_("The status has been changed."), fields_renamed={"text": "comment"})


@matter_staff
@require_POST
def staff_assign(request: AuthenticatedRequest, matter_id: int) -> HttpResponse:
    matter = access_matter(user=request.user, id=matter_id)
    return _staff_form_post(
        request, matter, form=AssignForm(request.POST, assignees=matter_assignees()), form_name="assign_form",
        action=lambda data: services.matter_assign(acting_user=request.user, matter=matter,
                                                   assignee=data["assignee"]),
        done=_("The assignment has been saved."))


@matter_staff
@require_POST
def staff_certificate_issue(request: AuthenticatedRequest, matter_id: int) -> HttpResponse:
    matter = access_matter(user=request.user, id=matter_id)
    return _staff_click(
        request, matter, action=lambda: services.certificate_issue(acting_user=request.user, matter=matter),
        done=lambda certificate: _("Certificate %(number)s has been issued.") % {"number": certificate.number})


@matter_staff
@require_POST
def staff_certificate_revoke(request: AuthenticatedRequest, matter_id: int, certificate_id: int) -> HttpResponse:
    matter = access_matter(user=request.user, id=matter_id)
    certificate = access_get(matter.certificates.all(), pk=certificate_id)
    return _staff_form_post(
        request, matter, form=RevokeForm(request.POST), form_name="revoke_form",
        action=lambda data: services.certificate_revoke(acting_user=request.user, certificate=certificate,
                                                        reason=data["reason"]),
        done=_("The certificate has been revoked."))


@matter_staff
@require_POST
def staff_account_close(request: AuthenticatedRequest, matter_id: int) -> HttpResponse:
    matter = access_matter(user=request.user, id=matter_id)
    return _staff_click(
        request, matter, action=lambda: services.matter_account_close(acting_user=request.user, matter=matter),
        done=lambda _result: _("The resident's IOK account has been closed and the matter closed."))


@matter_staff
def staff_register(request: AuthenticatedRequest) -> HttpResponse:
    years = register_years()
    return render(request, "matters/staff_register.html", {"years": years or [today().year]})


@matter_staff
def staff_register_export(request: AuthenticatedRequest, year: int, extension: str) -> HttpResponse:
    if extension not in ("csv", "pdf"):
        raise Http404
    matters = list(register_matters(year=year))
    services.register_exported(acting_user=request.user, year=year, format=extension, count=len(matters))
    if extension == "csv":
        response = HttpResponse(documents.register_csv(matters=matters), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(documents.register_pdf(year=year, matters=matters, generated_at=timezone.now()),
                                content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="rejestr-korespondencji-{year}.{extension}"'
    return response


@matter_staff
def staff_topics(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "matters/staff_topics.html", {"topics": MatterTopic.objects.all()})


@matter_staff
def staff_topic(request: AuthenticatedRequest, topic_id: int) -> HttpResponse:
    topic = access_get(MatterTopic.objects.all(), pk=topic_id)
    form = TopicForm(posted(request) if "save_topic" in request.POST else None, instance=topic)
    template_form = ReplyTemplateForm(posted(request) if "add_template" in request.POST else None)
    if request.method == "POST":
        try:
            if form.is_bound and form.is_valid():
                services.matter_topic_update(acting_user=request.user, topic=MatterTopic.objects.get(pk=topic.pk),
                                             name=form.cleaned_data["name"], due_days=form.cleaned_data["due_days"],
                                             is_active=form.cleaned_data["is_active"])
                messages.success(request, _("Saved."))
                return redirect("matters:staff_topic", topic_id=topic.pk)
            if template_form.is_bound and template_form.is_valid():
                services.reply_template_add(acting_user=request.user, topic=topic, **template_form.cleaned_data)
                messages.success(request, _("The reply template has been added."))
                return redirect("matters:staff_topic", topic_id=topic.pk)
        except ValidationError as error:
            form_add_errors(template_form if template_form.is_bound else form, error)
    return render(request, "matters/staff_topic.html", {
        "topic": topic, "form": form, "template_form": template_form, "templates": reply_templates_for(topic=topic)})


@matter_staff
@require_POST
def staff_template_remove(request: AuthenticatedRequest, topic_id: int, template_id: int) -> HttpResponse:
    template = access_get(ReplyTemplate.objects.filter(topic_id=topic_id), pk=template_id)
    services.reply_template_remove(acting_user=request.user, template=template)
    messages.success(request, _("The reply template has been removed."))
    return redirect("matters:staff_topic", topic_id=topic_id)


# Anyone: the certificate's verification page (no sign-in), limited per client address.

@rate_limited("certificate_verification", methods=("POST",))
def verification_form(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(posted(request))
    if request.method == "POST" and form.is_valid():
        code = certificate_normalise_code(form.cleaned_data["code"])
        return redirect("certificate_verification:code", code=code or "-")
    return render(request, "matters/verification.html", {"form": form, "looked_up": False})


@rate_limited("certificate_verification")
def verification_code(request: HttpRequest, code: str) -> HttpResponse:
    certificate = certificate_by_code(code=code)
    return render(request, "matters/verification.html", {
        "form": VerifyForm(initial={"code": documents.code_grouped(certificate_normalise_code(code))}),
        "looked_up": True, "certificate": certificate,
        "code_shown": documents.code_grouped(certificate_normalise_code(code))},
        status=200 if certificate is not None else 404)
