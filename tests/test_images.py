"""Every stored image is re-encoded by one check (iok.uploads.image_reencode): pixels capped before
decoding, EXIF (GPS included) gone, a decompression bomb refused in Polish on the page and the API
(issue 16, findings 3 and 4)."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from iok.uploads import cooperative_media_root
from tenants_portal.failures.models import FailureCategory, FailureReport
from tenants_portal.registry.models import Unit
from tests.api_world import api_client, token_for

TOO_LARGE = ("„{name}” jest zbyt dużym obrazem: najwyżej 50 mln pikseli (zdjęcie z telefonu ma ich zwykle 12). "
             "Proszę zapisać je w mniejszym rozmiarze i wysłać ponownie.")


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_declaring(width: int, height: int) -> bytes:
    """A few hundred bytes whose header declares width × height pixels (one row of data follows)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(b"\x00" * (width + 1))) + _chunk(b"IEND", b""))


def jpeg_with_gps(width: int = 64, height: int = 48) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Telefon"  # Make
    exif[0x8825] = {1: "N", 2: (50.0, 17.0, 9.0), 3: "E", 4: (19.0, 8.0, 3.0)}  # GPSInfo: Sosnowiec
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "green").save(buffer, format="JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def test_the_test_images_are_what_they_claim():
    with Image.open(io.BytesIO(jpeg_with_gps())) as image:
        assert image.getexif()[0x010F] == "Telefon"
        assert image.getexif().get_ifd(0x8825)[1] == "N"
    with Image.open(io.BytesIO(png_declaring(8000, 7000))) as image:
        assert image.size == (8000, 7000)


@pytest.fixture
def failure_setup(coop_a):
    with coop_a.use():
        category = FailureCategory.objects.create(name="woda")
    return category


def _form(category, photo: bytes, name: str) -> dict:
    return {"category": category.pk, "place": f"unit:{Unit.objects.get(code='ALFA-1-1').pk}", "place_detail": "",
            "description": "Cieknie.", "urgency": "normal",
            "photos": [SimpleUploadedFile(name, photo, content_type="image/png")]}


@pytest.mark.parametrize(("width", "height"), [(30000, 30000), (8000, 7000)])
def test_a_bomb_or_a_photo_over_the_pixel_cap_is_refused_in_polish_on_the_failure_form(coop_a, failure_setup,
                                                                                      width, height):
    resident = coop_a.client_logged_in_as(coop_a.resident)
    with coop_a.use():
        form = _form(failure_setup, png_declaring(width, height), "bomba.png")
    response = resident.post("/awarie/nowe/", form)
    assert response.status_code == 200
    assert response.context["form"].errors["photos"] == [TOO_LARGE.format(name="bomba.png")]
    with coop_a.use():
        assert FailureReport.objects.count() == 0


@pytest.mark.parametrize(("width", "height"), [(30000, 30000), (8000, 7000)])
def test_a_bomb_or_a_photo_over_the_pixel_cap_is_refused_in_polish_on_the_api(coop_a, failure_setup, width, height):
    client = api_client(coop_a, token=token_for(coop_a, coop_a.resident))
    options = client.get("/api/v1/failures/options/").json()
    response = client.post("/api/v1/failures/", {
        "category": failure_setup.pk, "place": options["places"][0]["value"], "description": "Cieknie.",
        "photos": [SimpleUploadedFile("bomba.png", png_declaring(width, height), "image/png")]})
    assert response.status_code == 400
    assert response.json() == {"type": "validation_error", "errors": [
        {"code": "too_many_pixels", "detail": TOO_LARGE.format(name="bomba.png"), "attr": "photos"}]}
    with coop_a.use():
        assert FailureReport.objects.count() == 0


def test_a_stored_photo_keeps_its_pixels_and_loses_its_exif_and_gps(coop_a, failure_setup):
    client = api_client(coop_a, token=token_for(coop_a, coop_a.resident))
    place = client.get("/api/v1/failures/options/").json()["places"][0]["value"]
    original = jpeg_with_gps()
    filed = client.post("/api/v1/failures/", {
        "category": failure_setup.pk, "place": place, "description": "Cieknie.",
        "photos": [SimpleUploadedFile("z-telefonu.jpg", original, "image/jpeg")]})
    assert filed.status_code == 201
    served = client.get(filed.json()["photos"][0]["url"])
    stored = b"".join(served.streaming_content)
    with coop_a.use():
        on_disk = (cooperative_media_root() / FailureReport.objects.get().photos.get().path).read_bytes()
    assert stored == on_disk != original
    assert b"Exif" not in stored and b"Telefon" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert (image.format, image.size, dict(image.getexif())) == ("JPEG", (64, 48), {})
        assert image.getpixel((10, 10))[1] > 100  # still green


def test_a_huge_but_allowed_photo_is_stored_fitted_in_3000_pixels(coop_a, failure_setup):
    buffer = io.BytesIO()
    Image.new("RGB", (6000, 4000), "white").save(buffer, format="JPEG")
    resident = coop_a.client_logged_in_as(coop_a.resident)
    with coop_a.use():
        form = _form(failure_setup, buffer.getvalue(), "duze.jpg")
    response = resident.post("/awarie/nowe/", form)
    assert response.status_code == 302, response.context["form"].errors
    with coop_a.use():
        path = cooperative_media_root() / FailureReport.objects.get().photos.get().path
    with Image.open(path) as image:
        assert image.size == (3000, 2000)
