"""The composition root: settings, the two URL confs (a cooperative's site and the platform's site) and
the WSGI/ASGI entry points. The only package that may import every layer (DESIGN.md §8, [tool.importlinter])."""
