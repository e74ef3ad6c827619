from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, QueryDict


def posted(request: HttpRequest) -> QueryDict | None:
    """Form data for binding: the POST body on a POST, even an empty one (so it is validated), else None."""
    return request.POST if request.method == "POST" else None


def form_add_errors(form: Form, error: ValidationError) -> None:
    """Show a service's refusal on the form, as errors of the whole form, keeping what was typed."""
    for message in error.messages:
        form.add_error(None, message)
