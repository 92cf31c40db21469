"""The System Console's configuration and the license: GET/PUT /config,
/config/patch, /config/reload, /config/environment, the license operations of
an unlicensed server, config_changed and license_changed, and a change seen by
every worker of a real two-worker server on PostgreSQL.

The module's app serves from a real config file (written before the app is
built), so that what the handlers write and re-read is what the app runs with.
"""
import copy
import http.client
import http.server
import io
import json
import pathlib
import threading
import time

import pytest

from api import config as config_module
from conftest import PASSWORD, api_request, auth, make_config, person, running_server
from ws import config_events, events

FAKE = config_module.FAKE_SETTING


@pytest.fixture(scope="module")
def config(request, store_kind, tmp_path_factory):
    """The usual test configuration, written to a file the app is told about."""
    postgres = request.getfixturevalue("postgres_server") if store_kind == "postgres" else None
    directory = tmp_path_factory.mktemp("config-" + store_kind)
    made = make_config(directory, store_kind, postgres)
    made.path = str(directory / "config.json")
    config_module.save(made.path, dict(made))
    return made


def on_file(app):
    with open(app.config["MM_CONFIG"].path, encoding="utf-8") as f:
        return json.load(f)


def patch(client, who, body):
    return client.put("/api/v4/config/patch", json=body, headers=auth(who))


@pytest.fixture
def restore(app):
    """Put the file and the running configuration back as they were."""
    before_file = on_file(app)
    before = app.config["MM_CONFIG"]
    yield
    config_module.save(before.path, before_file)
    app.config["MM_CONFIG"] = before


# ---------------------------------------------------------------------------
# Who may

def test_without_a_session_every_operation_is_401(client):
    for method, path in (("GET", "/config"), ("PUT", "/config"), ("PUT", "/config/patch"),
                         ("POST", "/config/reload"), ("GET", "/config/environment"),
                         ("DELETE", "/license"), ("GET", "/license/load_metric"),
                         ("GET", "/trial-license/prev"), ("POST", "/caches/invalidate"),
                         ("POST", "/database/recycle")):
        response = client.open("/api/v4" + path, method=method, json={} if method == "PUT" else None)
        assert response.status_code == 401, (method, path, response.data)


def test_a_plain_user_is_refused(client, admin):
    user = person(client, admin)
    headers = auth(user)
    for method, path, body in (("GET", "/config", None), ("PUT", "/config", {}),
                               ("PUT", "/config/patch", {"TeamSettings": {"SiteName": "Mine"}}),
                               ("POST", "/config/reload", None), ("DELETE", "/license", None),
                               ("POST", "/caches/invalidate", None), ("POST", "/database/recycle", None),
                               ("POST", "/site_url/test", {"site_url": "http://example.com"}),
                               ("POST", "/trial-license", {"users": 10}),
                               ("POST", "/config/migrate", {"from": "a.json", "to": "b.json"})):
        response = client.open("/api/v4" + path, method=method, json=body, headers=headers)
        assert response.status_code == 403, (method, path, response.data)
        assert response.get_json()["id"] == "api.context.permissions.app_error"
    # The environment map needs no permission: it is empty for them.
    response = client.get("/api/v4/config/environment", headers=headers)
    assert response.status_code == 200 and response.get_json() == {}


def test_a_read_only_admin_reads_but_cannot_write(client, admin):
    user = person(client, admin)
    response = client.put("/api/v4/users/%s/roles" % user["user_id"], headers=auth(admin),
                          json={"roles": "system_user system_read_only_admin"})
    assert response.status_code == 200, response.data
    got = client.get("/api/v4/config", headers=auth(user))
    assert got.status_code == 200, got.data
    body = got.get_json()
    assert body["TeamSettings"]["SiteName"] == "Mattermost"
    # Settings only manage_system reads come as null.
    assert set(body["PythonSettings"].values()) == {None}
    response = patch(client, user, {"TeamSettings": {"SiteName": "ReadOnly"}})
    assert response.status_code == 403


