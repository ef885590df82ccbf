from django.urls import path

from . import views

app_name = "treatment"
urlpatterns = [
    path("", views.policies, name="policies"),
    path("entitlements/", views.entitlements, name="entitlements"),
    path("budget/", views.budget, name="budget"),
]
