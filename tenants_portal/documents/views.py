"""The document library (public, also for visitors who are not signed in) and the office's pages."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from iok.forms import posted
from iok.pages import page_and_query
from iok.uploads import file_response
from tenants_portal.accounts.http import AuthenticatedRequest
from tenants_portal.accounts.roles import Section, section_required

from . import services
from .forms import DocumentFileForm, DocumentForm, DocumentUploadForm, LibraryFilterForm, StaffFilterForm
from .models import Document
from .selectors import (
    access_document,
    access_document_for_staff,
    document_download_name,
    document_years,
    documents_staff_list,
    documents_visible,
    is_document_staff,
    library_groups,
)

document_staff = section_required(Section.DOCUMENTS)


def library_view(request: HttpRequest) -> HttpResponse:
    form = LibraryFilterForm(request.GET, years=document_years(documents=documents_visible(user=request.user)))
    values = form.values()
    return render(request, "documents/library.html", {
        "form": form, "groups": library_groups(user=request.user, **values),
        "filtered": any(values.values()), "is_staff": is_document_staff(request.user),
    })


def download_view(request: HttpRequest, document_id: int) -> FileResponse:
    document = access_document(user=request.user, id=document_id)
    return file_response(path=document.file_path, content_type=document.content_type,
                         download_name=document_download_name(document=document))


@document_staff
def staff_list_view(request: AuthenticatedRequest) -> HttpResponse:
    form = StaffFilterForm(request.GET, years=document_years(documents=Document.objects.all()))
    values = form.values()
    return render(request, "documents/staff_list.html", {
        "form": form, "archived": values["archived"], **page_and_query(request, documents_staff_list(**values))})


@document_staff
def upload_view(request: AuthenticatedRequest) -> HttpResponse:
    form = DocumentUploadForm(posted(request), request.FILES or None,
                              initial={"category": request.GET.get("category", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.document_upload(
                acting_user=request.user, category=data["category"], title=data["title"],
                description=data["description"], document_date=data["document_date"], year=data["year"],
                visibility=data["visibility"], upload=data["file"])
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("“%(title)s” has been added to the library.") % {"title": document.title})
            return redirect("documents:staff_list")
    return render(request, "documents/upload.html", {"form": form})


@document_staff
def edit_view(request: AuthenticatedRequest, document_id: int) -> HttpResponse:
    document = access_document_for_staff(user=request.user, id=document_id)
    form = DocumentForm(posted(request), instance=Document.objects.get(pk=document.pk))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.document_update(
            acting_user=request.user, document=document, category=data["category"], title=data["title"],
            description=data["description"], document_date=data["document_date"], year=data["year"],
            visibility=data["visibility"])
        messages.success(request, _("The document has been saved."))
        return redirect("documents:staff_list")
    return render(request, "documents/edit.html", {"document": document, "form": form,
                                                   "file_form": DocumentFileForm()})


@document_staff
def replace_view(request: AuthenticatedRequest, document_id: int) -> HttpResponse:
    document = access_document_for_staff(user=request.user, id=document_id)
    file_form = DocumentFileForm(posted(request), request.FILES or None)
    if request.method == "POST" and file_form.is_valid():
        try:
            services.document_file_replace(acting_user=request.user, document=document,
                                           upload=file_form.cleaned_data["file"])
        except ValidationError as error:
            file_form.add_error("file", error)
        else:
            messages.success(request, _("The file has been replaced."))
            return redirect("documents:edit", document_id=document.pk)
    return render(request, "documents/edit.html", {"document": document, "form": DocumentForm(instance=document),
                                                   "file_form": file_form})


@document_staff
@require_POST
def archive_view(request: AuthenticatedRequest, document_id: int) -> HttpResponse:
    document = access_document_for_staff(user=request.user, id=document_id)
    services.document_archive(acting_user=request.user, document=document)
    messages.success(request, _("“%(title)s” has been archived: residents and visitors no longer see it.") % {
        "title": document.title})
    return redirect("documents:staff_list")


@document_staff
@require_POST
def unarchive_view(request: AuthenticatedRequest, document_id: int) -> HttpResponse:
    document = access_document_for_staff(user=request.user, id=document_id)
    services.document_unarchive(acting_user=request.user, document=document)
    messages.success(request, _("“%(title)s” is back in the library.") % {"title": document.title})
    return redirect(reverse("documents:staff_list") + "?archived=on")