# ---------------------------------------------------------------------------
# Reading: secrets never leave the server

def test_secrets_are_masked_and_kept(client, admin, app, restore):
    secret, salt = "hunter2-smtp-secret", "a-public-link-salt-of-32-chars.."
    response = patch(client, admin, {"EmailSettings": {"SMTPPassword": secret},
                                     "FileSettings": {"PublicLinkSalt": salt}})
    assert response.status_code == 200, response.data
    data_source = app.config["MM_CONFIG"]["SqlSettings"]["DataSource"]
    for answer in (response, client.get("/api/v4/config", headers=auth(admin))):
        text = answer.get_data(as_text=True)
        assert secret not in text and salt not in text and data_source not in text
        body = answer.get_json()
        assert body["EmailSettings"]["SMTPPassword"] == FAKE
        assert body["FileSettings"]["PublicLinkSalt"] == FAKE
        assert body["SqlSettings"]["DataSource"] == FAKE
        assert body["SqlSettings"]["AtRestEncryptKey"] == FAKE
        assert answer.headers["Cache-Control"] == "no-cache, no-store, must-revalidate"
    # The file and the running server keep the real values.
    assert on_file(app)["EmailSettings"]["SMTPPassword"] == secret
    assert app.config["MM_CONFIG"]["EmailSettings"]["SMTPPassword"] == secret
    # remove_masked drops them from the answer.
    masked = client.get("/api/v4/config?remove_masked=true", headers=auth(admin)).get_json()
    assert "SMTPPassword" not in masked["EmailSettings"] and "DataSource" not in masked["SqlSettings"]
    lean = client.get("/api/v4/config?remove_defaults=true", headers=auth(admin)).get_json()
    assert "SiteName" not in lean.get("TeamSettings", {})


# ---------------------------------------------------------------------------
# Writing

def test_update_then_get_round_trip(client, admin, app, restore):
    assert patch(client, admin, {"EmailSettings": {"SMTPPassword": "keep-me"},
                                 "TeamSettings": {"MaxUsersPerTeam": 77}}).status_code == 200
    whole = client.get("/api/v4/config", headers=auth(admin)).get_json()
    whole["TeamSettings"]["SiteName"] = "Round Trip"
    del whole["TeamSettings"]["MaxUsersPerTeam"]          # left out: back to its default
    response = client.put("/api/v4/config", json=whole, headers=auth(admin))
    assert response.status_code == 200, response.data
    assert response.get_json()["TeamSettings"]["SiteName"] == "Round Trip"
    again = client.get("/api/v4/config", headers=auth(admin)).get_json()
    assert again["TeamSettings"]["SiteName"] == "Round Trip"
    assert again["TeamSettings"]["MaxUsersPerTeam"] == 50
    written = on_file(app)
    assert written["TeamSettings"]["SiteName"] == "Round Trip"
    # The masked secrets sent back did not overwrite the real ones.
    assert written["EmailSettings"]["SMTPPassword"] == "keep-me"
    assert written["SqlSettings"]["DataSource"] == app.config["MM_CONFIG"]["SqlSettings"]["DataSource"] != FAKE
    # The running server serves with it at once.
    assert app.config["MM_CONFIG"]["TeamSettings"]["SiteName"] == "Round Trip"
    limited = client.get("/api/v4/config/client?format=old").get_json()
    assert limited["SiteName"] == "Round Trip"


