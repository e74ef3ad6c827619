"""The Polish the platform speaks: formal ("Państwo" or impersonal), in the right grammatical case, with
contexts where one English word has two Polish meanings, labels without stray colons."""

import gettext
import re
from pathlib import Path

import pytest
from django import forms
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

from cooperatives.models import Cooperative
from operators.services import cooperative_suspend
from tenants_portal.accounts.models import User
from tenants_portal.configuration.models import InstanceSettings
from tenants_portal.configuration.selectors import instance_settings_forget
from tenants_portal.meters.models import Meter
from tenants_portal.registry.models import Unit

from .conftest import PASSWORD, sign_in_with_code, totp_device_give

CATALOGUES = sorted(path for path in Path(__file__).resolve().parent.parent.glob("**/locale/pl/LC_MESSAGES/django.mo")
                    if ".venv" not in path.parts)

# Second person singular: the pronouns anywhere; the verb forms that address the reader as "ty" in sentences
# (a short button or link label in the imperative, "Zapisz", is the usual register of Polish interfaces).
PRONOUNS = re.compile(r"\b(ty|ci|cię|ciebie|tobie|tobą|twój|twoja|twoje|twojego|twojej|twoim|twoich|twoimi)\b",
                      re.IGNORECASE)
VERBS = re.compile(r"\b(możesz|musisz|jesteś|masz|chcesz|zostaniesz|zobaczysz|dostaniesz|wpisz|wprowadź|podaj|"
                   r"wybierz|zaznacz|upewnij|sprawdź|popraw|spróbuj|skontaktuj|kliknij|przyjmiesz|wydasz|"
                   r"zamkniesz|odblokujesz)\b", re.IGNORECASE)


def _informal(text: str) -> bool:
    return bool(PRONOUNS.search(text) or (len(text.split()) > 3 and VERBS.search(text)))


def _polish(client: Client) -> Client:
    client.cookies["django_language"] = "pl"
    return client


def test_the_catalogues_address_people_formally():
    assert CATALOGUES, "no compiled Polish catalogue found"
    informal = []
    for path in CATALOGUES:
        with path.open("rb") as handle:
            catalogue = gettext.GNUTranslations(handle)._catalog
        for key, text in catalogue.items():
            if key and _informal(text):
                informal.append((path.parent.parent.parent.parent.name, text))
    assert informal == []


def test_a_heat_cost_allocators_units_are_not_the_registrys_units():
    with translation.override("pl"):
        assert Meter(kind=Meter.Kind.HEAT_ALLOCATOR).measure == "jedn."
        assert Meter(kind=Meter.Kind.COLD_WATER).measure == "m³"
        assert str(Unit._meta.verbose_name_plural) == "lokale"


def test_the_notice_choices_read_in_the_locative_after_their_legend(coop_a):
    page = _polish(coop_a.client_logged_in_as(coop_a.resident)).get("/konto/powiadomienia/")
    html = page.content.decode()
    assert "<legend>Proszę wysyłać mi e-maile o</legend>" in html
    labels = re.findall(r'<label for="id_[a-z_]+">([^<]+)</label>', html)
    assert labels == ["ogłoszeniach zarządcy", "zmianach statusu moich zgłoszeń awarii", "rozpoczęciu okresu odczytów",
                      "odpowiedziach i zmianach statusu w moich sprawach"]


@pytest.mark.parametrize("host", ["alfa.localhost", "localhost"])
def test_a_failed_sign_in_is_told_formally(coop_a, host):
    refused = _polish(Client(HTTP_HOST=host)).post("/logowanie/", {"username": "lokator", "password": "zle-haslo-1"})
    assert refused.status_code == 200
    assert refused.context["form"].non_field_errors() == [
        "Identyfikator lub hasło są nieprawidłowe. Prosimy sprawdzić oba pola (wielkość liter ma znaczenie) "
        "i spróbować ponownie."]


def _operator() -> User:
    operator = User(username="operator", role=User.Role.OPERATOR)
    operator.set_password(PASSWORD)
    operator.save()
    totp_device_give(operator)
    return operator


def test_the_suspension_confirmation_names_the_cooperative_after_a_colon(coop_a):
    _operator()
    client = sign_in_with_code(_polish(Client(HTTP_HOST="localhost")), username="operator")
    page = client.get("/operator/spoldzielnie/alfa/zawies/").content.decode()
    assert ("Potwierdzam zawieszenie od teraz obsługi spółdzielni: Spółdzielnia Mieszkaniowa „Alfa”. Jej mieszkańcy "
            "i pracownicy zobaczą tylko komunikat o zawieszeniu.") in page
    assert "zawieś teraz" not in page


def test_field_labels_carry_no_appended_colon(coop_a):
    page = _polish(coop_a.client_logged_in_as(coop_a.clerk)).get("/biuro/odczyty/")
    html = page.content.decode()
    assert '<label for="id_status">Status</label>' in html
    assert not re.search(r"<label[^>]*>[^<]*:</label>", html)


class _Form(forms.Form):
    accept = forms.BooleanField(label="Przeczytałem regulamin.")
    name = forms.CharField(label="Nazwisko")


def test_the_error_summary_links_each_field_without_doubling_its_punctuation():
    with translation.override("pl"):
        html = render_to_string("includes/form_errors.html", {"form": _Form(data={})})
    assert '<p><a href="#id_accept">Przeczytałem regulamin.</a></p>' in html
    assert '<p><a href="#id_name">Nazwisko</a></p>' in html
    assert ".:" not in html


def test_the_login_page_advertises_only_the_modules_that_are_on(coop_b):
    with coop_b.use():
        InstanceSettings.objects.filter(pk=1).update(module_meters=False, module_documents=False)
        instance_settings_forget()
    html = _polish(coop_b.client()).get("/logowanie/").content.decode()
    items = re.findall(r"<li>([^<]+)</li>", html.split('<ul class="login-features">')[1].split("</ul>")[0])
    assert items == ["rozrachunki swoich lokali", "zgłoszenia awarii", "ogłoszenia zarządcy"]


def test_the_suspension_notice_gives_the_offices_phone_numbers(coop_a):
    cooperative_suspend(cooperative=Cooperative.objects.get(slug="alfa"), acting_user=_operator(), reason="Test")
    page = _polish(coop_a.client()).get("/")
    assert page.status_code == 403
    html = page.content.decode()
    assert "Administracja Alfa" in html and '<a href="tel:320000000">32 000 00 00</a>' in html
