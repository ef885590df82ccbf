from django.urls import path

from . import spreadsheets, views

app_name = "nominations"
urlpatterns = [
    path("", views.nominee_list, name="list"),
    path("new/<id:campaign_pk>/", views.nominee_create, name="create"),
    path("import/<id:campaign_pk>/", spreadsheets.import_view, name="import"),
    path("template/<id:campaign_pk>/", spreadsheets.template_view, name="template"),
    path("export/<id:campaign_pk>/", spreadsheets.export_view, name="export"),
    path("<id:pk>/", views.nominee_detail, name="detail"),
    path("<id:pk>/edit/", views.nominee_edit, name="edit"),
    path("<id:pk>/submit/", views.nominee_submit, name="submit"),
    path("<id:pk>/withdraw/", views.nominee_withdraw, name="withdraw"),
    path("<id:pk>/delete/", views.nominee_delete, name="delete"),
    path("<id:pk>/move/", views.nominee_move, name="move"),
    path("<id:pk>/photo/", views.nominee_photo, name="photo"),
    path("<id:pk>/clearance/open/", views.clearance_open, name="clearance_open"),
    path("clearance/<id:pk>/", views.clearance_detail, name="clearance"),
    path("review/", views.review_list, name="review"),
    path("overview/", views.overview, name="overview"),
    path("<id:pk>/review/", views.review_record, name="review_record"),
    path("<id:pk>/send-back/", views.review_send_back, name="send_back"),
    path("clearance/<id:pk>/decide/", views.clearance_decide, name="clearance_decide"),
]
