from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("nominees/<id:pk>/<str:form>.docx", views.nominee_form, name="nominee_form"),
    path("nominees/<id:pk>/booklet.pdf", views.nominee_booklet, name="booklet"),
    path("campaigns/<id:pk>/summary.docx", views.summary_form, name="summary"),
    path("campaigns/<id:pk>/decision.docx", views.decision_document, name="decision"),
    path("campaigns/<id:pk>/decision.pdf", views.decision_pdf, name="decision_pdf"),
    path("campaigns/<id:pk>/plaques.docx", views.plaque_list, name="plaques"),
    path("campaigns/<id:pk>/certificates.pdf", views.certificates, name="certificates"),
    path("campaigns/<id:pk>/exports/", views.export_start, name="export_start"),
    path("exports/<id:pk>/", views.export_status, name="export"),
    path("registrations/<id:pk>/form.docx", views.registration_document, name="registration_form"),
    path("exports/<id:pk>/download/", views.export_download, name="export_download"),
]
