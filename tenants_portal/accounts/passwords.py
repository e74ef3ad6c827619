import secrets

# No 0/O, 1/l/I: a one-time password is read off paper and typed by hand.
_LETTERS = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
_DIGITS = "23456789"


def one_time_password_generate(*, length: int = 12) -> str:
    """A random initial password with at least one letter and one digit (shown once, then changed)."""
    alphabet = _LETTERS + _DIGITS
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        if any(c in _DIGITS for c in candidate) and any(c in _LETTERS for c in candidate):
            return candidate
