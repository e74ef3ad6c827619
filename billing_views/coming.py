"""Fees announced for a coming month, shown on the resident's ledger page beside the current fee and in its
chart. The ledger does not know where they come from: a module that announces fee changes (fee_notices, above
this layer) registers a provider in its AppConfig.ready(), as the import formats register with the engine."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from tenants_portal.accounts.models import User
from tenants_portal.registry.models import Unit


@dataclass(frozen=True)
class ComingFeeLine:
    component: str
    current_amount: Decimal
    new_amount: Decimal

    @property
    def difference(self) -> Decimal:
        return self.new_amount - self.current_amount


class LinesTotals:
    """The totals of a list of fee lines (`lines`): now, from the change's month, and the difference."""

    lines: list[ComingFeeLine]

    @property
    def current_total(self) -> Decimal:
        return sum((line.current_amount for line in self.lines), Decimal("0.00"))

    @property
    def new_total(self) -> Decimal:
        return sum((line.new_amount for line in self.lines), Decimal("0.00"))

    @property
    def difference(self) -> Decimal:
        return self.new_total - self.current_total


@dataclass(frozen=True)
class ComingFee(LinesTotals):
    """A change of the unit's fee from `effective_month`, announced to the resident: its heading ("Change of
    fees from 1 April 2027"), the components it changes and the page that gives notice of it."""

    effective_month: datetime.date
    heading: str
    lines: list[ComingFeeLine]
    url: str



ComingFeesProvider = Callable[..., list[ComingFee]]
_PROVIDERS: list[ComingFeesProvider] = []


def coming_fees_register(provider: ComingFeesProvider) -> None:
    """`provider(*, user, unit, today)` answers the changes announced to `user` for `unit` not yet in effect."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def coming_fees(*, user: User, unit: Unit, today: datetime.date) -> list[ComingFee]:
    """Every provider's coming changes of the unit's fee, the nearest first."""
    found = [fee for provider in _PROVIDERS for fee in provider(user=user, unit=unit, today=today)]
    return sorted(found, key=lambda fee: fee.effective_month)


def fee_months_coming(*, current_total: Decimal, coming: list[ComingFee]) -> list[tuple[datetime.date, Decimal]]:
    """The monthly fee from each coming month on: today's fee with the differences announced up to that month."""
    months: dict[datetime.date, Decimal] = {}
    total = current_total
    for fee in coming:
        total += fee.difference
        months[fee.effective_month] = total
    return sorted(months.items())
