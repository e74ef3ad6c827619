"""The cooperative's colours and logo on its residents' pages.

Colours carry white text (header, buttons, menu) and are used as text on white (links), so each
must reach WCAG 2.1 AA's 4.5:1 against white; that also puts them far from the dark body text.
"""

from dataclasses import dataclass

from coloraide import Color
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from iok.uploads import IMAGE_TYPES, image_probe, image_reencode

WCAG_AA_NORMAL_TEXT = 4.5
LOGO_MAX_BYTES = 1024 * 1024
LOGO_MAX_SIDE = 2000  # pixels
DEFAULT_PRIMARY = "#0b4f8a"  # site.css --brand
DEFAULT_ACCENT = "#073763"   # site.css --brand-dark


def contrast_with_white(colour: str) -> float:
    return Color(colour).contrast("white", method="wcag21")


def colour_clean(value: str, *, label: str) -> str:
    """'#RRGGBB' in lower case, or '' for the default; refuses what white text cannot be read on."""
    value = value.strip().lower()
    if not value:
        return ""
    if len(value) == 6 and not value.startswith("#"):
        value = "#" + value
    try:
        if len(value) != 7 or not value.startswith("#"):
            raise ValueError(value)
        int(value[1:], 16)
    except ValueError:
        raise ValidationError(_("%(label)s: give the colour as # and six hexadecimal digits, e.g. #0b4f8a.") % {
            "label": label}, code="colour_format") from None
    ratio = contrast_with_white(value)
    if ratio < WCAG_AA_NORMAL_TEXT:
        raise ValidationError(
            _("%(label)s %(colour)s is too light: white text on it and the colour on white have a contrast of "
              "%(ratio)s:1, and WCAG 2.1 level AA requires at least 4.5:1. Choose a darker shade.") % {
                "label": label, "colour": value, "ratio": number_format(ratio, decimal_pos=2)},
            code="colour_contrast")
    return value


def colour_darker(colour: str) -> str:
    """A darker shade for hover states (same hue, lower perceived lightness)."""
    shade = Color(colour).convert("oklch")
    shade["lightness"] = shade["lightness"] * 0.78
    return shade.convert("srgb").fit().to_string(hex=True)


@dataclass(frozen=True)
class Branding:
    primary: str
    accent: str
    logo_version: str  # changes whenever the logo does (cache-busting), '' without a logo

    @property
    def custom_colours(self) -> bool:
        return bool(self.primary or self.accent)

    @property
    def version(self) -> str:
        return f"{self.primary}{self.accent}".replace("#", "") or "default"

    def css(self) -> str:
        primary = self.primary or DEFAULT_PRIMARY
        accent = self.accent or DEFAULT_ACCENT
        return (":root {\n"
                f"  --brand: {primary};\n"
                f"  --brand-dark: {colour_darker(primary)};\n"
                f"  --brand-accent: {accent};\n"
                "}\n"
                ".main-nav { background: var(--brand-accent); }\n")


@dataclass(frozen=True)
class LogoChecked:
    data: bytes
    content_type: str
    extension: str


def logo_validate(upload: UploadedFile) -> LogoChecked:
    """A real PNG, JPEG or WebP image (checked by content, never by name), at most 1 MB and 2000 px.
    SVG is refused: it can carry scripts."""
    if (upload.size or 0) > LOGO_MAX_BYTES:
        raise ValidationError(_("The logo file is larger than 1 MB. Save it smaller (e.g. 600 × 200 pixels)."),
                              code="logo_too_large")
    not_image = ValidationError(_("“%(name)s” is not an image in PNG, JPEG or WebP format.") % {
        "name": upload.name}, code="logo_not_image")
    data = upload.read()
    kind, size = image_probe(data)
    if kind not in IMAGE_TYPES:
        raise not_image
    if max(size) > LOGO_MAX_SIDE:
        raise ValidationError(_("The logo is %(width)d × %(height)d pixels; at most %(limit)d pixels per side, "
                                "please.") % {"width": size[0], "height": size[1], "limit": LOGO_MAX_SIDE},
                              code="logo_too_big")
    # The one image check and re-encoding (pixels only, without the file's metadata), with the logo's wording.
    try:
        data, content_type, extension = image_reencode(data, name=upload.name or "", max_side=LOGO_MAX_SIDE)
    except ValidationError as error:
        if error.code != "not_image":
            raise
        raise not_image from None
    return LogoChecked(data=data, content_type=content_type, extension=extension)
