"""Text people type, as the platform keeps it."""

import re

# C0 and C1 control characters and DEL, but not the tab and line breaks of a multi-line comment. Pasted from
# other programs they are invisible in the form, then show up as garbage in pages, e-mails and PDFs.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def plain_text(value: str) -> str:
    """Typed text without control characters, Windows line ends as plain ones, trimmed."""
    return CONTROL_CHARACTERS.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()
