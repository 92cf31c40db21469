"""Scheduled posts (handlers/scheduled_post.py). Mattermost refuses every
scheduled-post route before reading the request unless
ServiceSettings.ScheduledPosts is on (400 api.scheduled_posts.feature_disabled)
and the server holds a license (400 api.scheduled_posts.license_error); this
server is an unlicensed Team Edition, so it answers as Mattermost does."""
import time

import pytest

from conftest import auth

API = "/api/v4"
SOME_ID = "a" * 26


def _requests(admin_id):
    later = int(time.time() * 1000) + 3600 * 1000
    return [
        ("post", API + "/posts/schedule", {"channel_id": SOME_ID, "message": "later", "scheduled_at": later}),
        ("put", API + "/posts/schedule/" + SOME_ID,
         {"id": SOME_ID, "channel_id": SOME_ID, "user_id": admin_id, "message": "later", "scheduled_at": later}),
        ("delete", API + "/posts/schedule/" + SOME_ID, None),
        ("get", API + "/posts/scheduled/team/" + SOME_ID + "?includeDirectChannels=true", None),
    ]


def _send(client, method, url, body, headers=None):
    kwargs = {"headers": headers or {}}
    if body is not None:
        kwargs["json"] = body
    return getattr(client, method)(url, **kwargs)


def test_a_session_is_needed(client, admin):
    for method, url, body in _requests(admin["user_id"]):
        response = _send(client, method, url, body)
        assert response.status_code == 401, (method, url)


def test_unlicensed_server_refuses_like_mattermost(client, admin):
    for method, url, body in _requests(admin["user_id"]):
        response = _send(client, method, url, body, auth(admin))
        assert response.status_code == 400, (method, url, response.data)
        assert response.get_json()["id"] == "api.scheduled_posts.license_error"


def test_the_setting_is_checked_first(app, client, admin):
    settings = app.config["MM_CONFIG"]["ServiceSettings"]
    settings["ScheduledPosts"] = False
    try:
        for method, url, body in _requests(admin["user_id"]):
            response = _send(client, method, url, body, auth(admin))
            assert response.status_code == 400, (method, url)
            assert response.get_json()["id"] == "api.scheduled_posts.feature_disabled"
    finally:
        settings["ScheduledPosts"] = True


@pytest.mark.parametrize("url,method", [
    (API + "/posts/schedule/not-an-id!", "delete"),
    (API + "/posts/scheduled/team/bad-team!", "get"),
])
def test_ids_outside_the_route_pattern_match_no_route(client, admin, url, method):
    response = _send(client, method, url, None, auth(admin))
    assert response.status_code == 404


def test_a_body_that_is_not_a_scheduled_post_is_refused(client, admin):
    response = client.post(API + "/posts/schedule", json={"message": 3}, headers=auth(admin))
    assert response.status_code == 400
