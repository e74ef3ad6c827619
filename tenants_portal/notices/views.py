from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from iok.forms import posted
from tenants_portal.portal.selectors import resident_ensure

from .forms import NoticePreferencesForm
from .selectors import notice_preferences_get
from .services import notice_preferences_set


@login_required
def notice_preferences_view(request: HttpRequest) -> HttpResponse:
    resident_ensure(request)
    form = NoticePreferencesForm(posted(request), initial=notice_preferences_get(user=request.user))
    if request.method == "POST" and form.is_valid():
        changed = notice_preferences_set(user=request.user, choices=dict(form.cleaned_data))
        messages.success(request, _("Your choices have been saved.") if changed else _("Nothing has changed."))
        return redirect("notice_preferences")
    return render(request, "accounts/notice_preferences.html", {"form": form})
