from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("", views.people, name="people"),
    path("people/<id:pk>/", views.person_detail, name="person"),
    path("statistics/", views.statistics_view, name="statistics"),
    path("import/", views.database_import, name="database_import"),
    path("drives/", views.drives, name="drives"),
    path("drives/<id:pk>/", views.drive_detail, name="drive"),
    path("registrations/", views.registration_list, name="registrations"),
    path("registrations/new/", views.registration_edit, name="registration_new"),
    path("registrations/import/", views.registration_import, name="import"),
    path("registrations/template.xlsx", views.summary_template, name="template"),
    path("registrations/summary.xlsx", views.summary_export, name="summary"),
    path("registrations/<id:pk>/", views.registration_detail, name="registration"),
    path("registrations/<id:pk>/edit/", views.registration_edit, name="registration_edit"),
    path("registrations/<id:pk>/submit/", views.registration_submit, name="submit"),
    path("registrations/<id:pk>/review/", views.registration_review, name="review"),
    path("registrations/<id:pk>/form.docx", views.registration_form_docx, name="form"),
    path("registrations/<id:pk>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("evidence/<id:pk>/", views.evidence_download, name="evidence"),
]
