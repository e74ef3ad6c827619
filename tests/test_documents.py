"""The document library: who sees which document, downloads checked like pages, the office's uploads."""

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from iok.uploads import cooperative_media_root
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.models import AuditEvent
from tenants_portal.configuration.models import InstanceSettings
from tenants_portal.configuration.selectors import instance_settings_forget
from tenants_portal.documents.models import Document
from tenants_portal.documents.services import document_archive, document_file_replace, document_upload

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
APPLICATION_FORM = "Application for granting or withdrawing access to the online account (IOK)"


def _pdf(text: str) -> bytes:
    return PDF + f"% {text}\n".encode()


def _add(coop, title: str, *, category: str = "statute", visibility: str = "public",
         date: datetime.date = datetime.date(2026, 3, 1), year: int | None = None, archived: bool = False,
         content: bytes | None = None) -> Document:
    with coop.use():
        document = document_upload(
            acting_user=coop.admin, category=category, title=title, document_date=date, year=year,
            visibility=visibility, upload=SimpleUploadedFile("plik.pdf", content or _pdf(title)))
        if archived:
            document = document_archive(acting_user=coop.admin, document=document)
    return document


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def _library(client, query: str = "") -> list[tuple[str, list[str]]]:
    response = client.get(f"/dokumenty/{query}")
    assert response.status_code == 200
    return [(group.category, [entry.title for entry in group.entries]) for group in response.context["groups"]]


def _stored_files(coop) -> set[str]:
    with coop.use():
        folder = cooperative_media_root() / "documents"
        return {path.name for path in folder.iterdir()} if folder.exists() else set()


@pytest.fixture
def library(coop_a):
    """Alfa's library: public, residents-only, archived and an uploaded form."""
    return {
        "statute": _add(coop_a, "Statut Spółdzielni", date=datetime.date(2019, 6, 15)),
        "resolution": _add(coop_a, "Uchwała WZ nr 5/2026", category="general_assembly", visibility="residents",
                           date=datetime.date(2026, 6, 13)),
        "old_resolution": _add(coop_a, "Uchwała WZ nr 3/2024", category="general_assembly",
                               date=datetime.date(2024, 6, 10)),
        "new_resolution": _add(coop_a, "Uchwała WZ nr 1/2025", category="general_assembly",
                               date=datetime.date(2025, 5, 20)),
        "archived": _add(coop_a, "Stary regulamin", category="regulations", archived=True),
        "statement": _add(coop_a, "Sprawozdanie finansowe za 2025 r.", category="financial",
                          date=datetime.date(2026, 3, 31), year=2025),
        "form": _add(coop_a, "Wniosek o zmianę liczby osób", category="forms", date=datetime.date(2024, 1, 2)),
    }


def test_anonymous_visitors_see_exactly_the_public_documents_not_archived(coop_a, library):
    assert _library(_english(coop_a.client())) == [
        ("statute", ["Statut Spółdzielni"]),
        ("general_assembly", ["Uchwała WZ nr 1/2025", "Uchwała WZ nr 3/2024"]),
        ("financial", ["Sprawozdanie finansowe za 2025 r."]),
        ("forms", [APPLICATION_FORM, "Wniosek o zmianę liczby osób"]),
    ]


@pytest.mark.parametrize("role", ["resident", "technician", "clerk"])
def test_signed_in_users_also_see_residents_only_documents_never_archived(coop_a, library, role):
    client = _english(coop_a.client_logged_in_as(getattr(coop_a, role)))
    assert _library(client) == [
        ("statute", ["Statut Spółdzielni"]),
        ("general_assembly", ["Uchwała WZ nr 5/2026", "Uchwała WZ nr 1/2025", "Uchwała WZ nr 3/2024"]),
        ("financial", ["Sprawozdanie finansowe za 2025 r."]),
        ("forms", [APPLICATION_FORM, "Wniosek o zmianę liczby osób"]),
    ]


