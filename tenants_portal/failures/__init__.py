"""Failure reports (zgłoszenia awarii): residents report, staff work the queue."""
