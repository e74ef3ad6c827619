from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from iok.forms import posted
from tenants_portal.accounts.http import AuthenticatedRequest
from tenants_portal.accounts.roles import Section, section_required

from .forms import RegulationPublishForm
from .models import RegulationAcceptance, RegulationVersion
from .rendering import markdown_render
from .selectors import regulation_current
from .services import regulation_publish


@section_required(Section.CONFIGURATION)
def regulation_versions_view(request: AuthenticatedRequest) -> HttpResponse:
    current = regulation_current()
    initial = {"title": current.title, "text": current.text} if current else {}
    form = RegulationPublishForm(posted(request), initial=initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = markdown_render(form.cleaned_data["text"])
        else:
            try:
                regulation = regulation_publish(title=form.cleaned_data["title"], text=form.cleaned_data["text"],
                                                acting_user=request.user)
            except ValidationError as error:
                form.add_error("text", error)
            else:
                messages.success(request, _("Version %(version)d has been published.") % {
                    "version": regulation.version})
                return redirect("configuration_regulation")
    versions = [(version, RegulationAcceptance.objects.filter(regulation=version).count())
                for version in RegulationVersion.objects.order_by("-version")]
    return render(request, "configuration/regulation.html", {"form": form, "versions": versions,
                                                             "preview": preview})
