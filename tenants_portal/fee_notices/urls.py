"""URLs of the fee-change notices module (namespace "fee_notices"; switched off → 404 on all of them)."""

from django.urls import path

from . import staff_views, staff_views_paper, views

app_name = "fee_notices"
urlpatterns = [
    # The resident's notices.
    path("oplaty/zmiany/<int:notice_id>/", views.notice_view, name="resident_notice"),
    path("oplaty/zmiany/<int:notice_id>/zawiadomienie.pdf", views.notice_letter_view, name="resident_letter"),
    path("oplaty/zmiany/<int:notice_id>/uzasadnienie.pdf", views.notice_justification_view,
         name="resident_justification"),
    # The office: letters on paper and their delivery register.
    path("biuro/zmiany-oplat/<int:change_id>/podglad/<int:unit_id>.pdf", staff_views_paper.letter_preview_view,
         name="letter_preview"),
    path("biuro/zmiany-oplat/zawiadomienia/<int:notice_id>.pdf", staff_views_paper.notice_letter_view,
         name="notice_letter"),
    path("biuro/zmiany-oplat/<int:change_id>/wydruk.pdf", staff_views_paper.print_batch_view, name="print_batch"),
    path("biuro/zmiany-oplat/<int:change_id>/na-papierze/", staff_views_paper.paper_register_view,
         name="paper_register"),
    path("biuro/zmiany-oplat/<int:change_id>/na-papierze/rejestr.pdf", staff_views_paper.paper_register_pdf_view,
         name="paper_register_pdf"),
    # The office.
    path("biuro/zmiany-oplat/", staff_views.staff_list_view, name="staff_list"),
    path("biuro/zmiany-oplat/ustawienia/", staff_views.staff_settings_view, name="staff_settings"),
    path("biuro/zmiany-oplat/<int:change_id>/", staff_views.staff_detail_view, name="staff_detail"),
    path("biuro/zmiany-oplat/<int:change_id>/uzasadnienie/", staff_views.staff_justify_view, name="staff_justify"),
    path("biuro/zmiany-oplat/<int:change_id>/uzasadnienie.pdf", staff_views.staff_justification_pdf_view,
         name="staff_justification_pdf"),
    path("biuro/zmiany-oplat/<int:change_id>/wyslij/", staff_views.staff_send_view, name="staff_send"),
    path("biuro/zmiany-oplat/<int:change_id>/doreczenia/", staff_views.staff_delivery_view, name="staff_delivery"),
    path("biuro/zmiany-oplat/<int:change_id>/doreczenia.csv", staff_views.staff_delivery_export_view,
         name="staff_delivery_export"),
]