def test_library_filters_by_category_year_and_title(coop_a, library):
    client = _english(coop_a.client_logged_in_as(coop_a.resident))
    assert _library(client, "?category=general_assembly") == [
        ("general_assembly", ["Uchwała WZ nr 5/2026", "Uchwała WZ nr 1/2025", "Uchwała WZ nr 3/2024"])]
    assert _library(client, "?year=2025") == [
        ("general_assembly", ["Uchwała WZ nr 1/2025"]), ("financial", ["Sprawozdanie finansowe za 2025 r."])]
    assert _library(client, "?q=uchwała+2024") == [("general_assembly", ["Uchwała WZ nr 3/2024"])]
    assert _library(client, "?q=wniosek") == [("forms", ["Wniosek o zmianę liczby osób"])]
    assert _library(client, "?q=access+application") == [("forms", [APPLICATION_FORM])]
    assert _library(client, "?q=nic-takiego") == []
    years = client.get("/dokumenty/").context["form"].fields["year"].choices
    assert [value for value, _label in years] == ["", 2026, 2025, 2024, 2019]


def test_the_access_application_form_is_the_first_form_and_links_to_the_generated_pdf(coop_a, library):
    client = _english(coop_a.client())
    page = client.get("/dokumenty/?category=forms")
    (forms,) = page.context["groups"]
    first = forms.entries[0]
    assert (first.title, first.url, first.built_in) == (APPLICATION_FORM, "/wniosek-o-dostep.pdf", True)
    html = page.content.decode()
    assert html.index('href="/wniosek-o-dostep.pdf"') < html.index(f'href="/dokumenty/{library["form"].pk}/plik/"')
    pdf = client.get(first.url)
    assert (pdf.status_code, pdf["Content-Type"], pdf.content[:5]) == (200, "application/pdf", b"%PDF-")


def test_the_access_application_form_is_listed_even_with_no_uploaded_forms(coop_a):
    assert _library(_english(coop_a.client())) == [("forms", [APPLICATION_FORM])]


def test_anonymous_visitor_downloads_a_public_document(coop_a, library):
    response = coop_a.client().get(f"/dokumenty/{library['statute'].pk}/plik/")
    assert (response.status_code, response["Content-Type"], response["Cache-Control"]) == (
        200, "application/pdf", "private, no-store")
    assert b"".join(response.streaming_content) == _pdf("Statut Spółdzielni")
    assert response["Content-Disposition"] == 'inline; filename="statut-spoldzielni.pdf"'


