"""The last account operations: the admin user report, accounts with invalid
emails, moving an account between sign-in services, and the operations an
unlicensed Team Edition server refuses, on both stores."""
import base64
import json
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import PASSWORD, auth, create, login, unique
from store import ids, models, teams, users

DAY = 24 * 60 * 60 * 1000


def _ids(response):
    assert response.status_code == 200, response.data
    return [u["id"] for u in response.get_json()]


def _manager(client, admin, app):
    """A read-only system admin: may read the user management section, is not a system admin."""
    created = create(client, admin)
    with app.app_context():
        users.set_roles(created["id"], "system_user system_read_only_admin")
    return created, login(client, created["username"])


def _post(app, user_id, at):
    with app.app_context():
        models.Post.insert(id=ids.new_id(), create_at=at, update_at=at, user_id=user_id,
                           channel_id=ids.new_id(), message="hello").execute()


# ---------------------------------------------------------------------------
# GET /reports/users

def test_report_needs_a_session_and_a_system_admin(client, admin, app):
    assert client.get("/api/v4/reports/users").status_code == 401
    plain = login(client, create(client, admin)["username"])
    response = client.get("/api/v4/reports/users", headers=auth(plain))
    assert response.status_code == 403
    assert response.get_json()["id"] == "api.context.permissions.app_error"
    # A read-only admin may read the section but is not a system admin.
    _, manager = _manager(client, admin, app)
    assert client.get("/api/v4/reports/users", headers=auth(manager)).status_code == 403


def test_report_lists_users_with_their_activity(client, admin, app):
    prefix = unique("rep")
    a = create(client, admin, username=prefix + "a", first_name="Ann", nickname="annie")
    b = create(client, admin, username=prefix + "b")
    now = int(time.time() * 1000)
    for at in (now, now - 1000, now - 3 * DAY):
        _post(app, a["id"], at)
    with app.app_context():
        models.Status.insert(user_id=a["id"], status="online", last_activity_at=now - 5).execute()
    login(client, b["username"])
    response = client.get("/api/v4/reports/users", query_string={"search_term": prefix}, headers=auth(admin))
    body = response.get_json()
    assert [u["username"] for u in body] == [prefix + "a", prefix + "b"]
    first, second = body
    assert first["last_post_date"] == now and first["total_posts"] == 3 and first["days_active"] == 2
    assert first["last_status_at"] == now - 5 and first["first_name"] == "Ann"
    assert first["email"] == prefix + "a@example.com" and first["roles"] == "system_user"
    for field in ("password", "mfa_secret", "notify_props", "email_verified", "failed_attempts",
                  "last_password_update"):
        assert field not in first
    assert second["days_active"] == 0 and "total_posts" not in second and "last_post_date" not in second
    assert "last_status_at" not in second and second["last_login"] > 0

    # The date range narrows the post statistics.
    response = client.get("/api/v4/reports/users", headers=auth(admin),
                          query_string={"search_term": prefix + "a", "date_range": "last_30_days"})
    assert response.get_json()[0]["total_posts"] == 3
    response = client.get("/api/v4/reports/users", headers=auth(admin),
                          query_string={"search_term": prefix + "a", "date_range": "previous_month"})
    assert response.get_json()[0]["days_active"] == 0


