"""Laurel's URLs plus the admin at /admin/ (benchmark only)."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [path("admin/", admin.site.urls), path("", include("laurel.urls"))]