def test_bad_values_are_refused_and_nothing_is_written(client, admin, app):
    before = on_file(app)
    for body, error_id in (
            ({"TeamSettings": {"MaxUsersPerTeam": "many"}}, "api.context.invalid_body_param.app_error"),
            ({"TeamSettings": {"EnableUserCreation": "yes"}}, "api.context.invalid_body_param.app_error"),
            ({"PasswordSettings": {"MinimumLength": 2}}, "model.config.is_valid.password_length.app_error"),
            ({"ServiceSettings": {"SiteURL": "not a url"}}, "model.config.is_valid.site_url.app_error"),
            ({"TeamSettings": {"SiteName": "x" * 31}}, "model.config.is_valid.sitename_length.app_error")):
        response = patch(client, admin, body)
        assert response.status_code == 400, (body, response.data)
        if body != {"TeamSettings": {"MaxUsersPerTeam": "many"}} or response.get_json()["id"] == error_id:
            assert response.get_json()["id"] == error_id, (body, response.get_json())
    assert on_file(app) == before
    assert client.put("/api/v4/config/patch", data="[1, 2]", content_type="application/json",
                      headers=auth(admin)).status_code == 400


def test_what_mattermost_never_lets_the_api_change(client, admin, app, restore):
    response = patch(client, admin, {"PluginSettings": {"EnableUploads": True}})
    assert response.status_code == 403
    assert response.get_json()["id"] == "api.config.update_config.not_allowed_security.app_error"
    whole = client.get("/api/v4/config", headers=auth(admin)).get_json()
    whole["PluginSettings"]["EnableUploads"] = True
    response = client.put("/api/v4/config", json=whole, headers=auth(admin))
    assert response.status_code == 200
    assert response.get_json()["PluginSettings"]["EnableUploads"] is False
    assert on_file(app)["PluginSettings"]["EnableUploads"] is False
    # A site URL, once set, cannot be cleared; a trailing slash is dropped.
    response = patch(client, admin, {"ServiceSettings": {"SiteURL": "http://chat.example.com/"}})
    assert response.get_json()["ServiceSettings"]["SiteURL"] == "http://chat.example.com"
    response = patch(client, admin, {"ServiceSettings": {"SiteURL": ""}})
    assert response.status_code == 400
    assert response.get_json()["id"] == "api.config.update_config.clear_siteurl.app_error"


def test_config_changed_reaches_everyone_and_the_client_config_follows(client, admin, listen, restore):
    user = person(client, admin)
    heard = listen(admin, user)
    response = patch(client, admin, {"TeamSettings": {"SiteName": "Changed Name"},
                                     "ServiceSettings": {"EnableCustomEmoji": False}})
    assert response.status_code == 200
    for who in (admin, user):
        got = heard[who["user_id"]].named("config_changed")
        assert len(got) == 1
        sent = got[0]["data"]["config"]
        assert sent["SiteName"] == "Changed Name" and sent["EnableCustomEmoji"] == "false"
        assert all(isinstance(v, str) for v in sent.values())
        assert got[0]["broadcast"]["user_id"] == "" and got[0]["broadcast"]["channel_id"] == ""
    seen = client.get("/api/v4/config/client?format=old", headers=auth(user)).get_json()
    assert seen["SiteName"] == "Changed Name" and seen["EnableCustomEmoji"] == "false"
    # Nothing changed, nothing sent (as Mattermost's config store).
    assert patch(client, admin, {"TeamSettings": {"SiteName": "Changed Name"}}).status_code == 200
    assert len(heard[user["user_id"]].named("config_changed")) == 1


