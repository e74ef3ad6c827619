import pytest

# Shared assertion helpers get pytest's detailed messages too (it rewrites only test modules by itself).
pytest.register_assert_rewrite("tests.pdf_ua")
