from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

# NIST SP 800-63B and OWASP ASVS 5.0 (6.2.1) ask for at least 8 characters; a cooperative may choose
# less (Hutnik's regulation says 6) but its admin is told so.
RECOMMENDED_MIN_LENGTH = 8


# Art. 4 ust. 6 u.s.m.: "do 10 dnia miesiąca", unless the cooperative's statute sets another day.
PAYMENT_DAY_DEFAULT = 10
# A payment day exists in every month only up to the 28th.
PAYMENT_DAY_MAX = 28


class InstanceSettings(models.Model):
    """The cooperative's settings; exactly one row (pk=1) per schema."""

    # Password policy (regulation point 8 for Hutnik: min 6, a letter and a digit).
    password_min_length = models.PositiveSmallIntegerField(
        _("minimum password length"), default=12, validators=[MinValueValidator(4), MaxValueValidator(64)])
    password_require_letter = models.BooleanField(_("require a letter"), default=False)
    password_require_digit = models.BooleanField(_("require a digit"), default=False)
    password_require_upper = models.BooleanField(_("require an upper-case letter"), default=False)
    password_require_lower = models.BooleanField(_("require a lower-case letter"), default=False)
    password_require_special = models.BooleanField(_("require a special character"), default=False)
    password_refuse_common = models.BooleanField(_("refuse common passwords"), default=True)
    password_refuse_personal = models.BooleanField(_("refuse the login or the name"), default=True)
    password_history = models.PositiveSmallIntegerField(
        _("refuse the last N passwords"), default=0, validators=[MaxValueValidator(24)])

    # Brute-force protection (django-axes reads these through configuration.lockout).
    lockout_failures = models.PositiveSmallIntegerField(
        _("failed sign-ins before lockout"), default=5, validators=[MinValueValidator(3), MaxValueValidator(20)])
    lockout_minutes = models.PositiveSmallIntegerField(
        _("lockout duration (minutes)"), default=15, validators=[MinValueValidator(1), MaxValueValidator(1440)])

    # Sessions (ASVS V7.3): idle and absolute timeouts.
    session_idle_minutes = models.PositiveSmallIntegerField(
        _("sign out after inactivity (minutes)"), default=30, validators=[MinValueValidator(5), MaxValueValidator(720)])
    session_absolute_hours = models.PositiveSmallIntegerField(
        _("longest sign-in session (hours)"), default=8, validators=[MinValueValidator(1), MaxValueValidator(24)])

    # Modules the cooperative offers; a module that is off disappears from the navigation and every
    # one of its pages (and API endpoints) answers 404 (tenants_portal.modules).
    module_meters = models.BooleanField(_("meter readings"), default=True)
    module_failures = models.BooleanField(_("failure reports"), default=True)
    module_announcements = models.BooleanField(_("announcements"), default=True)
    module_documents = models.BooleanField(_("documents"), default=True)
    # Off until the admin has chosen a gateway and entered its credentials.
    module_online_payments = models.BooleanField(_("online payments"), default=False)
    # Off until the cooperative chooses to send its fee changes through the portal: the module takes over a
    # legal act (its deadlines and proof of delivery), and its payment day and the residents' consent to
    # electronic delivery must be settled first; a cooperative already on the platform gains nothing unasked.
    module_fee_notices = models.BooleanField(_("fee change notices"), default=False)
    # Off until the office has its topics and days to answer settled: residents' matters become official
    # correspondence with deadlines the office must keep.
    module_matters = models.BooleanField(_("matters with the office"), default=False, db_default=False)
    # A certificate of no arrears asked for while the unit is not in arrears is issued at once, without a clerk.
    matters_certificate_auto = models.BooleanField(
        _("issue certificates of no arrears automatically"), default=False, db_default=False,
        help_text=_("When a resident asks for a certificate and the unit is not in arrears on that day, it is "
                    "issued at once; otherwise the office issues it from the matter."))

    # The nightly import of the accounting system's files from the cooperative's import folder;
    # empty: no nightly import (files wait in the folder until staff import them).
    import_hour = models.PositiveSmallIntegerField(
        _("nightly import at (hour)"), default=2, null=True, blank=True, validators=[MaxValueValidator(23)])

    # How the residents' pages look (empty: the platform's own colours and no logo). Colours are
    # checked against white to WCAG 2.1 AA (4.5:1) before they are saved (configuration.branding).
    brand_primary = models.CharField(_("main colour"), max_length=7, blank=True)
    brand_accent = models.CharField(_("menu colour"), max_length=7, blank=True)
    # The logo file, stored under MEDIA_ROOT/<schema>/ with a random name and served by a view.
    logo_path = models.CharField(max_length=200, blank=True)
    logo_content_type = models.CharField(max_length=40, blank=True)
    logo_name = models.CharField(_("logo"), max_length=200, blank=True)

    # The sender of the cooperative's e-mails (empty: the platform's sender, DEFAULT_FROM_EMAIL).
    email_sender_name = models.CharField(_("sender's name"), max_length=100, blank=True)
    email_sender_address = models.EmailField(_("sender's address"), blank=True)

    # An office-issued one-time password stops working this long after it was issued; the office issues another.
    one_time_password_days = models.PositiveSmallIntegerField(
        _("one-time passwords expire after (days)"), default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("A one-time password not replaced by then no longer signs in; the office issues a new one."))
    # The cooperative's NIP (tax number) in residents' payment QR codes: banking apps show it with the recipient.
    payment_nip = models.CharField(_("NIP of the cooperative"), max_length=10, blank=True)
    # Art. 4 ust. 6 u.s.m.: fees are paid "do 10 dnia miesiąca" unless the statute sets another day. A month's
    # charges are owed from the day after it (arrears on certificates), and the deadline of art. 4 ust. 7¹
    # counts from it. Up to the 28th, so that it exists in every month.
    payment_day = models.PositiveSmallIntegerField(
        _("payment day of the month"), default=PAYMENT_DAY_DEFAULT, db_default=PAYMENT_DAY_DEFAULT,
        validators=[MinValueValidator(1), MaxValueValidator(PAYMENT_DAY_MAX)],
        help_text=_("The day of the month by which fees are paid (art. 4 ust. 6 of the act on housing "
                    "cooperatives: the 10th, unless the statute sets another day). A month's fees count as arrears "
                    "from the next day."))

    # Staff (admin, clerk, technician) sign in with a second factor (TOTP, recovery codes). Off for
    # cooperatives that predate it (their staff would otherwise be stopped at their next sign-in);
    # on for every cooperative onboarded since (operators.services.cooperative_create).
    staff_second_factor_required = models.BooleanField(
        _("staff sign in with a second factor"), default=False,
        help_text=_("An authenticator app's code after the password. Staff without one set it up at their next "
                    "sign-in."))

    password_reset_by_email = models.BooleanField(
        _("residents may reset a forgotten password by e-mail"), default=False,
        help_text=_("Only to a verified address. Otherwise the office issues a new one-time password."))

    class Meta:
        verbose_name = _("instance settings")
        verbose_name_plural = _("instance settings")
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="instance_settings_single_row")]

    def __str__(self) -> str:
        return str(_("instance settings"))

    @property
    def password_min_length_below_recommendation(self) -> bool:
        return self.password_min_length < RECOMMENDED_MIN_LENGTH


class OldLink(models.Model):
    """A permanent redirect from an address of the cooperative's previous portal (printed on letters, kept in
    residents' bookmarks) to a page of IOK. Matched, without regard to letter case (the old portals ran on
    servers that ignored it), only where IOK itself has no page: configuration.middleware.OldLinksMiddleware."""

    from_path = models.CharField(_("old address (path)"), max_length=500)
    to_path = models.CharField(_("new address (path)"), max_length=500)
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("old link")
        verbose_name_plural = _("old links")
        ordering = ["from_path"]
        constraints = [models.UniqueConstraint(Lower("from_path"), name="old_link_from_unique")]

    def __str__(self) -> str:
        return f"{self.from_path} → {self.to_path}"