def test_report_sorts_and_pages_by_cursor(client, admin):
    prefix = unique("page")
    made = [create(client, admin, username="%s%d" % (prefix, i)) for i in range(5)]
    names = [u["username"] for u in made]

    def page(**query):
        query.setdefault("search_term", prefix)
        response = client.get("/api/v4/reports/users", query_string=query, headers=auth(admin))
        assert response.status_code == 200, response.data
        return [u["username"] for u in response.get_json()]

    assert page() == names
    assert page(sort_direction="desc") == names[::-1]
    assert page(page_size=2) == names[:2]
    # Next page after the second row, then the page before the fourth.
    assert page(page_size=2, from_column_value=names[1], from_id=made[1]["id"]) == names[2:4]
    assert page(page_size=2, direction="prev", from_column_value=names[3], from_id=made[3]["id"]) == names[1:3]
    # Descending, next and previous.
    assert page(page_size=2, sort_direction="desc", from_column_value=names[3], from_id=made[3]["id"]) \
        == [names[2], names[1]]
    assert page(page_size=2, sort_direction="desc", direction="prev", from_column_value=names[1],
                from_id=made[1]["id"]) == [names[3], names[2]]
    # By creation time, with a numeric cursor.
    assert page(sort_column="CreateAt", page_size=3, from_column_value=str(made[0]["create_at"]),
                from_id=made[0]["id"]) == names[1:4]
    assert page(sort_column="Email") == names


def test_report_filters(client, admin, app):
    prefix = unique("filt")
    member = create(client, admin, username=prefix + "member")
    loner = create(client, admin, username=prefix + "loner")
    gone = create(client, admin, username=prefix + "gone")
    with app.app_context():
        team = teams.create({"display_name": "Report team", "name": unique("team"), "type": "O"})
        teams.add_member(team, users.get(member["id"]))
        users.set_roles(loner["id"], "system_user system_user_manager")
    assert client.delete("/api/v4/users/" + gone["id"], headers=auth(admin)).status_code == 200

    def names(**query):
        response = client.get("/api/v4/reports/users", headers=auth(admin),
                              query_string={"search_term": prefix, **query})
        assert response.status_code == 200, response.data
        return sorted(u["username"][len(prefix):] for u in response.get_json())

    assert names() == ["gone", "loner", "member"]
    assert names(team_filter=team.id) == ["member"]
    assert names(has_no_team="true") == ["gone", "loner"]
    assert names(hide_inactive="true") == ["loner", "member"]
    assert names(hide_active="true") == ["gone"]
    assert names(role_filter="system_user_manager") == ["loner"]
    assert names(search_term=prefix + "lo") == ["loner"]


def test_report_leaves_out_bots(client, admin, app):
    app.config["MM_CONFIG"]["ServiceSettings"]["EnableBotAccountCreation"] = True
    try:
        name = unique("repbot")
        response = client.post("/api/v4/bots", json={"username": name}, headers=auth(admin))
        assert response.status_code == 201, response.data
    finally:
        app.config["MM_CONFIG"]["ServiceSettings"]["EnableBotAccountCreation"] = False
    response = client.get("/api/v4/reports/users", query_string={"search_term": name}, headers=auth(admin))
    assert response.get_json() == []


@pytest.mark.parametrize("query,error_id", [
    ({"team_filter": "not-an-id"}, "api.getUsersForReporting.invalid_team_filter"),
    ({"hide_active": "true", "hide_inactive": "true"}, "api.getUsersForReporting.invalid_active_filter"),
    ({"sort_column": "Password"}, "model.user_report_options.is_valid.invalid_sort_column"),
    ({"sort_column": "CreateAt", "from_column_value": "yesterday", "from_id": "a" * 26},
     "api.context.invalid_url_param.app_error"),
])
def test_report_bad_parameters(client, admin, query, error_id):
    response = client.get("/api/v4/reports/users", query_string=query, headers=auth(admin))
    assert response.status_code == 400
    assert response.get_json()["id"] == error_id


@pytest.mark.parametrize("size", ["0", "101"])
def test_report_page_size_limits(client, admin, size):
    response = client.get("/api/v4/reports/users", query_string={"page_size": size}, headers=auth(admin))
    assert response.status_code == 400


def test_report_bad_parameters_after_permission(client, admin):
    plain = login(client, create(client, admin)["username"])
    response = client.get("/api/v4/reports/users", query_string={"team_filter": "bad"}, headers=auth(plain))
    assert response.status_code == 403


