from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "tenants_portal.documents"
    label = "documents"
