from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("calendar/", views.calendar_view, name="calendar"),
    path("calendar/<id:pk>/remove/", views.calendar_override_remove, name="calendar_remove"),
    path("audit/", views.audit_log, name="audit_log"),
    path("reference/", views.reference, name="reference"),
]
