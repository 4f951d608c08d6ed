from django.contrib import admin
from django.urls import include, path

from telly.api.api import api

admin.site.site_header = "Telly editors"
admin.site.site_title = "Telly"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("telly.web.urls")),
    path("", include("telly.catalog.urls")),
    path("streaming/", include("telly.streaming.urls")),
    path("tv-guide/", include("telly.listings.urls")),
    path("calendar/", include("telly.releases.urls")),
    path("search/", include("telly.search.urls")),
    path("account/", include("telly.accounts.urls")),
    path("feeds/", include("telly.alerts.urls")),
    path("news/", include("telly.editorial.urls")),
    path("", include("telly.editorial.sitemap_urls")),
    path("newsletters/", include("telly.newsletters.urls")),
]

handler404 = "telly.web.views.not_found"
handler500 = "telly.web.views.server_error"
handler400 = "telly.web.views.bad_request"
