from django import forms
from django.utils.translation import gettext_lazy as _


class RegulationPublishForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 20}),
                           help_text=_("Markdown: a blank line between paragraphs, “1.” for numbered points, "
                                       "“-” for lists, “## ” for headings."))
    confirm = forms.BooleanField(label=_("I understand that every resident will be asked to accept the new version "
                                         "at their next sign-in"))
