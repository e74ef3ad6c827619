from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from iok.forms import DateInput
from iok.uploads import document_validate

from .models import Document


class DocumentFileField(forms.FileField):
    """A PDF or an image, checked by content; the reason is shown when refused."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("File (PDF or image)"))
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": "application/pdf,image/*"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            document_validate(upload)  # raises ValidationError with the message for the person
            upload.seek(0)
        return upload


class DocumentForm(forms.ModelForm):
    """The description of a document (its file is changed separately)."""

    class Meta:
        model = Document
        fields = ["category", "title", "description", "document_date", "year", "visibility"]
        widgets = {
            "document_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "visibility": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].required = False


class DocumentUploadForm(DocumentForm):
    file = DocumentFileField()


class DocumentFileForm(forms.Form):
    file = DocumentFileField(label=_("New file (PDF or image)"))


class LibraryFilterForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), required=False,
                                 choices=[("", _("All categories")), *Document.Category.choices])
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    q = forms.CharField(label=_("Title contains"), required=False, max_length=100)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["year"]).choices = [("", _("All years")), *((year, year) for year in years)]

    def values(self) -> dict:
        """The filter to apply; a value that does not validate is ignored rather than refused."""
        if not self.is_bound:
            return {"category": "", "year": None, "query": ""}
        self.is_valid()
        data = self.cleaned_data
        return {"category": data.get("category") or "", "year": data.get("year"),
                "query": (data.get("q") or "").strip()}


class StaffFilterForm(LibraryFilterForm):
    archived = forms.BooleanField(label=_("Archived documents"), required=False)

    def values(self) -> dict:
        values = super().values()
        values["archived"] = bool(self.is_bound and self.cleaned_data.get("archived"))
        return values
