from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from iok.forms import posted
from tenants_portal.accounts.http import AuthenticatedRequest
from tenants_portal.accounts.roles import Section, resident_ensure, section_required

from .forms import NoticePreferencesForm
from .selectors import notice_preferences_get, outbox_failed
from .services import notice_preferences_set, outbox_retry


@login_required
def notice_preferences_view(request: AuthenticatedRequest) -> HttpResponse:
    resident_ensure(request)
    form = NoticePreferencesForm(posted(request), initial=notice_preferences_get(user=request.user))
    if request.method == "POST" and form.is_valid():
        changed = notice_preferences_set(user=request.user, choices=dict(form.cleaned_data))
        messages.success(request, _("Your choices have been saved.") if changed else _("Nothing has changed."))
        return redirect("notice_preferences")
    return render(request, "accounts/notice_preferences.html", {"form": form})


@section_required(Section.BACKGROUND)
def outbox_view(request: AuthenticatedRequest) -> HttpResponse:
    """E-mails that could not be sent after every attempt, with the reason; staff send them again."""
    return render(request, "notices/outbox.html", {"failed": outbox_failed()})


@section_required(Section.BACKGROUND)
@require_POST
def outbox_retry_view(request: AuthenticatedRequest) -> HttpResponse:
    ids = [int(value) for value in request.POST.getlist("message") if value.isdigit()]
    if not ids:
        messages.error(request, _("Choose the e-mails to send again."))
        return redirect("notices_outbox")
    count = outbox_retry(acting_user=request.user, message_ids=ids)
    messages.success(request, ngettext("%(count)d e-mail will be sent again.", "%(count)d e-mails will be sent again.",
                                       count) % {"count": count})
    return redirect("notices_outbox")
