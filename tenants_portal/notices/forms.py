from django import forms

from .models import NoticeKind


class NoticePreferencesForm(forms.Form):
    """One checkbox per kind of notice; security notices are not listed: they always go."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in NoticeKind.choices:
            self.fields[kind] = forms.BooleanField(label=label, required=False)
