"""Django's database sessions, lighter at every sign-in.

Stock `_get_new_session_key` asks the database whether a random key exists before creating the
session; `create()` already inserts with must_create and draws another key when the unique key
refuses the row, so the question is redundant (32 random characters do not collide in practice).
And at sign-in, `cycle_key()` inserts an empty session under a new key only for the response to
update it a moment later; a session that was never stored has no old key to retire, so it is
simply stored once, new key and all, when the response saves it. Each cooperative's sessions stay
in its own schema's table, as before.
"""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils.crypto import get_random_string

SESSION_KEY_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789"


class SessionStore(DatabaseSessionStore):
    def _get_new_session_key(self) -> str:
        return get_random_string(32, SESSION_KEY_CHARACTERS)

    def cycle_key(self) -> None:
        if self.session_key is None:
            # Never stored: nobody can hold its key, so there is nothing to fix; the session is created
            # (under a fresh key) when the response saves it.
            # SessionBase._session is a property the stubs leave out.
            self._session_cache = self._session  # type: ignore[attr-defined]
            self.modified = True
            return
        super().cycle_key()
