#!/usr/bin/env python
"""Django's command-line utility for the IOK platform."""

import os
import sys
from pathlib import Path


def main() -> None:
    # platform/ is a package root of its own (it shadows nothing: it has no __init__.py).
    root = Path(__file__).resolve().parent
    for path in (str(root), str(root / "platform")):
        if path not in sys.path:
            sys.path.append(path)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
