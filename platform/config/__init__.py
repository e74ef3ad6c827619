"""The composition root: settings, the two URL confs (a cooperative's site and the platform's site) and
the WSGI/ASGI entry points.

Layer: composition root. It may import every layer; nothing imports it (code reads settings through
django.conf.settings)."""