# ---------------------------------------------------------------------------
# GET /users/invalid_emails

def test_invalid_emails(client, admin, app):
    team = app.config["MM_CONFIG"]["TeamSettings"]
    good = create(client, admin, email=unique("ok") + "@good.example")
    bad = create(client, admin, email=unique("no") + "@bad.example")
    guest = create(client, admin, email=unique("gu") + "@bad.example")
    gone = create(client, admin, email=unique("go") + "@bad.example")
    sso = create(client, admin, email=unique("ss") + "@bad.example")
    with app.app_context():
        users.set_roles(guest["id"], "system_guest")
        users.set_auth(sso["id"], "gitlab", unique("gl"))
    assert client.delete("/api/v4/users/" + gone["id"], headers=auth(admin)).status_code == 200
    team["RestrictCreationToDomains"] = "good.example,example.com"
    try:
        found = _ids(client.get("/api/v4/users/invalid_emails", query_string={"per_page": 200},
                                headers=auth(admin)))
        assert bad["id"] in found
        for other in (good, guest, gone, sso, {"id": admin["user_id"]}):
            assert other["id"] not in found
        listed = client.get("/api/v4/users/invalid_emails", query_string={"per_page": 200},
                            headers=auth(admin)).get_json()
        entry = next(u for u in listed if u["id"] == bad["id"])
        assert entry["email"] == bad["email"] and "password" not in entry
        # Paging.
        assert len(_ids(client.get("/api/v4/users/invalid_emails", query_string={"per_page": 1},
                                   headers=auth(admin)))) == 1
        assert _ids(client.get("/api/v4/users/invalid_emails", query_string={"page": 50, "per_page": 100},
                               headers=auth(admin))) == []
        # A read-only admin may read it too.
        _, manager = _manager(client, admin, app)
        assert bad["id"] in _ids(client.get("/api/v4/users/invalid_emails", query_string={"per_page": 200},
                                            headers=auth(manager)))
    finally:
        team["RestrictCreationToDomains"] = ""
    # With no restriction every email account is listed.
    assert good["id"] in _ids(client.get("/api/v4/users/invalid_emails", query_string={"per_page": 200},
                                         headers=auth(admin)))


def test_invalid_emails_refusals(client, admin, app):
    assert client.get("/api/v4/users/invalid_emails").status_code == 401
    plain = login(client, create(client, admin)["username"])
    response = client.get("/api/v4/users/invalid_emails", headers=auth(plain))
    assert response.status_code == 403
    assert response.get_json()["id"] == "api.context.permissions.app_error"
    team = app.config["MM_CONFIG"]["TeamSettings"]
    team["EnableOpenServer"] = True
    try:
        for who in (admin, plain):
            response = client.get("/api/v4/users/invalid_emails", headers=auth(who))
            assert response.status_code == 400
            assert response.get_json()["id"] == "<untranslated>"
    finally:
        team["EnableOpenServer"] = False


# ---------------------------------------------------------------------------
# DELETE /users (local mode only)

def test_permanent_delete_all_users_is_not_served_over_the_network(client, admin):
    assert client.delete("/api/v4/users").status_code == 404   # with or without a session
    before = client.get("/api/v4/users/stats", headers=auth(admin)).get_json()["total_users_count"]
    response = client.delete("/api/v4/users", headers=auth(admin))
    assert response.status_code == 404
    assert response.get_json()["id"] == "api.context.404.app_error"
    assert client.get("/api/v4/users/stats", headers=auth(admin)).get_json()["total_users_count"] == before


# ---------------------------------------------------------------------------
# Cloud and mobile logins

def test_login_by_cws_token_needs_a_cloud_license(client, admin):
    for headers in ({}, auth(admin)):
        response = client.post("/api/v4/users/login/cws", json={"login_id": "firstadmin", "cws_token": "x"},
                               headers=headers)
        assert response.status_code == 401
        assert response.get_json()["id"] == "api.user.login_cws.license.error"


