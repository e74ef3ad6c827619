"""Issue 20's "done when", tried as a new user would on the production stack: `lokator` pays the flat's due
amount online at the gateway simulator (the demo's Hutnik pays through its PayU), sees the balance settled
with one pending online payment, then `biuro` imports the accounting system's payments file holding the
same payment and the ledger shows exactly one payment of that amount.

The simulator's signed notification reaches the platform through nginx (TLS, the stack's own certificate)
on the platform's host, as a real gateway's would."""

import datetime
import re
import time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from .test_browser import HUTNIK, _login

pytestmark = pytest.mark.xdist_group("e2e")

PENDING = "wpłata online — oczekuje na zaksięgowanie"


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\N{NO-BREAK SPACE}", " "))


def _pln(amount: Decimal) -> str:
    """As the pages show an amount (the `pln` filter), spaces plain."""
    from billing_views.statement import money_pl

    return _plain(money_pl(amount))


def _history_rows(page, stack, unit_id: int, reference: str) -> list[str]:
    """The rows of the unit's full ledger (this year) that name `reference`."""
    page.goto(stack.url(HUTNIK, f"/rozrachunki/historia/?unit={unit_id}"))
    return [_plain(row.inner_text()) for row in page.locator("table.ledger tbody tr").filter(has_text=reference).all()]


def _caption(page) -> str:
    return _plain(page.locator("table.ledger caption").inner_text())


def test_lokator_pays_online_at_the_simulator_and_biuro_imports_the_same_payment_once(stack, page, screenshot,
                                                                                        tmp_path):
    _login(page, stack, "lokator", "Lokator2026")
    (flat_id, flat_code), = stack.sql("SELECT id, code FROM coop_hutnik.registry_unit WHERE code = 'WAWEL-1-12'")

    # From the home page: the flat's "Zapłać online", its whole balance prefilled.
    page.goto(stack.url(HUTNIK, "/konto/"))
    page.get_by_role("link", name="Zapłać online — ul. Wawel 1/12", exact=True).click()
    assert page.url.endswith(f"/platnosci/?unit={flat_id}")
    field = page.locator(f"#id_unit_{flat_id}")
    due = Decimal(field.input_value().replace(",", ".").replace("\N{NO-BREAK SPACE}", "").replace(" ", ""))
    (balance,), = stack.sql("SELECT coalesce(sum(amount), 0) FROM coop_hutnik.ledger_ledgerentry WHERE unit_id = %s",
                            (flat_id,))
    assert due == balance > 0
    screenshot(page, "online-payment-1-amount")
    page.get_by_role("button", name="Dalej").click()
    assert re.search(r"/platnosci/[0-9a-f-]{36}/$", page.url)
    reference = page.locator("dl.facts code").inner_text()
    assert re.fullmatch(r"IOK[0-9A-Z]{8}", reference)
    assert _pln(due) in _plain(page.locator("table tfoot").inner_text())
    screenshot(page, "online-payment-2-summary")

    # Off to the gateway: the simulator's page for this order, with the amount charged.
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{stack.simulator_url}/**")
    assert f"{due:.2f} PLN" in page.content()
    screenshot(page, "online-payment-3-simulator")
    page.get_by_role("button", name="Approve Payment").click()
    page.wait_for_url(re.compile(rf"^{re.escape(stack.url(HUTNIK, '/platnosci/'))}[0-9a-f-]{{36}}/wynik/"))
    assert page.get_by_role("heading", name="Dziękujemy: płatność została opłacona").is_visible()
    assert reference in page.content()
    screenshot(page, "online-payment-4-paid")
    # Decided by the gateway's signed notification (through nginx, on the platform's host), not by the return.
    (source,), = stack.sql("SELECT details->>'source' FROM coop_hutnik.audit_auditevent "
                           "WHERE action = 'online_payment.paid' AND target = %s", (reference,))
    assert source == "notification"
    assert re.search(r'"POST /platnosci/hutnik/powiadomienie/ HTTP/1\.1" 200 ',
                     (stack.root / "nginx" / "access.log").read_text())

    # On the ledger at once: settled, one pending online payment of the amount paid.
    rows = _history_rows(page, stack, flat_id, reference)
    assert len(rows) == 1 and PENDING in rows[0] and _pln(due) in rows[0], rows
    assert _pln(Decimal("0.00")) in _caption(page)
    screenshot(page, "online-payment-5-ledger-pending")

    # The accounting system's payments file brings the bank's copy, with the reference in the title.
    today = datetime.datetime.now(ZoneInfo("Europe/Warsaw")).date()
    payments = tmp_path / "hutnik-wplaty-online.csv"
    payments.write_text("spoldzielnia;id_zapisu;lokal;data;kwota;referencja;opis\n"
                        f"hutnik;W-ONLINE-{reference};{flat_code};{today:%d.%m.%Y};{f'{due:.2f}'.replace('.', ',')};"
                        f"{reference};Wpłata online PayU\n", encoding="utf-8")
    page.context.clear_cookies()
    _login(page, stack, "biuro", "hutnik-biuro-2026")
    page.goto(stack.url(HUTNIK, "/biuro/importy/"))
    page.locator("input[type=file]").set_input_files(str(payments))
    page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
    assert re.search(r"/biuro/importy/\d+/$", page.url)
    run_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    deadline = time.monotonic() + 60
    while (status := stack.sql("SELECT status FROM coop_hutnik.ledger_importrun WHERE id = %s",
                               (run_id,))[0][0]) in ("pending", "running") and time.monotonic() < deadline:
        time.sleep(0.5)
    assert status == "succeeded", stack.log("worker")[-3000:]
    page.reload()
    assert "1 wpłata online zaksięgowana" in _plain(page.content())
    screenshot(page, "online-payment-6-import")

    # Exactly one payment of that amount, the bank's copy; still settled.
    page.context.clear_cookies()
    _login(page, stack, "lokator", "Lokator2026")
    rows = _history_rows(page, stack, flat_id, reference)
    assert len(rows) == 1 and PENDING not in rows[0] and "Wpłata online PayU" in rows[0], rows
    assert _pln(due) in rows[0]
    assert _pln(Decimal("0.00")) in _caption(page)
    screenshot(page, "online-payment-7-ledger-booked")
    assert stack.sql("SELECT kind, amount, import_run_id FROM coop_hutnik.ledger_ledgerentry "
                     "WHERE unit_id = %s AND (reference = %s OR source_id LIKE %s)",
                     (flat_id, reference, f"online:{reference}:%")) == [("payment", -due, run_id)]
