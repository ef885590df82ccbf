from django.urls import path

from . import views

app_name = "pages"
urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
]
