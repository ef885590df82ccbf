from django.urls import path

from .views import drives, people, registrations

app_name = "registry"
urlpatterns = [
    path("", people.people, name="people"),
    path("people/<id:pk>/", people.person_detail, name="person"),
    path("statistics/", people.statistics_view, name="statistics"),
    path("import/", people.database_import, name="database_import"),
    path("drives/", drives.drives, name="drives"),
    path("drives/<id:pk>/", drives.drive_detail, name="drive"),
    path("registrations/", registrations.registration_list, name="registrations"),
    path("registrations/new/", registrations.registration_edit, name="registration_new"),
    path("registrations/import/", registrations.registration_import, name="import"),
    path("registrations/template.xlsx", registrations.summary_template, name="template"),
    path("registrations/summary.xlsx", registrations.summary_export, name="summary"),
    path("registrations/<id:pk>/", registrations.registration_detail, name="registration"),
    path("registrations/<id:pk>/edit/", registrations.registration_edit, name="registration_edit"),
    path("registrations/<id:pk>/submit/", registrations.registration_submit, name="submit"),
    path("registrations/<id:pk>/review/", registrations.registration_review, name="review"),
    path(
        "registrations/<id:pk>/paper/", registrations.registration_paper, name="registration_paper"
    ),
    path("opinions/<id:pk>/scan/", registrations.opinion_scan, name="opinion_scan"),
    path(
        "registrations/<id:pk>/evidence/",
        registrations.evidence_upload,
        name="evidence_upload",
    ),
    path("evidence/<id:pk>/", registrations.evidence_download, name="evidence"),
]
