from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, QueryDict


def posted(request: HttpRequest) -> QueryDict | None:
    """Form data for binding: the POST body on a POST, even an empty one (so it is validated), else None."""
    return request.POST if request.method == "POST" else None


def form_add_errors(form: BaseForm, error: ValidationError, *, fields_renamed: dict[str, str] | None = None) -> None:
    """Show a service's refusal on the form, keeping what was typed: an error the service gives for a field
    the form has goes with that field (where the screen reader and the eye look), the rest with the whole
    form. `fields_renamed` maps the service's names to the form's where they differ."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for name, errors in error.error_dict.items():
        field = (fields_renamed or {}).get(name, name)
        for message in ValidationError(errors).messages:
            form.add_error(field if field in form.fields else None, message)


class _MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; `accept` hints the browser's file picker; required means at least one."""

    def __init__(self, *args, accept: str = "", **kwargs):
        kwargs.setdefault("widget", _MultipleFileInput(attrs={"accept": accept} if accept else None))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = [upload for upload in (data if isinstance(data, list | tuple) else [data]) if upload]
        if not uploads:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        return [super(MultipleFileField, self).clean(upload, initial) for upload in uploads]


class DateInput(forms.DateInput):
    """A browser date picker: its value must be ISO (2026-12-01); Polish formatting ("01.12.2026") would
    leave the field empty and make every first submit fail as if no date were given."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
