"""Settings from the environment (django-environ): one base and small local, production and test layers.

Layer: composition root (with platform/config). Settings name classes and modules by dotted path
instead of importing them."""
