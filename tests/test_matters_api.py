"""The matters module's API: a resident files a matter with the topic's fields (the page's rules and words),
replies and fetches attachments of their own matters only; another resident's matter is 404."""

import datetime

import time_machine

from tenants_portal.configuration.models import InstanceSettings
from tenants_portal.configuration.selectors import instance_settings_forget
from tenants_portal.matters import services
from tenants_portal.matters.models import Matter, MatterAttachment, MatterTopic, TopicKind
from tenants_portal.registry.models import Unit

from .api_world import PDF, api_client, token_for

NOW = datetime.datetime(2027, 3, 17, 10, 0, tzinfo=datetime.UTC)


def _setup(coop) -> tuple[int, int, int]:
    with coop.use():
        InstanceSettings.objects.filter(pk=1).update(module_matters=True)
        instance_settings_forget()
        return (MatterTopic.objects.get(kind=TopicKind.PEOPLE).pk, MatterTopic.objects.get(kind=TopicKind.OTHER).pk,
                Unit.objects.get(code="ALFA-1-1").pk)


@time_machine.travel(NOW, tick=False)
def test_a_resident_files_a_matter_through_the_api_and_the_topics_fields_are_checked_in_polish(coop_a):
    people, _other, flat = _setup(coop_a)
    client = api_client(coop_a, token=token_for(coop_a, coop_a.resident))
    refused = client.post("/api/v1/matters/", {"topic": people, "unit": flat,
                                               "topic_fields": {"people": -1, "effective_from": "2027-02-01"}},
                          content_type="application/json")
    assert refused.status_code == 400
    assert sorted((error["attr"], error["code"], error["detail"]) for error in refused.json()["errors"]) == [
        ("topic_fields.effective_from", "past_month",
         "Zmiana nie może obowiązywać od minionego miesiąca: proszę wybrać 01.03.2027 lub później."),
        ("topic_fields.people", "min_value", "Liczba osób nie może być ujemna.")]
    with coop_a.use():
        assert not Matter.objects.filter(year=2027).exists()

    created = client.post("/api/v1/matters/", {"topic": people, "unit": flat,
                                               "topic_fields": {"people": 2, "effective_from": "2027-04-01"}},
                          content_type="application/json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["register_number"], body["status"], body["topic_fields"]) == (
        "KOR/2027/00001", "received", {"people": 2, "effective_from": "2027-04-01"})
    assert "KOR/2027/00001" in [matter["register_number"] for matter in client.get("/api/v1/matters/").json()[
        "results"]]
    reply = client.post(f"/api/v1/matters/{body['id']}/replies/", {"text": "Dosyłam deklarację."},
                        content_type="application/json")
    assert (reply.status_code, reply.json()["kind"]) == (201, "resident_reply")


@time_machine.travel(NOW, tick=False)
def test_another_residents_matter_and_its_attachment_are_404_in_the_api(coop_a):
    _people, other, flat = _setup(coop_a)
    with coop_a.use():
        from iok.uploads import CheckedUpload

        matter = services.matter_create(
            acting_user=coop_a.resident, topic=MatterTopic.objects.get(pk=other), unit=Unit.objects.get(pk=flat),
            fields={}, subject="Prywatne", description="Tylko moje.",
            attachments=[CheckedUpload(data=PDF, content_type="application/pdf", extension="pdf", name="skan.pdf")])
        attachment = MatterAttachment.objects.get(matter=matter)
    owner = api_client(coop_a, token=token_for(coop_a, coop_a.resident))
    assert owner.get(f"/api/v1/matters/{matter.pk}/attachments/{attachment.pk}/").status_code == 200
    outsider = api_client(coop_a, token=token_for(coop_a, coop_a.outsider))
    assert outsider.get(f"/api/v1/matters/{matter.pk}/").status_code == 404
    assert outsider.get(f"/api/v1/matters/{matter.pk}/attachments/{attachment.pk}/").status_code == 404
    assert outsider.post(f"/api/v1/matters/{matter.pk}/replies/", {"text": "Wtrącam się."},
                         content_type="application/json").status_code == 404
    assert matter.pk not in [listed["id"] for listed in outsider.get("/api/v1/matters/").json()["results"]]
    with coop_a.use():
        assert matter.entries.count() == 1


def test_the_api_of_the_module_switched_off_answers_404(coop_a):
    with coop_a.use():
        InstanceSettings.objects.filter(pk=1).update(module_matters=False)
        instance_settings_forget()
    client = api_client(coop_a, token=token_for(coop_a, coop_a.resident))
    assert client.get("/api/v1/matters/").status_code == 404
