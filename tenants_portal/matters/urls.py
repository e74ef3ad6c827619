"""URLs of the matters module (namespace "matters"; switched off → 404 on all of them)."""

from django.urls import path

from . import views

app_name = "matters"
urlpatterns = [
    path("sprawy/", views.resident_index, name="resident_list"),
    path("sprawy/nowa/", views.matter_topics, name="topics"),
    path("sprawy/nowa/<int:topic_id>/", views.matter_new, name="matter_new"),
    path("sprawy/<int:matter_id>/", views.resident_matter, name="resident_matter"),
    path("sprawy/<int:matter_id>/zalaczniki/<int:attachment_id>/", views.attachment, name="attachment"),
    path("sprawy/<int:matter_id>/zaswiadczenia/<int:certificate_id>.pdf", views.certificate_pdf,
         name="certificate_pdf"),
    path("biuro/sprawy/", views.staff_queue, name="staff_queue"),
    path("biuro/sprawy/przydziel/", views.staff_bulk_assign, name="staff_bulk_assign"),
    path("biuro/sprawy/rejestr/", views.staff_register, name="staff_register"),
    path("biuro/sprawy/rejestr/<int:year>.<str:extension>", views.staff_register_export,
         name="staff_register_export"),
    path("biuro/sprawy/tematy/", views.staff_topics, name="staff_topics"),
    path("biuro/sprawy/tematy/<int:topic_id>/", views.staff_topic, name="staff_topic"),
    path("biuro/sprawy/tematy/<int:topic_id>/szablony/<int:template_id>/usun/", views.staff_template_remove,
         name="staff_template_remove"),
    path("biuro/sprawy/<int:matter_id>/", views.staff_matter, name="staff_matter"),
    path("biuro/sprawy/<int:matter_id>/odpowiedz/", views.staff_reply, name="staff_reply"),
    path("biuro/sprawy/<int:matter_id>/status/", views.staff_status, name="staff_status"),
    path("biuro/sprawy/<int:matter_id>/przydzial/", views.staff_assign, name="staff_assign"),
    path("biuro/sprawy/<int:matter_id>/zaswiadczenie/", views.staff_certificate_issue, name="staff_certificate_issue"),
    path("biuro/sprawy/<int:matter_id>/zaswiadczenia/<int:certificate_id>/uniewaznij/",
         views.staff_certificate_revoke, name="staff_certificate_revoke"),
    path("biuro/sprawy/<int:matter_id>/zamknij-konto/", views.staff_account_close, name="staff_account_close"),
]
