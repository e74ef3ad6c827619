"""URLs of the fee-change notices module (namespace "fee_notices"; switched off → 404 on all of them)."""

from django.urls import path

from . import views

app_name = "fee_notices"
urlpatterns = [
    # The resident's notices (i21-delivery).
    path("oplaty/zmiany/<int:notice_id>/", views.notice_view, name="resident_notice"),
    path("oplaty/zmiany/<int:notice_id>/zawiadomienie.pdf", views.notice_letter_view, name="resident_letter"),
    path("oplaty/zmiany/<int:notice_id>/uzasadnienie.pdf", views.notice_justification_view,
         name="resident_justification"),
]