def test_anonymous_download_of_a_residents_only_document_is_the_same_404_as_a_missing_one(coop_a, library):
    client = coop_a.client()
    hidden = client.get(f"/dokumenty/{library['resolution'].pk}/plik/")
    missing = client.get("/dokumenty/999999/plik/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    resident = coop_a.client_logged_in_as(coop_a.resident).get(f"/dokumenty/{library['resolution'].pk}/plik/")
    assert resident.status_code == 200


def test_archived_documents_give_404_to_residents_but_the_office_keeps_them(coop_a, library):
    url = f"/dokumenty/{library['archived'].pk}/plik/"
    assert coop_a.client().get(url).status_code == 404
    assert coop_a.client_logged_in_as(coop_a.resident).get(url).status_code == 404
    assert coop_a.client_logged_in_as(coop_a.technician).get(url).status_code == 404
    assert coop_a.client_logged_in_as(coop_a.clerk).get(url).status_code == 200
    staff_list = coop_a.client_logged_in_as(coop_a.clerk).get("/biuro/dokumenty/?archived=on")
    assert [document.title for document in staff_list.context["page"]] == ["Stary regulamin"]


def test_another_cooperatives_document_id_is_404(coop_a, coop_b):
    theirs = _add(coop_b, "Statut Bety")
    with coop_a.use():
        assert not Document.objects.filter(pk=theirs.pk).exists()
    url = f"/dokumenty/{theirs.pk}/plik/"
    assert coop_a.client().get(url).status_code == 404
    assert coop_a.client_logged_in_as(coop_a.resident).get(url).status_code == 404
    admin = coop_a.client_logged_in_as(coop_a.admin)
    assert admin.get(url).status_code == 404
    assert admin.get(f"/biuro/dokumenty/{theirs.pk}/").status_code == 404
    assert admin.post(f"/biuro/dokumenty/{theirs.pk}/archiwizuj/").status_code == 404
    with coop_b.use():
        assert Document.objects.get(pk=theirs.pk).archived_at is None
    assert coop_b.client().get(url).status_code == 200


def _upload_data(**extra):
    return {"category": "regulations", "title": "Regulamin porządku domowego", "description": "",
            "document_date": "2021-04-08", "year": "", "visibility": "public",
            "file": SimpleUploadedFile("regulamin.pdf", _pdf("porządek")), **extra}


def test_clerk_uploads_a_document_stored_in_the_cooperatives_folder_and_audited(coop_a):
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    response = clerk.post("/biuro/dokumenty/nowy/", _upload_data())
    assert response.status_code == 302 and response["Location"] == "/biuro/dokumenty/"
    with coop_a.use():
        document = Document.objects.get()
        assert (document.category, document.title, document.document_date, document.year, document.visibility,
                document.content_type, document.file_size, document.original_name, document.uploaded_by) == (
            "regulations", "Regulamin porządku domowego", datetime.date(2021, 4, 8), 2021, "public",
            "application/pdf", len(_pdf("porządek")), "regulamin.pdf", coop_a.clerk)
        assert (cooperative_media_root() / document.file_path).read_bytes() == _pdf("porządek")
        assert Path(document.file_path).parent == Path("documents")
        assert Path(document.file_path).name != "regulamin.pdf"
        assert list(AuditEvent.objects.filter(action__startswith="document").values_list(
            "action", "actor_login", "target")) == [
            (AuditAction.DOCUMENT_UPLOADED, "biuro", "Regulamin porządku domowego")]
    assert _library(_english(coop_a.client()), "?category=regulations") == [
        ("regulations", ["Regulamin porządku domowego"])]


@pytest.mark.parametrize(("name", "content", "message"), [
    ("virus.exe", b"MZ\x90\x00\x03\x00\x00\x00 not a document",
     "“virus.exe” is neither a PDF document nor a photo (JPEG, PNG, WebP)."),
    ("notatka.txt", "Zwykły tekst, nie PDF.".encode(),
     "“notatka.txt” is neither a PDF document nor a photo (JPEG, PNG, WebP)."),
    ("fake.pdf", b"<html>not really a pdf</html>",
     "“fake.pdf” is neither a PDF document nor a photo (JPEG, PNG, WebP)."),
])
def test_upload_refuses_what_is_not_a_pdf_or_image_and_stores_nothing(coop_a, name, content, message):
    before = _stored_files(coop_a)
    clerk = _english(coop_a.client_logged_in_as(coop_a.clerk))
    response = clerk.post("/biuro/dokumenty/nowy/", _upload_data(file=SimpleUploadedFile(name, content)))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"file": [message]}
    assert form["title"].value() == "Regulamin porządku domowego"  # what was typed is kept
    assert message in response.content.decode().replace("&ldquo;", "“").replace("&rdquo;", "”")
    with coop_a.use():
        assert not Document.objects.exists()
        assert not AuditEvent.objects.filter(action__startswith="document").exists()
    assert _stored_files(coop_a) == before