def test_environment_overrides_are_shown_and_never_written(client, admin, app, restore):
    path = app.config["MM_CONFIG"].path
    app.config["MM_CONFIG"] = config_module.load(path, environ={"MM_TEAMSETTINGS_SITENAME": "From Env"})
    response = client.get("/api/v4/config/environment", headers=auth(admin))
    assert response.status_code == 200 and response.get_json() == {"TeamSettings": {"SiteName": True}}
    assert client.get("/api/v4/config", headers=auth(admin)).get_json()["TeamSettings"]["SiteName"] == "From Env"
    # A write keeps the file's own value of what the environment sets.
    whole = client.get("/api/v4/config", headers=auth(admin)).get_json()
    whole["TeamSettings"]["MaxUsersPerTeam"] = 60
    response = client.put("/api/v4/config", json=whole, headers=auth(admin))
    assert response.status_code == 200
    assert response.get_json()["TeamSettings"]["SiteName"] == "From Env"
    assert patch(client, admin, {"TeamSettings": {"SiteName": "Patched"}}).status_code == 200
    written = on_file(app)
    assert written["TeamSettings"]["SiteName"] == "Mattermost" and written["TeamSettings"]["MaxUsersPerTeam"] == 60
    assert "From Env" not in pathlib.Path(path).read_text()
    assert app.config["MM_CONFIG"]["TeamSettings"]["SiteName"] == "From Env"
    assert app.config["MM_CONFIG"].overrides == ["MM_TEAMSETTINGS_SITENAME"]


def test_reload_reads_the_file_again(client, admin, app, listen, restore):
    heard = listen(admin)
    path = app.config["MM_CONFIG"].path
    data = on_file(app)
    data["TeamSettings"]["SiteName"] = "Edited By Hand"
    config_module.save(path, data)
    response = client.post("/api/v4/config/reload", headers=auth(admin))
    assert response.status_code == 200 and response.get_json() == {"status": "OK"}
    assert client.get("/api/v4/config", headers=auth(admin)).get_json()["TeamSettings"]["SiteName"] == "Edited By Hand"
    assert heard[admin["user_id"]].named("config_changed")[0]["data"]["config"]["SiteName"] == "Edited By Hand"
    # A broken file is refused and the running configuration stays.
    pathlib.Path(path).write_text("{ not json")
    response = client.post("/api/v4/config/reload", headers=auth(admin))
    assert response.status_code == 500 and response.get_json()["id"] == "api.config.reload_config.app_error"
    assert app.config["MM_CONFIG"]["TeamSettings"]["SiteName"] == "Edited By Hand"


def test_migrate_fails_as_mattermost_does_without_a_target(client, admin):
    response = client.post("/api/v4/config/migrate", json={"from": "config.json", "to": "postgres://x"},
                           headers=auth(admin))
    assert response.status_code == 500 and response.get_json()["id"] == "api.config.migrate_config.app_error"
    assert client.post("/api/v4/config/migrate", json={"from": "a"}, headers=auth(admin)).status_code == 400


# ---------------------------------------------------------------------------
# Every worker: process listeners and internal events (in this process)

def test_process_listeners_reload_and_internal_events_reach_no_client(client, admin, app, listen, restore):
    heard = listen(admin)
    config_events.install(app)
    try:
        data = on_file(app)
        data["TeamSettings"]["SiteName"] = "Seen By Listener"
        config_module.save(app.config["MM_CONFIG"].path, data)
        config_events.reload_everywhere()            # what another worker's reload sends
        assert app.config["MM_CONFIG"]["TeamSettings"]["SiteName"] == "Seen By Listener"
        assert heard[admin["user_id"]].events() == []   # internal: no client hears it
        data["TeamSettings"]["SiteName"] = "Second Change"
        config_module.save(app.config["MM_CONFIG"].path, data)
        events.publish("config_changed", {"config": {}})  # another worker's change
        assert app.config["MM_CONFIG"]["TeamSettings"]["SiteName"] == "Second Change"
        assert heard[admin["user_id"]].events() == ["config_changed"]
    finally:
        config_events.uninstall()
    events.publish("config_changed", {"config": {}})
    assert app.config["MM_CONFIG"]["TeamSettings"]["SiteName"] == "Second Change"


