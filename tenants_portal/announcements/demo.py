import datetime


def demo_ensure(*, slug: str, holdings: dict, today: datetime.date) -> list[str]:
    """Create this module's demo data for the cooperative (idempotent); returns lines for the log."""
    return []
