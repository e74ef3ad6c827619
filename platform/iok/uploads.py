"""Uploaded files: checked by content (not by name), stored per cooperative, served only by views
that have checked access (DESIGN.md §5.4)."""

import io
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

IMAGE_TYPES = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
DOCUMENT_TYPES = {b"%PDF-": ("application/pdf", "pdf")}


@dataclass(frozen=True)
class StoredFile:
    path: str  # relative to the cooperative's folder
    content_type: str
    size: int
    original_name: str


@dataclass(frozen=True)
class CheckedUpload:
    """An upload a validator (image_validate, document_validate) accepted: its bytes, its type and extension
    as read from its content, and the name it came with."""

    data: bytes
    content_type: str
    extension: str
    name: str


def uploads_check(uploads: list[UploadedFile], *, validate) -> list[CheckedUpload]:
    """Every upload through `validate`; one refusal naming every file that failed, so the form shows them all."""
    checked, errors = [], []
    for upload in uploads:
        try:
            data, content_type, extension = validate(upload)
        except ValidationError as error:
            errors.extend(error.messages)
        else:
            checked.append(CheckedUpload(data=data, content_type=content_type, extension=extension, name=upload.name))
    if errors:
        raise ValidationError(errors)
    return checked


def cooperative_media_root() -> Path:
    return Path(settings.MEDIA_ROOT) / connection.schema_name


def _size_check(upload: UploadedFile) -> None:
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(_("The file is larger than %(limit)d MB.") % {
            "limit": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}, code="too_large")


def image_validate(upload: UploadedFile) -> tuple[bytes, str, str]:
    """The image's bytes, content type and extension; refuses anything that is not a real JPEG/PNG/WebP."""
    from PIL import Image, UnidentifiedImageError

    _size_check(upload)
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            kind = image.format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        kind = None
    if kind not in IMAGE_TYPES:
        raise ValidationError(_("“%(name)s” is not a photo in JPEG, PNG or WebP format.") % {"name": upload.name},
                              code="not_image")
    content_type, extension = IMAGE_TYPES[kind]
    return data, content_type, extension


def document_validate(upload: UploadedFile) -> tuple[bytes, str, str]:
    """A PDF document (checked by its signature) or an image."""
    _size_check(upload)
    head = upload.read(8)
    upload.seek(0)
    for signature, (content_type, extension) in DOCUMENT_TYPES.items():
        if head.startswith(signature):
            return upload.read(), content_type, extension
    try:
        return image_validate(upload)
    except ValidationError:
        raise ValidationError(_("“%(name)s” is neither a PDF document nor a photo (JPEG, PNG, WebP).") % {
            "name": upload.name}, code="not_document") from None


def file_store(*, data: bytes, folder: str, extension: str, content_type: str, original_name: str) -> StoredFile:
    """Write under a random name (never the uploader's), in this cooperative's folder."""
    relative = Path(folder) / f"{secrets.token_hex(16)}.{extension}"
    target = cooperative_media_root() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return StoredFile(path=str(relative), content_type=content_type, size=len(data),
                      original_name=Path(original_name).name[:200])


def file_delete(*, path: str) -> None:
    """Remove a stored file (gone already is fine)."""
    (cooperative_media_root() / path).unlink(missing_ok=True)


def file_delete_on_commit(*, path: str) -> None:
    """Remove a stored file once the transaction that dropped its row commits: a rollback keeps both."""
    target = cooperative_media_root() / path  # this cooperative's, whatever schema runs the callback
    transaction.on_commit(lambda: target.unlink(missing_ok=True))


def file_response(*, path: str, content_type: str, download_name: str = "", inline: bool = True) -> FileResponse:
    """Serve a stored file after the caller has checked access; the same 404 when it is gone."""
    root = cooperative_media_root().resolve()
    target = (root / path).resolve()
    if root not in target.parents or not target.is_file():
        raise Http404
    response = FileResponse(target.open("rb"), content_type=content_type, as_attachment=not inline,
                            filename=download_name or target.name)
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    return response
