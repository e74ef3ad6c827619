"""The console's own pages under /biuro/ (the other /biuro/ pages belong to their apps)."""

from django.urls import path

from . import views

urlpatterns = [
    path("biuro/", views.home_view, name="staff_home"),
    path("biuro/pracownicy/", views.staff_members_view, name="staff_members"),
    path("biuro/pracownicy/haslo-jednorazowe/", views.staff_member_issued_view, name="staff_member_issued"),
    path("biuro/pracownicy/<int:member_id>/", views.staff_member_view, name="staff_member"),
    path("biuro/pracownicy/<int:member_id>/<slug:action>/", views.staff_member_action_view,
         name="staff_member_action"),
]
