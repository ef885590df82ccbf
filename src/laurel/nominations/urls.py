from django.urls import path

from .views import clearance, dashboard, edit, nominees, review, spreadsheets

app_name = "nominations"
urlpatterns = [
    path("", nominees.nominee_list, name="list"),
    path("new/<id:campaign_pk>/", nominees.nominee_create, name="create"),
    path("import/<id:campaign_pk>/", spreadsheets.import_view, name="import"),
    path("template/<id:campaign_pk>/", spreadsheets.template_view, name="template"),
    path("export/<id:campaign_pk>/", spreadsheets.export_view, name="export"),
    path("dashboard/<id:pk>/", dashboard.dashboard, name="dashboard"),
    path("<id:pk>/", nominees.nominee_detail, name="detail"),
    path("<id:pk>/edit/", edit.nominee_edit, name="edit"),
    path("<id:pk>/submit/", nominees.nominee_submit, name="submit"),
    path("<id:pk>/withdraw/", nominees.nominee_withdraw, name="withdraw"),
    path("<id:pk>/delete/", nominees.nominee_delete, name="delete"),
    path("<id:pk>/move/", nominees.nominee_move, name="move"),
    path("<id:pk>/photo/", nominees.nominee_photo, name="photo"),
    path("<id:pk>/clearance/open/", clearance.clearance_open, name="clearance_open"),
    path("clearance/", clearance.clearance_list, name="clearance_list"),
    path("clearance/<id:pk>/", clearance.clearance_detail, name="clearance"),
    path("review/", review.review_list, name="review"),
    path("overview/", review.overview, name="overview"),
    path("<id:pk>/review/", review.review_record, name="review_record"),
    path("<id:pk>/send-back/", review.review_send_back, name="send_back"),
    path("<id:pk>/review/paper/", review.review_paper, name="review_paper"),
    path("review-opinions/<id:pk>/scan/", review.review_scan, name="review_scan"),
    path("clearance/<id:pk>/paper/", clearance.clearance_paper, name="clearance_paper"),
    path("clearance/<id:pk>/scan/", clearance.clearance_scan, name="clearance_scan"),
    path("clearance/<id:pk>/decide/", clearance.clearance_decide, name="clearance_decide"),
    path("clearance/<id:pk>/reassign/", clearance.clearance_reassign, name="clearance_reassign"),
]
