"""Each topic kind's own fields: one form class per kind, the same rules for the page and the API.

The cleaned fields are kept on the matter as JSON (dates as ISO strings); `fields_summary` reads them back
as labelled lines for the matter's page, the register and the e-mails.

The change of the number of people takes effect from the first day of a month, not earlier than the current
month: the fees for waste and water are monthly, and the office recalculates a month's charge only from a
month's start (a change reported late in the month still counts for that month, as the cooperatives' own
declaration forms have it). At most a year ahead: a declaration about a distant future is not one."""

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import iban
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumValidationError

from iok.forms import DateInput

from .models import TopicKind

MAX_PEOPLE = 50
PEOPLE_MONTHS_AHEAD = 12


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _months_later(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def polish_account_clean(value: str) -> str:
    """A Polish bank account (NRB, 26 digits, or the same as an IBAN with PL) checked by its check digits;
    the 26 digits without spaces."""
    compact = "".join(value.split()).upper().replace("-", "")
    compact = compact.removeprefix("PL")
    if not compact.isdigit() or len(compact) != 26:
        raise ValidationError(_("A Polish bank account number has 26 digits (you may start it with PL)."),
                              code="account_format")
    try:
        iban.validate("PL" + compact)
    except InvalidChecksum:
        raise ValidationError(_("This account number has wrong check digits: please check it against your bank's "
                                "statement."), code="account_checksum") from None
    except StdnumValidationError:
        raise ValidationError(_("A Polish bank account number has 26 digits (you may start it with PL)."),
                              code="account_format") from None
    return compact


class TopicFieldsForm(forms.Form):
    """The fields of one topic kind; `today` is the cooperative's day (Europe/Warsaw)."""

    def __init__(self, *args: Any, today: datetime.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def as_json(self) -> dict[str, Any]:
        return {name: value.isoformat() if isinstance(value, datetime.date) else value
                for name, value in self.cleaned_data.items()}


class PeopleFields(TopicFieldsForm):
    people = forms.IntegerField(
        label=_("Number of people living in the unit"), min_value=0, max_value=MAX_PEOPLE,
        error_messages={"required": _("Give the number of people living in the unit."),
                        "invalid": _("Give the number of people as a whole number."),
                        "min_value": _("The number of people cannot be negative."),
                        "max_value": _("The number of people cannot be more than %(limit_value)s.")})
    effective_from = forms.DateField(
        label=_("From"), widget=DateInput, help_text=_("The first day of the month from which the change applies."),
        error_messages={"required": _("Give the date from which the change applies."),
                        "invalid": _("Give the date as day, month and year.")})

    def clean_effective_from(self) -> datetime.date:
        day = self.cleaned_data["effective_from"]
        if day.day != 1:
            raise ValidationError(_("A change applies from the first day of a month: choose the 1st."),
                                  code="not_month_start")
        earliest, latest = _month_start(self.today), _months_later(self.today, PEOPLE_MONTHS_AHEAD)
        if day < earliest:
            raise ValidationError(_("A change cannot apply from a past month: choose %(earliest)s or later.")
                                  % {"earliest": earliest.strftime("%d.%m.%Y")}, code="past_month")
        if day > latest:
            raise ValidationError(_("A change can be reported at most a year ahead: choose %(latest)s or earlier.")
                                  % {"latest": latest.strftime("%d.%m.%Y")}, code="too_far")
        return day


class RefundFields(TopicFieldsForm):
    account = forms.CharField(
        label=_("Bank account for the refund"), max_length=40,
        help_text=_("26 digits, e.g. 61 1090 1014 0000 0712 1981 2874."),
        error_messages={"required": _("Give the bank account for the refund.")})
    account_holder = forms.CharField(
        label=_("Account holder"), max_length=200,
        error_messages={"required": _("Give the name of the account holder.")})

    def clean_account(self) -> str:
        return polish_account_clean(self.cleaned_data["account"])


class RenovationFields(TopicFieldsForm):
    scope = forms.CharField(
        label=_("Scope of the works"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Describe the scope of the works.")})
    date_from = forms.DateField(label=_("Works from"), widget=DateInput,
                                error_messages={"required": _("Give the date the works start."),
                                                "invalid": _("Give the date as day, month and year.")})
    date_to = forms.DateField(label=_("Works until"), widget=DateInput,
                              error_messages={"required": _("Give the date the works end."),
                                              "invalid": _("Give the date as day, month and year.")})

    def clean_date_from(self) -> datetime.date:
        day = self.cleaned_data["date_from"]
        if day < self.today:
            raise ValidationError(_("The works cannot start in the past: consent is asked for before them."),
                                  code="past_start")
        return day

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        start, end = self.cleaned_data.get("date_from"), self.cleaned_data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", ValidationError(_("The works cannot end before they start."),
                                                      code="end_before_start"))
        return cleaned


class CertificateFields(TopicFieldsForm):
    purpose = forms.CharField(label=_("What the certificate is for (optional)"), max_length=200, required=False,
                              help_text=_("E.g. for a notary or a bank."))


class AccessWithdrawalFields(TopicFieldsForm):
    """The regulation's application for closing the IOK account (point 11: at the resident's request)."""

    confirm = forms.BooleanField(
        label=_("I ask for my IOK account to be closed. I know that I will no longer be able to sign in."),
        error_messages={"required": _("Confirm that you ask for your IOK account to be closed.")})

    def as_json(self) -> dict[str, Any]:
        return {"confirm": True}


class OtherFields(TopicFieldsForm):
    pass


FIELD_FORMS: dict[str, type[TopicFieldsForm]] = {
    TopicKind.PEOPLE: PeopleFields,
    TopicKind.REFUND: RefundFields,
    TopicKind.RENOVATION: RenovationFields,
    TopicKind.CERTIFICATE: CertificateFields,
    TopicKind.ACCESS_WITHDRAWAL: AccessWithdrawalFields,
    TopicKind.OTHER: OtherFields,
}


def topic_fields_form(kind: str, data: Any = None, *, today: datetime.date, prefix: str | None = None
                      ) -> TopicFieldsForm:
    return FIELD_FORMS[kind](data, today=today, prefix=prefix)


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return datetime.date.fromisoformat(value).strftime("%d.%m.%Y")
        except ValueError:
            return value
    return str(value)


def fields_summary(*, kind: str, fields: dict[str, Any]) -> list[tuple[str, str]]:
    """The topic's fields as (label, value) lines, in the form's order."""
    form_class = FIELD_FORMS.get(kind, OtherFields)
    return [(str(field.label), _shown(fields[name])) for name, field in form_class.base_fields.items()
            if name in fields and fields[name] not in ("", None)]
