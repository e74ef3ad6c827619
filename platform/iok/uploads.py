"""Uploaded files: checked by content (not by name), stored per cooperative, served only by views
that have checked access."""

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
# Stored images are fitted in this many pixels per side: enough to read a meter's digits or see a leak,
# and a staff member's browser never has to decode a 50-megapixel photo.
IMAGE_STORED_MAX_SIDE = 3000
IMAGE_JPEG_QUALITY = 85


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
            errors.extend(error.error_list)  # with their codes, which the API shows
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


def _image_refused(name: str) -> ValidationError:
    return ValidationError(_("“%(name)s” is not a photo in JPEG, PNG or WebP format.") % {"name": name},
                           code="not_image")


def image_reencode(data: bytes, *, name: str, max_side: int = IMAGE_STORED_MAX_SIDE) -> tuple[bytes, str, str]:
    """The one check and re-encoding of every uploaded image (photos, documents, logos): refuses what is
    not a JPEG/PNG/WebP and anything over UPLOAD_IMAGE_MAX_PIXELS (read from the header, before any
    pixel is decoded, so a few kilobytes declaring 900 Mpx cost nothing), then decodes it, turns it
    upright as its EXIF says, fits it in `max_side` and writes it anew in its own format. What is stored
    is only those pixels: no EXIF (GPS position, camera, time), no text chunks, no trailing data."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind, (width, height) = probe.format, probe.size
    except Image.DecompressionBombError:  # Pillow's own ceiling, far above ours
        kind, (width, height) = "bomb", (0, 0)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _image_refused(name) from None
    limit = settings.UPLOAD_IMAGE_MAX_PIXELS
    if kind == "bomb" or width * height > limit:
        raise ValidationError(_("“%(name)s” is too large an image: at most %(limit)d million pixels, please "
                                "(a photo from a phone is usually 12). Save it smaller and send it again.") % {
            "name": name, "limit": limit // 1_000_000}, code="too_many_pixels")
    if kind not in IMAGE_TYPES:
        raise _image_refused(name)
    content_type, extension = IMAGE_TYPES[kind]
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # a truncated or corrupt file fails here, not in a staff member's browser
            upright = ImageOps.exif_transpose(image)
        upright.thumbnail((max_side, max_side))
        output = io.BytesIO()
        if kind == "JPEG":
            if upright.mode not in ("RGB", "L"):
                upright = upright.convert("RGB")
            upright.save(output, format="JPEG", quality=IMAGE_JPEG_QUALITY, optimize=True)
        elif kind == "WEBP":
            upright.save(output, format="WEBP", quality=IMAGE_JPEG_QUALITY)
        else:
            upright.save(output, format="PNG", optimize=True)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _image_refused(name) from None
    return output.getvalue(), content_type, extension


def image_validate(upload: UploadedFile) -> tuple[bytes, str, str]:
    """The image's bytes as it will be stored (image_reencode), its content type and extension."""
    _size_check(upload)
    upload.seek(0)
    return image_reencode(upload.read(), name=upload.name)


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
    except ValidationError as error:
        if error.code != "not_image":
            raise
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
