from django.urls import path

from . import spreadsheets, views

app_name = "nominations"
urlpatterns = [
    path("", views.nominee_list, name="list"),
    path("new/<int:campaign_pk>/", views.nominee_create, name="create"),
    path("import/<int:campaign_pk>/", spreadsheets.import_view, name="import"),
    path("template/<int:campaign_pk>/", spreadsheets.template_view, name="template"),
    path("export/<int:campaign_pk>/", spreadsheets.export_view, name="export"),
    path("<int:pk>/", views.nominee_detail, name="detail"),
    path("<int:pk>/edit/", views.nominee_edit, name="edit"),
    path("<int:pk>/submit/", views.nominee_submit, name="submit"),
    path("<int:pk>/withdraw/", views.nominee_withdraw, name="withdraw"),
    path("<int:pk>/delete/", views.nominee_delete, name="delete"),
    path("<int:pk>/move/", views.nominee_move, name="move"),
    path("<int:pk>/photo/", views.nominee_photo, name="photo"),
    path("<int:pk>/clearance/open/", views.clearance_open, name="clearance_open"),
    path("clearance/<int:pk>/", views.clearance_detail, name="clearance"),
    path("review/", views.review_list, name="review"),
    path("overview/", views.overview, name="overview"),
    path("<int:pk>/review/", views.review_record, name="review_record"),
    path("<int:pk>/send-back/", views.review_send_back, name="send_back"),
    path("clearance/<int:pk>/decide/", views.clearance_decide, name="clearance_decide"),
]