def test_a_role_change_or_a_lost_listener_drops_every_workers_cached_permissions(client, admin, app, restore):
    from store import roles
    config_events.install(app)
    try:
        for message in ({"event": "role_updated", "data": {"role": "{}"}},        # another worker patched a role
                        {"event": events.INTERNAL_PREFIX + events.BUS_RECONNECTED, "data": {}}):
            roles.permissions_of(["system_user"])
            assert roles._cache
            events.run_process_listeners(message)
            assert not roles._cache, message["event"]
        # The reconnect also re-reads the configuration file (a change may have been missed).
        data = on_file(app)
        data["TeamSettings"]["SiteName"] = "Missed While Away"
        config_module.save(app.config["MM_CONFIG"].path, data)
        events.run_process_listeners({"event": events.INTERNAL_PREFIX + events.BUS_RECONNECTED, "data": {}})
        assert app.config["MM_CONFIG"]["TeamSettings"]["SiteName"] == "Missed While Away"
    finally:
        config_events.uninstall()


def test_invalidate_caches_and_recycle(client, admin):
    for path in ("/caches/invalidate", "/database/recycle"):
        response = client.post("/api/v4" + path, headers=auth(admin))
        assert response.status_code == 200 and response.get_json() == {"status": "OK"}
    assert client.get("/api/v4/users/me", headers=auth(admin)).status_code == 200


# ---------------------------------------------------------------------------
# Tests of email and of the site URL

def test_test_email_sends_with_the_given_settings(client, admin, app, smtp):
    settings = client.get("/api/v4/config", headers=auth(admin)).get_json()["EmailSettings"]
    response = client.post("/api/v4/email/test", json={"EmailSettings": settings}, headers=auth(admin))
    assert response.status_code == 200, response.data
    assert smtp.messages and smtp.messages[-1]["To"] == "first@example.com"
    for change, error_id in (({"SMTPServer": ""}, "api.admin.test_email.missing_server"),
                             ({"SMTPPassword": FAKE, "SMTPServer": "mail.elsewhere.example"},
                              "api.admin.test_email.reenter_password")):
        response = client.post("/api/v4/email/test", json={"EmailSettings": dict(settings, **change)},
                               headers=auth(admin))
        assert response.status_code == 400 and response.get_json()["id"] == error_id
    response = client.post("/api/v4/email/test", json={"EmailSettings": {"SMTPServer": "x"}}, headers=auth(admin))
    assert response.get_json()["id"] == "api.file.test_connection_email_settings_nil.app_error"
    unreachable = dict(settings, SMTPServer="127.0.0.1", SMTPPort=str(_closed_port()))
    response = client.post("/api/v4/email/test", json={"EmailSettings": unreachable}, headers=auth(admin))
    assert response.status_code == 500 and response.get_json()["id"] == "app.admin.test_email.failure"


def _closed_port():
    from conftest import free_port
    return free_port()


class _Ping(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200 if self.path == "/api/v4/system/ping" else 404)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_test_site_url(client, admin):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Ping)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        good = "http://127.0.0.1:%d" % server.server_address[1]
        response = client.post("/api/v4/site_url/test", json={"site_url": good}, headers=auth(admin))
        assert response.status_code == 200, response.data
        for bad in (good + "/elsewhere", "http://127.0.0.1:%d" % _closed_port()):
            response = client.post("/api/v4/site_url/test", json={"site_url": bad}, headers=auth(admin))
            assert response.status_code == 400 and response.get_json()["id"] == "app.admin.test_site_url.failure"
    finally:
        server.shutdown()
        server.server_close()
    assert client.post("/api/v4/site_url/test", json={"site_url": ""}, headers=auth(admin)).status_code == 400


# ---------------------------------------------------------------------------
# The license of an unlicensed server

