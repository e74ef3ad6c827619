"""Generated files (hypothesis): for any file, the import stores exactly the documented merge of the file
into the previous state, or refuses it and changes nothing.

`make test` runs the `iok` profile; `make test-deep` sets HYPOTHESIS_PROFILE=deep for many more examples."""

import os
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billing_views.models import ImportRun, LedgerEntry
from tests.test_import_integrity import _schema_checksums
from tests.test_imports import CHARGES_HEADER, PAYMENTS_HEADER, _import

settings.register_profile("iok", max_examples=40, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
settings.register_profile("deep", max_examples=1500, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
# Only this module's tests take the profile (schemathesis, in the same run, keeps its own settings).
PROFILE = settings(settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "iok")))

DESCRIPTIONS = ["Opłata za wodę", "Źdźbło; „cytat”", "Zaliczka c.o.", "Żółć — zwrot", 'Uwaga "pilne"', "",
                "Wpłata\nw dwóch liniach"]

rows = st.lists(st.fixed_dictionaries({
    "id": st.sampled_from([f"H-{number}" for number in range(1, 7)]),
    "cents": st.integers(min_value=1, max_value=9_999_999),
    "grouped": st.booleans(),
    "description": st.sampled_from(DESCRIPTIONS),
    "encoding": st.sampled_from(["utf-8", "cp1250"]),
    "ending": st.sampled_from(["\r\n", "\r\n", "\n"]),
}), min_size=1, max_size=6)
files = st.fixed_dictionaries({
    "kind": st.sampled_from(["charges", "payments"]),
    "rows": rows,
    "bom": st.booleans(),
    "cut_letter": st.booleans(),
    "resend": st.one_of(st.none(), st.integers(min_value=0, max_value=50)),
})


def _amount(cents: int, grouped: bool) -> str:
    whole, fraction = divmod(cents, 100)
    digits = f"{whole:,}".replace(",", " ") if grouped else str(whole)
    return f"{digits},{fraction:02d}"


def _field(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(sign in text for sign in ';"\n') else text


def _build(spec) -> tuple[bytes, list[tuple[str, str, Decimal, str]], str | None]:
    """The file's bytes, the entries it means, and why it must be refused (None: it must be imported)."""
    kind = spec["kind"]
    header = CHARGES_HEADER if kind == "charges" else PAYMENTS_HEADER
    first_ending = spec["rows"][0]["ending"]
    data = (b"\xef\xbb\xbf" if spec["bom"] else b"") + (header + first_ending).encode()
    meant, refusal, encodings = [], None, set()
    for index, row in enumerate(spec["rows"]):
        amount = _amount(row["cents"], row["grouped"])
        description = row["description"]
        if kind == "charges":
            line = (f"alfa;{row['id']};ALFA-1-1;naliczenie;eksploatacja;10.2026;01.10.2026;{amount};"
                    f"{_field(description)}")
        else:
            line = f"alfa;{row['id']};ALFA-1-1;20.10.2026;{amount};;{_field(description)}"
        last = index == len(spec["rows"]) - 1
        data += (line + ("" if last else row["ending"])).encode(row["encoding"])
        if not description.isascii():
            encodings.add(row["encoding"])
        if not last and row["ending"] != first_ending:
            refusal = "line endings"
        value = Decimal(row["cents"]) / 100
        meant.append((row["id"], "charge" if kind == "charges" else "payment",
                      value if kind == "charges" else -value, description))
    if len(encodings) > 1 or (spec["bom"] and "cp1250" in encodings):
        refusal = "mixed encodings"
    last_row = spec["rows"][-1]
    if spec["cut_letter"] and last_row["encoding"] == "utf-8" and not last_row["description"][-1:].isascii():
        data = data[:-1]
        refusal = "cut in a letter"
    ids = [entry[0] for entry in meant]
    if len(set(ids)) != len(ids):
        refusal = refusal or "duplicates"
    return data, meant, refusal


def _ledger(coop) -> dict[str, tuple[str, Decimal, str]]:
    with coop.use():
        return {source: (kind, amount, description) for source, kind, amount, description in
                LedgerEntry.objects.values_list("source_id", "kind", "amount", "description")}


def _import_checked(coop, data: bytes, meant: list, refusal: str | None, *, resent: bool) -> bool:
    """Import one file and check the outcome against the documented merge; whether it was imported."""
    before_ledger, before = _ledger(coop), _schema_checksums(coop)
    kind_clash = any(source in before_ledger and before_ledger[source][0] != kind
                     for source, kind, _amount_, _text in meant)
    run = _import(coop, "", raw=data)
    expected = dict(before_ledger)
    expected.update({source: (kind, amount, text) for source, kind, amount, text in meant})
    if refusal or kind_clash:
        assert run.status == "failed", (refusal, kind_clash, run.message)
    elif resent and expected != before_ledger:
        assert run.status == "confirm", run.message
    else:
        assert run.status in ("succeeded", "unchanged"), run.report
        assert _ledger(coop) == expected
        return True
    assert _schema_checksums(coop) == before
    return False


def test_any_generated_file_is_imported_exactly_or_refused_with_nothing_changed(coop_a):
    # Each example is a short history from an empty ledger: two or three files, some sent again.
    @PROFILE
    @given(steps=st.lists(files, min_size=2, max_size=3))
    def check(steps):
        with coop_a.use():
            LedgerEntry.objects.all().delete()
            ImportRun.objects.all().delete()
        imported: list[tuple[bytes, list]] = []
        for spec in steps:
            data, meant, refusal = _build(spec)
            if spec["resend"] is not None and imported:
                data, meant = imported[spec["resend"] % len(imported)]
                refusal = None
            # The same bytes as a file imported before are that file sent again, however they were made.
            resent = any(data == earlier for earlier, _meant in imported)
            if _import_checked(coop_a, data, meant, refusal, resent=resent):
                imported.append((data, meant))

    check()