def test_upload_refuses_a_file_over_the_size_limit(coop_a, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    clerk = _english(coop_a.client_logged_in_as(coop_a.clerk))
    big = SimpleUploadedFile("duzy.pdf", PDF + b"0" * (1024 * 1024))
    response = clerk.post("/biuro/dokumenty/nowy/", _upload_data(file=big))
    assert response.context["form"].errors == {"file": ["The file is larger than 1 MB."]}
    with coop_a.use():
        assert not Document.objects.exists()


def test_upload_without_a_title_or_file_says_what_is_missing(coop_a):
    before = _stored_files(coop_a)
    clerk = _english(coop_a.client_logged_in_as(coop_a.clerk))
    response = clerk.post("/biuro/dokumenty/nowy/", _upload_data(title="  "))
    assert response.context["form"].errors == {"title": ["This field is required."]}
    data = _upload_data()
    del data["file"]
    response = clerk.post("/biuro/dokumenty/nowy/", data)
    assert response.context["form"].errors == {"file": ["This field is required."]}
    with coop_a.use():
        assert not Document.objects.exists()
    assert _stored_files(coop_a) == before


@pytest.mark.parametrize("role", ["resident", "technician"])
def test_residents_and_technicians_cannot_manage_documents(coop_a, library, role):
    client = coop_a.client_logged_in_as(getattr(coop_a, role))
    statute = library["statute"]
    before = _stored_files(coop_a)
    assert client.get("/biuro/dokumenty/").status_code == 403
    assert client.get("/biuro/dokumenty/nowy/").status_code == 403
    assert client.post("/biuro/dokumenty/nowy/", _upload_data()).status_code == 403
    assert client.post(f"/biuro/dokumenty/{statute.pk}/", {
        "category": "statute", "title": "Zmieniony", "document_date": "2019-06-15", "visibility": "residents",
    }).status_code == 403
    assert client.post(f"/biuro/dokumenty/{statute.pk}/plik/", {
        "file": SimpleUploadedFile("x.pdf", _pdf("inny"))}).status_code == 403
    assert client.post(f"/biuro/dokumenty/{statute.pk}/archiwizuj/").status_code == 403
    assert client.post(f"/biuro/dokumenty/{library['archived'].pk}/przywroc/").status_code == 403
    with coop_a.use():
        assert Document.objects.count() == len(library)
        statute_now = Document.objects.get(pk=statute.pk)
        assert (statute_now.title, statute_now.visibility, statute_now.file_path, statute_now.archived_at) == (
            "Statut Spółdzielni", "public", statute.file_path, None)
        assert Document.objects.get(pk=library["archived"].pk).archived_at is not None
        assert AuditEvent.objects.filter(action__startswith="document").count() == len(library) + 1
    assert _stored_files(coop_a) == before


def test_anonymous_visitors_are_sent_to_sign_in_for_the_office_pages(coop_a, library):
    response = coop_a.client().get("/biuro/dokumenty/")
    assert response.status_code == 302 and response["Location"].startswith("/logowanie/")


def test_staff_edit_the_description_and_it_is_audited(coop_a, library):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    statute = library["statute"]
    response = admin.post(f"/biuro/dokumenty/{statute.pk}/", {
        "category": "statute", "title": "Statut Spółdzielni (tekst jednolity)", "description": "Po zmianach.",
        "document_date": "2019-06-15", "year": "", "visibility": "residents"})
    assert response.status_code == 302
    with coop_a.use():
        statute = Document.objects.get(pk=statute.pk)
        assert (statute.title, statute.description, statute.year, statute.visibility) == (
            "Statut Spółdzielni (tekst jednolity)", "Po zmianach.", 2019, "residents")
        event = AuditEvent.objects.get(action=AuditAction.DOCUMENT_CHANGED)
        assert event.details == {"document": statute.pk, "changed": {
            "title": ["Statut Spółdzielni", "Statut Spółdzielni (tekst jednolity)"],
            "description": ["", "Po zmianach."], "visibility": ["public", "residents"]}}
    assert _library(_english(coop_a.client()), "?category=statute") == []


def test_staff_replace_the_file_and_the_old_one_is_removed(coop_a, library, django_capture_on_commit_callbacks):
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    statute = library["statute"]
    with django_capture_on_commit_callbacks(execute=True):
        response = clerk.post(f"/biuro/dokumenty/{statute.pk}/plik/",
                              {"file": SimpleUploadedFile("nowy.pdf", _pdf("nowa wersja"))})
    assert response.status_code == 302
    with coop_a.use():
        replaced = Document.objects.get(pk=statute.pk)
        assert (replaced.original_name, replaced.file_size) == ("nowy.pdf", len(_pdf("nowa wersja")))
        assert not (cooperative_media_root() / statute.file_path).exists()
        assert AuditEvent.objects.filter(action=AuditAction.DOCUMENT_FILE_REPLACED,
                                         target="Statut Spółdzielni").count() == 1
    download = coop_a.client().get(f"/dokumenty/{statute.pk}/plik/")
    assert b"".join(download.streaming_content) == _pdf("nowa wersja")


def test_replacing_with_a_wrong_file_keeps_the_old_one(coop_a, library):
    clerk = _english(coop_a.client_logged_in_as(coop_a.clerk))
    statute = library["statute"]
    response = clerk.post(f"/biuro/dokumenty/{statute.pk}/plik/",
                          {"file": SimpleUploadedFile("zly.txt", b"tekst")})
    assert response.context["file_form"].errors == {
        "file": ["“zly.txt” is neither a PDF document nor a photo (JPEG, PNG, WebP)."]}
    with coop_a.use():
        assert Document.objects.get(pk=statute.pk).file_path == statute.file_path


def test_an_upload_whose_transaction_rolls_back_leaves_no_file(coop_a):
    before = _stored_files(coop_a)
    with pytest.raises(RuntimeError), coop_a.use(), transaction.atomic():
        document = document_upload(acting_user=coop_a.admin, category="statute", title="Statut", visibility="public",
                                   document_date=datetime.date(2026, 3, 1), upload=SimpleUploadedFile("s.pdf", PDF))
        assert (cooperative_media_root() / document.file_path).read_bytes() == PDF
        raise RuntimeError("the surrounding transaction fails after the upload")
    assert _stored_files(coop_a) == before


def test_a_replacement_whose_transaction_rolls_back_leaves_no_file_and_keeps_the_old_one(coop_a, library,
                                                                                        monkeypatch):
    statute = library["statute"]
    before = _stored_files(coop_a)

    def audit_fails(**kwargs):
        raise RuntimeError("the audit row cannot be written")

    monkeypatch.setattr("tenants_portal.documents.services.audit_record", audit_fails)
    with pytest.raises(RuntimeError), coop_a.use():
        document_file_replace(acting_user=coop_a.admin, document=statute,
                              upload=SimpleUploadedFile("nowy.pdf", _pdf("nowa wersja")))
    assert _stored_files(coop_a) == before
    with coop_a.use():
        assert Document.objects.get(pk=statute.pk).file_path == statute.file_path


def test_archive_and_unarchive(coop_a, library):
    clerk = coop_a.client_logged_in_as(coop_a.clerk)
    statute = library["statute"]
    assert clerk.post(f"/biuro/dokumenty/{statute.pk}/archiwizuj/").status_code == 302
    assert coop_a.client().get(f"/dokumenty/{statute.pk}/plik/").status_code == 404
    assert [title for _category, titles in _library(coop_a.client()) for title in titles
            if title == "Statut Spółdzielni"] == []
    assert [document.title for document in clerk.get("/biuro/dokumenty/?category=statute").context["page"]] == []
    assert clerk.post(f"/biuro/dokumenty/{statute.pk}/przywroc/").status_code == 302
    assert coop_a.client().get(f"/dokumenty/{statute.pk}/plik/").status_code == 200
    with coop_a.use():
        assert list(AuditEvent.objects.filter(
                        action__in=[AuditAction.DOCUMENT_ARCHIVED, AuditAction.DOCUMENT_UNARCHIVED],
                        target="Statut Spółdzielni")
                    .order_by("id").values_list("action", "actor_login")) == [
            (AuditAction.DOCUMENT_ARCHIVED, "biuro"), (AuditAction.DOCUMENT_UNARCHIVED, "biuro")]


def test_staff_pages_render(coop_a, library):
    admin = coop_a.client_logged_in_as(coop_a.admin)
    page = admin.get("/biuro/dokumenty/")
    assert [document.title for document in page.context["page"]] == [
        "Uchwała WZ nr 5/2026", "Sprawozdanie finansowe za 2025 r.", "Uchwała WZ nr 1/2025", "Uchwała WZ nr 3/2024",
        "Wniosek o zmianę liczby osób", "Statut Spółdzielni"]
    assert admin.get("/biuro/dokumenty/nowy/").status_code == 200
    assert admin.get(f"/biuro/dokumenty/{library['statute'].pk}/").status_code == 200


def _module_off(coop):
    with coop.use():
        InstanceSettings.objects.filter(pk=1).update(module_documents=False)
        instance_settings_forget()


def test_module_switched_off_answers_404_on_every_route(coop_a, library):
    document_id = library["statute"].pk
    _module_off(coop_a)
    routes = [("get", "/dokumenty/"), ("get", f"/dokumenty/{document_id}/plik/"), ("get", "/biuro/dokumenty/"),
              ("get", "/biuro/dokumenty/nowy/"), ("post", "/biuro/dokumenty/nowy/"),
              ("get", f"/biuro/dokumenty/{document_id}/"), ("post", f"/biuro/dokumenty/{document_id}/"),
              ("post", f"/biuro/dokumenty/{document_id}/plik/"),
              ("post", f"/biuro/dokumenty/{document_id}/archiwizuj/"),
              ("post", f"/biuro/dokumenty/{document_id}/przywroc/")]
    admin = coop_a.client_logged_in_as(coop_a.admin)
    resident = coop_a.client_logged_in_as(coop_a.resident)
    anonymous = coop_a.client()
    for client in (admin, resident, anonymous):
        for method, url in routes:
            assert getattr(client, method)(url).status_code == 404, (method, url)
    with coop_a.use():
        assert Document.objects.get(pk=document_id).archived_at is None