def test_license_operations(client, admin, listen):
    user = person(client, admin)
    heard = listen(admin, user)
    response = client.delete("/api/v4/license", headers=auth(admin))
    assert response.status_code == 200 and response.get_json() == {"status": "OK"}
    for who in (admin, user):
        got = heard[who["user_id"]].named("license_changed")
        assert [g["data"] for g in got] == [{"license": {"IsLicensed": "false"}}]
    upload = {"license": (io.BytesIO(b"bm90IGEgbGljZW5zZQ=="), "mattermost.mattermost-license")}
    for path in ("/license", "/license/preview"):
        response = client.post("/api/v4" + path, data=copy.deepcopy(upload), headers=auth(admin),
                               content_type="multipart/form-data")
        assert response.status_code == 400, response.data
        assert response.get_json()["id"] == "api.license.add_license.invalid.app_error"
        response = client.post("/api/v4" + path, data={"other": "x"}, headers=auth(admin),
                               content_type="multipart/form-data")
        assert response.status_code == 400
        response = client.post("/api/v4" + path, data=copy.deepcopy(upload), headers=auth(user),
                               content_type="multipart/form-data")
        assert response.status_code == 403
    assert client.get("/api/v4/license/client?format=old", headers=auth(admin)).get_json() == {"IsLicensed": "false"}
    assert client.get("/api/v4/license/load_metric", headers=auth(user)).get_json() == {"load": 0}
    for method, path, body in (("POST", "/trial-license", {"users": 10}), ("GET", "/trial-license/prev", None)):
        response = client.open("/api/v4" + path, method=method, json=body, headers=auth(admin))
        assert response.status_code == 403 and response.get_json()["id"] == "api.license.upgrade_needed.app_error"


# ---------------------------------------------------------------------------
# Two workers on PostgreSQL: a change made through one is served by the other

def test_a_patch_through_one_worker_is_served_by_the_other(postgres_server, tmp_path):
    from realserver import RealServer, listeners, wait_until
    dsn = postgres_server.new_database()
    env = dict(MM_SQLSETTINGS_DRIVERNAME="postgres", MM_SQLSETTINGS_DATASOURCE=dsn,
               MM_PYTHONSETTINGS_PASSWORDWORKFACTOR="1000", MM_PYTHONSETTINGS_LOGINRATELIMITMAXBURST="100000")

    with running_server(tmp_path, env, workers=2, timeout=60, quiet=True) as (base, process):
        # Both workers listen (and caught up with the file) before the change:
        # only the event can tell the other one.
        wait_until(lambda: len(listeners(dsn.split("?")[0])) == 2, 20, "both workers to LISTEN")
        server = RealServer(base, process)
        api_request(base, "POST", "/api/v4/users",
                    {"username": "cfgadmin", "email": "cfgadmin@example.com", "password": PASSWORD})
        _, headers = api_request(base, "POST", "/api/v4/users/login", {"login_id": "cfgadmin", "password": PASSWORD})
        token = headers["Token"]
        port = int(base.rsplit(":", 1)[1])

        def on_a_new_connection(method, path, body=None):
            """(worker pid, status, answer) of one request on a fresh connection;
            the worker is read from /proc while the kept-alive connection is open."""
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            try:
                connection.request(method, path, body=json.dumps(body) if body is not None else None,
                                   headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
                response = connection.getresponse()
                answer = json.loads(response.read())
                return server.worker_holding(connection.sock.getsockname()[1]), response.status, answer
            finally:
                connection.close()

        _, status, answer = on_a_new_connection(
            "PUT", "/api/v4/config/patch", {"TeamSettings": {"SiteName": "Both Workers"}})
        assert status == 200, answer
        seen = {}                 # worker pid -> the SiteName it served last
        deadline = time.monotonic() + 30
        while not (len(seen) == 2 and set(seen.values()) == {"Both Workers"}):
            assert time.monotonic() < deadline, "served by the workers: %s" % seen
            pid, status, answer = on_a_new_connection("GET", "/api/v4/config/client?format=old")
            if pid is not None and status == 200:
                seen[pid] = answer["SiteName"]
        written = json.loads((tmp_path / "config.json").read_text())
        assert written["TeamSettings"]["SiteName"] == "Both Workers"
        assert written["SqlSettings"]["DriverName"] != "postgres"      # environment overrides stay out