def test_sso_code_exchange_is_gone(client, admin):
    body = {"login_code": "a", "code_verifier": "b", "state": "c"}
    for headers in ({}, auth(admin)):
        response = client.post("/api/v4/users/login/sso/code-exchange", json=body, headers=headers)
        assert response.status_code == 410
        assert response.headers["Deprecation"] == "true"
        assert response.get_json()["id"] == "api.user.login_sso_code_exchange.deprecated.app_error"


# ---------------------------------------------------------------------------
# POST /users/login/switch

def _switch(client, headers=None, **body):
    return client.post("/api/v4/users/login/switch", json=body, headers=headers or {})


@pytest.mark.parametrize("current,new", [
    ("email", "email"), ("email", "facebook"), ("ldap", "saml"), ("gitlab", "ldap"), ("", "")])
def test_switch_unknown_transitions(client, admin, current, new):
    response = _switch(client, current_service=current, new_service=new, email="first@example.com")
    assert response.status_code == 400
    assert response.get_json()["id"] == "api.context.invalid_body_param.app_error"


def test_switch_email_to_saml_gives_the_link(client, admin, app):
    user = create(client, admin)
    response = _switch(client, current_service="email", new_service="saml", email=user["email"],
                       password=PASSWORD)
    assert response.status_code == 200, response.data
    link = response.get_json()["follow_link"]
    assert link.startswith("/login/sso/saml?action=email_to_sso&email_token=")
    token = parse_qs(urlsplit(link).query)["email_token"][0]
    with app.app_context():
        row = models.Token.get_or_none(models.Token.token == token)
    assert row is not None and row.type == "saml"


@pytest.mark.parametrize("service", ["gitlab", "google", "office365", "openid"])
def test_switch_email_to_oauth_disabled_service(client, admin, service):
    user = create(client, admin)
    response = _switch(client, current_service="email", new_service=service, email=user["email"],
                       password=PASSWORD)
    assert response.status_code == 501
    assert response.get_json()["id"] == "api.user.authorize_oauth_user.unsupported.app_error"


def test_switch_email_to_gitlab_when_enabled(client, admin, app):
    config = app.config["MM_CONFIG"]
    saved = dict(config["GitLabSettings"])
    config["GitLabSettings"].update(Enable=True, Id="client-id", AuthEndpoint="https://gitlab.example/oauth/authorize")
    config["GoogleSettings"]["Enable"] = True
    try:
        user = create(client, admin)
        response = _switch(client, current_service="email", new_service="gitlab", email=user["email"],
                           password=PASSWORD)
        assert response.status_code == 200, response.data
        link = urlsplit(response.get_json()["follow_link"])
        assert link.netloc == "gitlab.example" and link.path == "/oauth/authorize"
        query = parse_qs(link.query)
        assert query["response_type"] == ["code"] and query["client_id"] == ["client-id"]
        assert query["redirect_uri"][0].endswith("/signup/gitlab/complete")
        state = json.loads(base64.b64decode(query["state"][0]))
        assert state["action"] == "email_to_sso" and state["email"] == user["email"]
        cookie = response.headers.get("Set-Cookie", "")
        assert cookie.startswith("MMOAUTH=") and "HttpOnly" in cookie
        with app.app_context():
            row = models.Token.get_or_none(models.Token.token == state["token"])
        assert row is not None and row.type == "oauth"
        # Google is enabled, but its provider is not part of Team Edition.
        response = _switch(client, current_service="email", new_service="google", email=user["email"],
                           password=PASSWORD)
        assert response.status_code == 501
        assert response.get_json()["id"] == "api.user.login_by_oauth.not_available.app_error"
        # A GitLab set up for OpenID is the OpenID provider, not in Team Edition either.
        config["GitLabSettings"]["Scope"] = "openid profile"
        response = _switch(client, current_service="email", new_service="gitlab", email=user["email"],
                           password=PASSWORD)
        assert response.status_code == 501
        assert response.get_json()["id"] == "api.user.login_by_oauth.not_available.app_error"
    finally:
        config["GitLabSettings"].clear()
        config["GitLabSettings"].update(saved)
        config["GoogleSettings"]["Enable"] = False


