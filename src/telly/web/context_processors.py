from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    return {
        "site_name": settings.SITE_NAME,
        "region": getattr(request, "region", settings.TELLY_DEFAULT_REGION),
        "visitor_tz": getattr(request, "tz", None),
        "ad_tag": settings.TELLY_AD_TAG,
    }
