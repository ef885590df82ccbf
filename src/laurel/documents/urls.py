from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("nominees/<int:pk>/<str:form>.docx", views.nominee_form, name="nominee_form"),
    path("nominees/<int:pk>/booklet.pdf", views.nominee_booklet, name="booklet"),
    path("campaigns/<int:pk>/summary.docx", views.summary_form, name="summary"),
    path("campaigns/<int:pk>/decision.docx", views.decision_document, name="decision"),
    path("campaigns/<int:pk>/plaques.docx", views.plaque_list, name="plaques"),
    path("campaigns/<int:pk>/certificates.pdf", views.certificates, name="certificates"),
    path("campaigns/<int:pk>/exports/", views.export_start, name="export_start"),
    path("exports/<int:pk>/", views.export_status, name="export"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
]
