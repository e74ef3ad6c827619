"""Uploaded files: checked by content (not by name), stored per cooperative through Django's storage API,
served only by views that have checked access.

Every stored file follows one rule: it is written at once (a full disk fails the upload, inside its
transaction) and removed again if the transaction that stored it does not commit (storage_save).
Media (photos, attachments, documents, logos) are in the default storage, MEDIA_ROOT/<schema>/<folder>/;
received import files go to storages["imports"] (IMPORT_ROOT). Both are configured in settings' STORAGES.
"""

import io
import secrets
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from .db import connection

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


def uploads_check(uploads: list[UploadedFile], *,
                  validate: Callable[[UploadedFile], tuple[bytes, str, str]]) -> list[CheckedUpload]:
    """Every upload through `validate`; one refusal naming every file that failed, so the form shows them all."""
    checked: list[CheckedUpload] = []
    errors: list[ValidationError] = []
    for upload in uploads:
        try:
            data, content_type, extension = validate(upload)
        except ValidationError as error:
            errors.extend(error.error_list)  # with their codes, which the API shows
        else:
            checked.append(CheckedUpload(data=data, content_type=content_type, extension=extension,
                                         name=upload.name or ""))
    if errors:
        raise ValidationError(errors)
    return checked


class ImportStorage(FileSystemStorage):
    """A FileSystemStorage at settings.IMPORT_ROOT, read when first used and again when the setting changes
    (as the default storage does with MEDIA_ROOT), so a test's override of IMPORT_ROOT applies."""

    _location: str | None  # FileSystemStorage.__init__'s `location`; django-stubs does not declare it

    @cached_property
    def base_location(self) -> str:
        return self._value_or_setting(self._location, settings.IMPORT_ROOT)

    def _clear_cached_properties(self, setting: str, **kwargs: object) -> None:
        # django-stubs narrows `setting` to the four settings the mixin handles, but Django connects this method
        # to setting_changed, so it receives the name of every setting that changes.
        super()._clear_cached_properties(setting, **kwargs)  # type: ignore[arg-type]
        if setting == "IMPORT_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)


def _delete_unless_committed(storage: Storage, name: str, committed: list[bool]) -> None:
    if not committed:
        storage.delete(name)


def storage_save(*, storage: Storage, name: str, data: bytes) -> str:
    """Save data as `name` (or a free name beside it, which is returned) in storage, as part of the current
    transaction: if the transaction (or the savepoint) it was saved in rolls back, the file is deleted.
    Outside a transaction the file is simply kept."""
    saved = storage.save(name, ContentFile(data))
    # Django has on_commit but no on_rollback. Writing the file on commit instead would let a full disk fail
    # after the row has committed, and a test (which never commits) would see no file. So the file is written
    # now and a marker is registered with on_commit: Django calls it when the outermost transaction commits,
    # and drops it uncalled when the block or savepoint that registered it rolls back (that is how on_commit
    # follows savepoints). When Django lets go of the marker (at once, by reference counting), the
    # finalizer deletes the file unless the marker was called. (If an earlier on-commit callback raises,
    # Django skips the rest, this marker too: like the other side effects, the file is then lost.)
    committed: list[bool] = []

    def marker() -> None:
        committed.append(True)

    transaction.on_commit(marker)
    weakref.finalize(marker, _delete_unless_committed, storage, saved, committed)
    return saved


def _media_name(path: str) -> str:
    """The default storage's name of a cooperative's file: the row keeps `path`, relative to its folder."""
    relative = PurePosixPath(path)
    if relative.is_absolute() or ".." in relative.parts:
        raise SuspiciousFileOperation(f"{path!r} leaves the cooperative's folder")
    return f"{connection.schema_name}/{relative}"


def cooperative_media_root() -> Path:
    """This cooperative's folder in the default storage."""
    return Path(default_storage.path(connection.schema_name))


def _size_check(upload: UploadedFile) -> None:
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(_("The file is larger than %(limit)d MB.") % {
            "limit": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}, code="too_large")


def _image_refused(name: str) -> ValidationError:
    return ValidationError(_("“%(name)s” is not a photo in JPEG, PNG or WebP format.") % {"name": name},
                           code="not_image")


def image_probe(data: bytes) -> tuple[str, tuple[int, int]]:
    """The image's format ("JPEG", "PNG", ...) and size as its header declares them, before any pixel is
    decoded: ("", (0, 0)) for what is not an image, ("bomb", (0, 0)) for one over Pillow's own ceiling."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as probe:
            return probe.format or "", probe.size
    except Image.DecompressionBombError:  # Pillow's own ceiling, far above ours
        return "bomb", (0, 0)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return "", (0, 0)


def image_reencode(data: bytes, *, name: str, max_side: int = IMAGE_STORED_MAX_SIDE) -> tuple[bytes, str, str]:
    """The one check and re-encoding of every uploaded image (photos, documents, logos): refuses what is
    not a JPEG/PNG/WebP and anything over UPLOAD_IMAGE_MAX_PIXELS (read from the header, before any
    pixel is decoded, so a few kilobytes declaring 900 Mpx cost nothing), then decodes it, turns it
    upright as its EXIF says, fits it in `max_side` and writes it anew in its own format. What is stored
    is only those pixels: no EXIF (GPS position, camera, time), no text chunks, no trailing data."""
    from PIL import Image, ImageOps

    kind, (width, height) = image_probe(data)
    if not kind:
        raise _image_refused(name)
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
    return image_reencode(upload.read(), name=upload.name or "")


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
    """Write under a random name (never the uploader's), in this cooperative's folder, as part of the current
    transaction: the file goes if the transaction does not commit (storage_save)."""
    path = f"{folder}/{secrets.token_hex(16)}.{extension}"
    storage_save(storage=default_storage, name=_media_name(path), data=data)
    return StoredFile(path=path, content_type=content_type, size=len(data),
                      original_name=Path(original_name).name[:200])


def file_delete_on_commit(*, path: str) -> None:
    """Remove a stored file once the transaction that dropped its row commits: a rollback keeps both."""
    name = _media_name(path)  # this cooperative's, whatever schema runs the callback
    transaction.on_commit(lambda: default_storage.delete(name))


def file_response(*, path: str, content_type: str, download_name: str = "", inline: bool = True) -> FileResponse:
    """Serve a stored file after the caller has checked access; the same 404 when it is gone."""
    try:
        stored = default_storage.open(_media_name(path), "rb")
    except (SuspiciousFileOperation, OSError):  # gone, a folder, or a path out of the cooperative's folder
        raise Http404 from None
    response = FileResponse(stored, content_type=content_type, as_attachment=not inline,
                            filename=download_name or PurePosixPath(path).name)
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    return response
