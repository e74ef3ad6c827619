from django.dispatch import Signal

# Sent inside the closing transaction with `account`: receivers revoke what the account holds.
account_closed = Signal()