def test_switch_from_email_checks_the_account(client, admin, app):
    user = create(client, admin)
    for new in ("saml", "gitlab", "ldap"):
        response = _switch(client, current_service="email", new_service=new, email="nobody@nowhere.example",
                           password=PASSWORD)
        assert response.status_code == 404
        assert response.get_json()["id"] == "app.user.missing_account.const"
        response = _switch(client, current_service="email", new_service=new, email=user["email"],
                           password="wrong-password-1")
        assert response.status_code == 401
        assert response.get_json()["id"] == "api.user.check_user_password.invalid.app_error"
    with app.app_context():
        assert users.get(user["id"]).failed_attempts == 3
    # A right password forgets the failed attempts.
    _switch(client, current_service="email", new_service="saml", email=user["email"], password=PASSWORD)
    with app.app_context():
        assert users.get(user["id"]).failed_attempts == 0
    gone = create(client, admin)
    assert client.delete("/api/v4/users/" + gone["id"], headers=auth(admin)).status_code == 200
    response = _switch(client, current_service="email", new_service="saml", email=gone["email"],
                       password=PASSWORD)
    assert response.status_code == 401
    assert response.get_json()["id"] == "api.user.login.inactive.app_error"


def test_switch_email_to_ldap_is_not_available(client, admin):
    user = create(client, admin)
    who = login(client, user["username"])
    response = _switch(client, current_service="email", new_service="ldap", email=user["email"],
                       password=PASSWORD, ldap_id="someone")
    assert response.status_code == 501
    assert response.get_json()["id"] == "api.user.email_to_ldap.not_available.app_error"
    # As in Mattermost, the account's sessions ended before LDAP was found missing.
    assert client.get("/api/v4/users/me", headers=auth(who)).status_code == 401


def test_switch_ldap_to_email(client, admin, app):
    user = create(client, admin)
    response = _switch(client, current_service="ldap", new_service="email", email=user["email"],
                       password="x", new_password=PASSWORD)
    assert response.status_code == 400
    assert response.get_json()["id"] == "api.user.ldap_to_email.not_ldap_account.app_error"
    with app.app_context():
        users.set_auth(user["id"], "ldap", unique("ld"))
    response = _switch(client, current_service="ldap", new_service="email", email=user["email"], password="x")
    assert response.status_code == 501
    assert response.get_json()["id"] == "api.user.ldap_to_email.not_available.app_error"
    response = _switch(client, current_service="ldap", new_service="email", email="nobody@nowhere.example")
    assert response.status_code == 404
    email = app.config["MM_CONFIG"]["EmailSettings"]
    email["EnableSignUpWithEmail"] = False
    try:
        response = _switch(client, current_service="ldap", new_service="email", email=user["email"])
        assert response.status_code == 403
        assert response.get_json()["id"] == "api.user.auth_switch.not_available.email_signup_disabled.app_error"
    finally:
        email["EnableSignUpWithEmail"] = True


