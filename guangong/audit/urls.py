from guangong.core import resource_views

app_name = "audit"

# The log's list and detail pages (``audit.resources``).
urlpatterns = [*resource_views.urls("audit")]
