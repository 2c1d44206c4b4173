"""/metrics: Prometheus figures for the local network only; error reports without personal data."""

import pytest
import sentry_sdk

from guangong.core import observability

ID_NUMBER = "110101" + "199003077777"  # split, so that the source lines sent hold no copy


def test_metrics_count_requests_by_view_and_list_jobs_for_the_local_network(client_for, a_admin):
    client_for(a_admin).get("/orgs/")
    response = client_for(a_admin).get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    body = response.content.decode()
    series = 'guangong_http_requests_total{method="GET",status="2xx",view="orgs:organization_list"}'
    assert series in body
    assert "guangong_http_request_duration_seconds_bucket" in body
    assert 'guangong_jobs{status="running"} 0.0' in body
    assert "guangong_worker_heartbeat_age_seconds" in body


@pytest.mark.parametrize("address", ["203.0.113.7", "10.1.2.3"])
def test_metrics_are_not_found_from_elsewhere(client, db, address):
    response = client.get("/metrics", REMOTE_ADDR=address)
    assert response.status_code == 404
    assert b"guangong_" not in response.content


def test_behind_a_proxy_metrics_follow_the_forwarded_client(client, db, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    outside = client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert outside.status_code == 404


def test_an_error_report_carries_the_request_id_and_nothing_personal(client_for, a_admin):
    sent = []

    class Keep(sentry_sdk.transport.Transport):
        def capture_envelope(self, envelope):
            sent.append(envelope)

    observability.init_error_reporting(
        "https://public@errors.invalid/1", environment="test", transport=Keep
    )
    try:
        client = client_for(a_admin)
        client.raise_request_exception = False
        with pytest.MonkeyPatch.context() as patch:
            from guangong.orgs import views

            def boom(*args, **kwargs):
                raise RuntimeError("broken on purpose")

            patch.setattr(views.OrganizationListView, "get", boom)
            response = client.get(
                f"/orgs/?q={ID_NUMBER}",
                HTTP_X_REQUEST_ID="req-err-1",
                HTTP_X_PRIVATE_NOTE="secret-note-1",
            )
            assert response.status_code == 500
        sentry_sdk.flush()
    finally:
        sentry_sdk.init(dsn=None)
    events = [item.payload.json for env in sent for item in env.items if item.type == "event"]
    assert events, "the error was not reported"
    event = events[0]
    text = str(event)
    assert "broken on purpose" in text
    assert event["tags"]["request_id"] == "req-err-1"
    assert ID_NUMBER not in text
    assert "secret-note-1" not in text
    assert "user" not in event
