from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

urlpatterns = [
    path("", include("guangong.home.urls")),
    path("accounts/login/sms-reset/", include("guangong.notifications.reset_urls")),
    path("accounts/", include("guangong.accounts.urls")),
    path("orgs/groups/", include("guangong.orggroups.urls")),
    path("orgs/", include("guangong.orgs.urls")),
    path("people/", include("guangong.people.urls")),
    path("activities/", include("guangong.activities.urls")),
    path("care/", include("guangong.care.urls")),
    path("reports/", include("guangong.reporting.urls")),
    path("documents/", include("guangong.documents.urls")),
    path("stats/", include("guangong.stats.urls")),
    path("help/", include("guangong.helpdesk.public_urls")),
    path("helpdesk/", include("guangong.helpdesk.urls")),
    path("meetings/", include("guangong.meetings.urls")),
    path("workplans/", include("guangong.workplans.urls")),
    path("dicts/", include("guangong.dicts.urls")),
    path("notices/", include("guangong.notices.urls")),
    path("audit/", include("guangong.audit.urls")),
    path("jobs/", include("guangong.jobs.urls")),
    path("messages/", include("guangong.notifications.urls")),
    path("api/", include("guangong.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
]

# Error pages in Chinese with the request id, independent of the database (core.errors).
handler400 = "guangong.core.errors.bad_request"
handler403 = "guangong.core.errors.permission_denied"
handler404 = "guangong.core.errors.page_not_found"
handler500 = "guangong.core.errors.server_error"