def test_switch_oauth_to_email(client, admin, app):
    user = create(client, admin)
    other = create(client, admin)
    who = login(client, user["username"])
    with app.app_context():
        users.set_auth(user["id"], "gitlab", unique("gl"))
    body = {"current_service": "gitlab", "new_service": "email", "email": user["email"],
            "new_password": "a-new-password-7"}
    response = _switch(client, **body)
    assert response.status_code == 401
    assert response.get_json()["id"] == "api.context.session_expired.app_error"
    # Only the account's owner.
    response = _switch(client, auth(who), **{**body, "email": other["email"]})
    assert response.status_code == 403
    assert response.get_json()["id"] == "api.user.oauth_to_email.context.app_error"
    response = _switch(client, auth(who), **{**body, "email": "nobody@nowhere.example"})
    assert response.status_code == 404
    response = _switch(client, auth(who), **{**body, "new_password": "short"})
    assert response.status_code == 400
    assert response.get_json()["id"] == "model.user.is_valid.pwd_min_length.app_error"
    settings = app.config["MM_CONFIG"]["EmailSettings"]
    settings["EnableSignInWithEmail"] = settings["EnableSignInWithUsername"] = False
    try:
        response = _switch(client, auth(who), **body)
        assert response.status_code == 403
        assert response.get_json()["id"] == "api.user.auth_switch.not_available.login_disabled.app_error"
    finally:
        settings["EnableSignInWithEmail"] = settings["EnableSignInWithUsername"] = True
    response = _switch(client, auth(who), **body)
    assert response.status_code == 200, response.data
    assert response.get_json() == {"follow_link": "/login?extra=signin_change"}
    with app.app_context():
        row = users.get(user["id"])
        assert row.auth_service == "" and not row.auth_data
    # Every session ended; the new password signs in.
    assert client.get("/api/v4/users/me", headers=auth(who)).status_code == 401
    login(client, user["username"], "a-new-password-7")


# ---------------------------------------------------------------------------
# POST /users/migrate_auth/ldap and /saml

@pytest.mark.parametrize("body,name", [
    ({"from": "ldap", "match_field": "email", "force": False}, "from"),
    ({"from": "", "match_field": "email", "force": False}, "from"),
    ({"from": "email", "match_field": "email", "force": "yes"}, "force"),
    ({"from": "email", "match_field": 3, "force": True}, "match_field"),
    ({"from": "email", "force": True}, "match_field"),
])
def test_migrate_to_ldap_bad_bodies(client, admin, body, name):
    response = client.post("/api/v4/users/migrate_auth/ldap", json=body, headers=auth(admin))
    assert response.status_code == 400, response.data


def test_migrate_to_ldap(client, admin):
    body = {"from": "gitlab", "match_field": "email", "force": False}
    assert client.post("/api/v4/users/migrate_auth/ldap", json=body).status_code == 401
    plain = login(client, create(client, admin)["username"])
    response = client.post("/api/v4/users/migrate_auth/ldap", json=body, headers=auth(plain))
    assert response.status_code == 403
    response = client.post("/api/v4/users/migrate_auth/ldap", json=body, headers=auth(admin))
    assert response.status_code == 501
    assert response.get_json()["id"] == "api.admin.ldap.not_available.app_error"
    # The body is checked before the permission.
    response = client.post("/api/v4/users/migrate_auth/ldap", json={**body, "from": "ldap"}, headers=auth(plain))
    assert response.status_code == 400


@pytest.mark.parametrize("body", [
    {"from": "saml", "matches": {}, "auto": True},
    {"from": "email", "matches": {}, "auto": "no"},
    {"from": "email", "matches": [], "auto": True},
])
def test_migrate_to_saml_bad_bodies(client, admin, body):
    response = client.post("/api/v4/users/migrate_auth/saml", json=body, headers=auth(admin))
    assert response.status_code == 400, response.data


def test_migrate_to_saml(client, admin):
    body = {"from": "ldap", "matches": {"a@b.io": "a"}, "auto": False}
    assert client.post("/api/v4/users/migrate_auth/saml", json=body).status_code == 401
    plain = login(client, create(client, admin)["username"])
    response = client.post("/api/v4/users/migrate_auth/saml", json=body, headers=auth(plain))
    assert response.status_code == 403
    response = client.post("/api/v4/users/migrate_auth/saml", json=body, headers=auth(admin))
    assert response.status_code == 501
    assert response.get_json()["id"] == "api.admin.saml.not_available.app_error"
