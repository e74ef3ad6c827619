"""/api/v1/ on every cooperative's host. The URLs of each switchable module share that module's
namespace, so tenants_portal.modules answers 404 for all of them when the module is off."""

from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerSplitView

from . import views
from . import views_fee_notices as fee_notices_views
from . import views_imports as imports
from . import views_matters as matters_views
from . import views_online_payments as online_payments_views

app_name = "api"

meters = ([
    path("units/<int:unit_id>/meters/", views.UnitMetersView.as_view(), name="unit_meters"),
    path("meters/windows/", views.ReadingWindowsView.as_view(), name="windows"),
    path("meters/<int:meter_id>/", views.MeterView.as_view(), name="meter"),
    path("meters/<int:meter_id>/readings/", views.MeterReadingsView.as_view(), name="readings"),
    path("meters/readings/<int:reading_id>/photo/", views.ReadingPhotoView.as_view(), name="reading_photo"),
], "meters")

failures = ([
    path("failures/", views.FailureReportsView.as_view(), name="reports"),
    path("failures/options/", views.FailureOptionsView.as_view(), name="options"),
    path("failures/<int:report_id>/", views.FailureReportView.as_view(), name="report"),
    path("failures/<int:report_id>/comments/", views.FailureCommentView.as_view(), name="comments"),
    path("failures/<int:report_id>/photos/<int:photo_id>/", views.FailurePhotoView.as_view(), name="photo"),
], "failures")

announcements = ([
    path("announcements/", views.AnnouncementsView.as_view(), name="list"),
    path("announcements/<int:announcement_id>/", views.AnnouncementView.as_view(), name="detail"),
    path("announcements/<int:announcement_id>/attachments/<int:attachment_id>/",
         views.AnnouncementAttachmentView.as_view(), name="attachment"),
], "announcements")

documents = ([
    path("documents/", views.DocumentsView.as_view(), name="list"),
    path("documents/<int:document_id>/file/", views.DocumentFileView.as_view(), name="file"),
], "documents")

online_payments = ([
    path("units/<int:unit_id>/online-payments/", online_payments_views.UnitOnlinePaymentsView.as_view(),
         name="start"),
    path("online-payments/", online_payments_views.OnlinePaymentsView.as_view(), name="list"),
    path("online-payments/<uuid:payment_id>/", online_payments_views.OnlinePaymentView.as_view(), name="detail"),
    path("online-payments/<uuid:payment_id>/checkout/", online_payments_views.OnlinePaymentCheckoutView.as_view(),
         name="checkout"),
], "online_payments")

fee_notices = ([
    path("fee-notices/", fee_notices_views.FeeNoticesView.as_view(), name="list"),
    path("fee-notices/<int:notice_id>/", fee_notices_views.FeeNoticeView.as_view(), name="detail"),
    path("fee-notices/<int:notice_id>/letter.pdf", fee_notices_views.FeeNoticeLetterView.as_view(), name="letter"),
], "fee_notices")

matters = ([
    path("matters/", matters_views.MattersView.as_view(), name="list"),
    path("matters/topics/", matters_views.MatterTopicsView.as_view(), name="topics"),
    path("matters/<int:matter_id>/", matters_views.MatterView.as_view(), name="detail"),
    path("matters/<int:matter_id>/replies/", matters_views.MatterRepliesView.as_view(), name="replies"),
    path("matters/<int:matter_id>/attachments/<int:matter_attachment_id>/",
         matters_views.MatterAttachmentView.as_view(), name="attachment"),
], "matters")

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="token"),
    path("auth/sign-out/", views.SignOutView.as_view(), name="sign_out"),
    path("me/", views.AccountView.as_view(), name="account"),
    path("me/password/", views.PasswordChangeView.as_view(), name="password"),
    path("me/notices/", views.NoticePreferencesView.as_view(), name="notices"),
    path("units/", views.UnitListView.as_view(), name="units"),
    path("units/<int:unit_id>/", views.UnitDetailView.as_view(), name="unit"),
    path("units/<int:unit_id>/balance/", views.BalanceView.as_view(), name="balance"),
    path("units/<int:unit_id>/ledger/", views.LedgerView.as_view(), name="ledger"),
    path("units/<int:unit_id>/statement/", views.StatementView.as_view(), name="statement"),
    path("", include(meters)),
    path("", include(failures)),
    path("", include(announcements)),
    path("", include(documents)),
    path("", include(online_payments)),
    path("", include(fee_notices)),
    path("", include(matters)),
    path("imports/", imports.ImportsView.as_view(), name="imports"),
    path("imports/<int:run_id>/", imports.ImportRunView.as_view(), name="import"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    # A page for browsers: it renders only HTML, so OPTIONS (which would render JSON metadata through
    # the HTML template renderer) is not among its methods.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema", http_method_names=["get", "head"]),
         name="docs"),
]
