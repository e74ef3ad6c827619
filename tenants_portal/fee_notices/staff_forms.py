"""The office's forms for fee changes: the written justification, the days before paper, the lines' search."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import FeeNoticeSettings


class JustificationForm(forms.Form):
    justification = forms.CharField(
        label=_("Justification"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Why the fees change (art. 4 ust. 7 of the act on housing cooperatives requires it in "
                    "writing). Residents read it in the letter and on their page."))
    pdf = forms.FileField(
        label=_("Justification as a PDF (optional)"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}))
    pdf_remove = forms.BooleanField(label=_("Remove the stored PDF"), required=False)

    def __init__(self, *args, has_pdf: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pdf"].help_text = _("E.g. the board's resolution. A PDF of at most %(limit)d MB; a new file "
                                         "replaces the stored one.") % {
            "limit": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
        if not has_pdf:
            del self.fields["pdf_remove"]

    def clean(self):
        data = super().clean()
        if data.get("pdf") and data.get("pdf_remove"):
            raise forms.ValidationError(_("Either send a new PDF or remove the stored one, not both."))
        return data


class PaperDaysForm(forms.ModelForm):
    class Meta:
        model = FeeNoticeSettings
        fields = ["paper_after_days"]


class LinesSearchForm(forms.Form):
    szukaj = forms.CharField(label=_("Unit (code, street or number)"), required=False, max_length=64)
