from django import forms
from django.utils.translation import pgettext_lazy

from .models import NoticeKind

# Each kind as it reads after the form's legend "Send me e-mails about" (Polish needs the locative there).
EMAILS_ABOUT = {
    NoticeKind.ANNOUNCEMENT: pgettext_lazy("send me e-mails about", "announcements of the manager"),
    NoticeKind.FAILURE_STATUS: pgettext_lazy("send me e-mails about", "status changes of my failure reports"),
    NoticeKind.READING_WINDOW: pgettext_lazy("send me e-mails about", "the opening of a reading window"),
    NoticeKind.MATTER: pgettext_lazy("send me e-mails about", "replies and status changes in my matters"),
}


class NoticePreferencesForm(forms.Form):
    """One checkbox per kind of notice; security notices are not listed: they always go."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in NoticeKind.values:
            self.fields[kind] = forms.BooleanField(label=EMAILS_ABOUT[kind], required=False)
