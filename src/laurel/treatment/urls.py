from django.urls import path

from . import hardship_views as hardship
from . import review_views as reviews
from . import views

app_name = "treatment"
urlpatterns = [
    path("", views.policies, name="policies"),
    path("entitlements/", views.entitlements, name="entitlements"),
    path("budget/", views.budget, name="budget"),
    path("hardship/", hardship.hardship_list, name="hardship_list"),
    path("hardship/new/", hardship.hardship_new, name="hardship_new"),
    path("hardship/bands/", hardship.bands, name="bands"),
    path("hardship/disbursement/", hardship.disbursement, name="disbursement"),
    path("hardship/<id:pk>/", hardship.hardship_detail, name="hardship"),
    path("hardship/<id:pk>/edit/", hardship.hardship_edit, name="hardship_edit"),
    path("hardship/<id:pk>/submit/", hardship.hardship_submit, name="hardship_submit"),
    path("hardship/<id:pk>/review/", hardship.hardship_review, name="hardship_review"),
    path("hardship/<id:pk>/paper/", hardship.hardship_paper, name="hardship_paper"),
    path("hardship/<id:pk>/approve/", hardship.hardship_approve, name="hardship_approve"),
    path("hardship/<id:pk>/refuse/", hardship.hardship_refuse, name="hardship_refuse"),
    path("hardship/<id:pk>/payment/", hardship.hardship_payment, name="hardship_payment"),
    path(
        "hardship/<id:pk>/evidence/",
        hardship.hardship_evidence_upload,
        name="hardship_evidence_upload",
    ),
    path("hardship/evidence/<id:pk>/", hardship.hardship_evidence, name="hardship_evidence"),
    path(
        "hardship/opinion/<id:pk>/scan/",
        hardship.hardship_opinion_scan,
        name="hardship_opinion_scan",
    ),
    path("reviews/", reviews.reviews, name="reviews"),
    path("reviews/<id:pk>/", reviews.review_detail, name="review"),
    path("returns/<id:pk>/", reviews.status_return, name="status_return"),
    path("returns/<id:pk>/scan/", reviews.return_scan, name="return_scan"),
]
