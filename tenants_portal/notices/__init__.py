"""Notices to residents and staff: one way to send them, and each resident's choices of what to get.

This first version sends after commit through Django's mail backend; the outbox with at-most-once
delivery, retries and batching (issue 6) replaces the sending behind the same function.
"""
