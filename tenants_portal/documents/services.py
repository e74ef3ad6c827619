"""Writes of the document library: upload, change the description, replace the file, archive."""

import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from iok.uploads import CheckedUpload, StoredFile, document_validate, file_delete_on_commit, file_store
from tenants_portal.accounts.models import User
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.services import audit_record

from .models import Document

FOLDER = "documents"


def _file_checked(upload: UploadedFile) -> CheckedUpload:
    """Checked by content (ValidationError with the reason), before any transaction."""
    upload.seek(0)
    data, content_type, extension = document_validate(upload)
    return CheckedUpload(data=data, content_type=content_type, extension=extension, name=upload.name or "")


def _file_store(checked: CheckedUpload) -> StoredFile:
    """Written under a random name, inside the transaction that stores its row (gone if it rolls back)."""
    return file_store(data=checked.data, folder=FOLDER, extension=checked.extension,
                      content_type=checked.content_type, original_name=checked.name)


def document_upload(*, acting_user: User | None, category: str, title: str, document_date: datetime.date,
                    visibility: str, upload: UploadedFile, description: str = "",
                    year: int | None = None) -> Document:
    checked = _file_checked(upload)
    with transaction.atomic():
        stored = _file_store(checked)
        document = Document.objects.create(
            category=category, title=title, description=description, document_date=document_date,
            year=year or document_date.year, visibility=visibility, file_path=stored.path,
            content_type=stored.content_type, file_size=stored.size, original_name=stored.original_name,
            uploaded_by=acting_user)
        audit_record(acting_user=acting_user, action=AuditAction.DOCUMENT_UPLOADED, target=title,
                     details={"document": document.pk, "category": category, "visibility": visibility,
                              "file": stored.original_name, "size": stored.size})
    return document


def document_update(*, acting_user: User, document: Document, category: str, title: str,
                    document_date: datetime.date, visibility: str, description: str = "",
                    year: int | None = None) -> Document:
    values = {"category": category, "title": title, "description": description, "document_date": document_date,
              "year": year or document_date.year, "visibility": visibility}
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        changed = {name: [str(getattr(document, name)), str(value)] for name, value in values.items()
                   if getattr(document, name) != value}
        if not changed:
            return document
        for name, value in values.items():
            setattr(document, name, value)
        document.save()
        audit_record(acting_user=acting_user, action=AuditAction.DOCUMENT_CHANGED, target=document.title,
                     details={"document": document.pk, "changed": changed})
    return document


def document_file_replace(*, acting_user: User, document: Document, upload: UploadedFile) -> Document:
    checked = _file_checked(upload)
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        stored = _file_store(checked)
        old_path = document.file_path
        document.file_path = stored.path
        document.content_type = stored.content_type
        document.file_size = stored.size
        document.original_name = stored.original_name
        document.save()
        audit_record(acting_user=acting_user, action=AuditAction.DOCUMENT_FILE_REPLACED, target=document.title,
                     details={"document": document.pk, "file": stored.original_name, "size": stored.size})
        file_delete_on_commit(path=old_path)
    return document


def document_archive(*, acting_user: User, document: Document) -> Document:
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        if document.archived_at is None:
            document.archived_at = timezone.now()
            document.save(update_fields=["archived_at", "updated_at"])
            audit_record(acting_user=acting_user, action=AuditAction.DOCUMENT_ARCHIVED, target=document.title,
                         details={"document": document.pk})
    return document


def document_unarchive(*, acting_user: User, document: Document) -> Document:
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        if document.archived_at is not None:
            document.archived_at = None
            document.save(update_fields=["archived_at", "updated_at"])
            audit_record(acting_user=acting_user, action=AuditAction.DOCUMENT_UNARCHIVED, target=document.title,
                         details={"document": document.pk})
    return document

