from django.dispatch import Signal

# Sent inside the closing transaction with `account`: receivers revoke what the account holds.
account_closed = Signal()

# Sent with `user` whenever a saved password hash replaces another, on every path that changes a
# password (the user's own change, an e-mailed reset, the office's new one-time password,
# `manage.py changepassword`): receivers revoke what the old password let in.
password_changed = Signal()
