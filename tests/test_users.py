"""Accounts, login, sessions and roles, on both stores, as Mattermost has them."""
import pytest

from conftest import PASSWORD, auth, create, login, unique
from store import models, passwords, users as store_users

def test_first_user_is_admin_and_email_lowercased(client, admin):
    me = client.get("/api/v4/users/me", headers=auth(admin)).get_json()
    assert me["username"] == "firstadmin" and me["email"] == "first@example.com"
    assert me["roles"] == "system_admin system_user"
    assert "password" not in me and "mfa_secret" not in me and me["auth_data"] == ""
    assert me["notify_props"]["push"] == "mention"
    assert me["timezone"]["useAutomaticTimezone"] == "true"


def test_password_stored_in_mattermost_format(client, admin):
    user = create(client, admin)
    stored = models.User.get_by_id(user["id"]).password
    assert stored.startswith("$pbkdf2$f=SHA256,w=1000,l=32$")
    assert passwords.verify(PASSWORD, stored)


def test_signup_closed_without_open_server(client, admin):
    response = client.post("/api/v4/users", json={"username": unique(), "email": unique() + "@x.io",
                                                  "password": PASSWORD})
    assert response.status_code == 403
    assert response.get_json()["id"] == "api.user.create_user.no_open_server"


def test_signup_open_server_and_disabled_creation(client, admin, app):
    team = app.config["MM_CONFIG"]["TeamSettings"]
    team["EnableOpenServer"] = True
    try:
        name = unique()
        response = client.post("/api/v4/users", json={"username": name, "email": name + "@x.io",
                                                      "password": PASSWORD})
        assert response.status_code == 201
        assert response.get_json()["roles"] == "system_user"
        team["EnableUserCreation"] = False
        response = client.post("/api/v4/users", json={"username": unique(), "email": unique() + "@x.io",
                                                      "password": PASSWORD})
        assert response.status_code == 501
        assert response.get_json()["id"] == "api.user.create_user.signup_email_disabled.app_error"
        # A system admin may still create accounts.
        create(client, admin)
    finally:
        team["EnableOpenServer"] = False
        team["EnableUserCreation"] = True


@pytest.mark.parametrize("body,error_id", [
    ({"username": "Has Space", "email": "a@b.io"}, "model.user.is_valid.username.app_error"),
    ({"username": "all", "email": "a@b.io"}, "model.user.is_valid.username.app_error"),
    ({"username": "x" * 65, "email": "a@b.io"}, "model.user.is_valid.username.app_error"),
    ({"username": "okname", "email": "not-an-email"}, "model.user.is_valid.email.app_error"),
    ({"username": "okname", "email": "a@b.io", "nickname": "n" * 65}, "model.user.is_valid.nickname.app_error"),
    ({"username": "okname", "email": "a@b.io", "password": "short"}, "model.user.is_valid.pwd_min_length.app_error"),
    ({"username": "okname", "email": "a@b.io", "password": "p" * 73}, "model.user.is_valid.pwd_max_length.app_error"),
])
def test_create_user_validation(client, admin, body, error_id):
    body.setdefault("password", PASSWORD)
    response = client.post("/api/v4/users", json=body, headers=auth(admin))
    assert response.status_code == 400
    assert response.get_json()["id"] == error_id


def test_password_character_classes(client, admin, app):
    settings = app.config["MM_CONFIG"]["PasswordSettings"]
    settings.update(Uppercase=True, Number=True)
    try:
        response = client.post("/api/v4/users", json={"username": unique(), "email": unique() + "@x.io",
                                                      "password": "alllowercase"}, headers=auth(admin))
        assert response.get_json()["id"] == "model.user.is_valid.pwd_uppercase_number.app_error"
        create(client, admin, password="Upper1234")
    finally:
        settings.update(Uppercase=False, Number=False)


def test_duplicate_username_and_email(client, admin):
    user = create(client, admin)
    response = client.post("/api/v4/users", json={"username": user["username"], "email": unique() + "@x.io",
                                                  "password": PASSWORD}, headers=auth(admin))
    assert response.get_json()["id"] == "app.user.save.username_exists.app_error"
    response = client.post("/api/v4/users", json={"username": unique(), "email": user["email"].upper(),
                                                  "password": PASSWORD}, headers=auth(admin))
    assert response.get_json()["id"] == "app.user.save.email_exists.app_error"


def test_login_by_username_and_email(client, admin):
    user = create(client, admin)
    by_name = login(client, user["username"].upper())
    by_email = login(client, user["email"])
    assert by_name["user_id"] == by_email["user_id"] == user["id"]
    assert by_name["token"] != by_email["token"]


def test_login_takes_nulls_as_the_python_driver_sends_them(client, admin):
    user = create(client, admin)
    response = client.post("/api/v4/users/login", json={"login_id": user["username"], "password": PASSWORD,
                                                         "token": None, "device_id": None})
    assert response.status_code == 200, response.data


def test_login_sets_cookies_only_for_browsers(client, admin):
    user = create(client, admin)
    plain = client.post("/api/v4/users/login", json={"login_id": user["username"], "password": PASSWORD})
    assert "Set-Cookie" not in plain.headers
    browser = client.post("/api/v4/users/login", json={"login_id": user["username"], "password": PASSWORD},
                          headers={"X-Requested-With": "XMLHttpRequest"})
    cookies = {c.split("=", 1)[0]: c for c in browser.headers.getlist("Set-Cookie")}
    assert set(cookies) == {"MMAUTHTOKEN", "MMUSERID", "MMCSRF"}
    assert "HttpOnly" in cookies["MMAUTHTOKEN"] and "HttpOnly" not in cookies["MMCSRF"]
    assert cookies["MMAUTHTOKEN"].startswith("MMAUTHTOKEN=" + browser.headers["Token"])
    assert "Max-Age=2592000" in cookies["MMAUTHTOKEN"]


def test_cookie_session_with_csrf(app, admin):
    browser = app.test_client()
    user = create(browser, admin)
    response = browser.post("/api/v4/users/login", json={"login_id": user["username"], "password": PASSWORD},
                            headers={"X-Requested-With": "XMLHttpRequest"})
    csrf = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("MMCSRF=")).split(";")[0][7:]
    assert browser.get("/api/v4/users/me").get_json()["id"] == user["id"]
    body = {"new_password": "another-pass-1", "current_password": PASSWORD}
    refused = browser.put("/api/v4/users/me/password", json=body)
    assert refused.status_code == 401
    assert browser.put("/api/v4/users/me/password", json=body, headers={"X-CSRF-Token": csrf}).status_code == 200


def test_login_failures_are_masked(client, admin):
    user = create(client, admin)
    for body in ({"login_id": "nobody-here", "password": PASSWORD},
                 {"login_id": user["username"], "password": "wrong-password"}):
        response = client.post("/api/v4/users/login", json=body)
        assert response.status_code == 401
        assert response.get_json()["id"] == "api.user.login.invalid_credentials_email_username"
    response = client.post("/api/v4/users/login", json={"login_id": user["username"], "password": ""})
    assert response.status_code == 400
    assert response.get_json()["id"] == "api.user.login.blank_pwd.app_error"


def test_login_locks_after_maximum_attempts(client, admin, app):
    user = create(client, admin)
    attempts = app.config["MM_CONFIG"]["ServiceSettings"]["MaximumLoginAttempts"]
    for _ in range(attempts):
        client.post("/api/v4/users/login", json={"login_id": user["username"], "password": "bad-password"})
    response = client.post("/api/v4/users/login", json={"login_id": user["username"], "password": PASSWORD})
    assert response.status_code == 401
    assert response.get_json()["id"] == "api.user.check_user_login_attempts.too_many.app_error"


def test_login_resets_failed_attempts(client, admin):
    user = create(client, admin)
    client.post("/api/v4/users/login", json={"login_id": user["username"], "password": "bad-password"})
    assert models.User.get_by_id(user["id"]).failed_attempts == 1
    login(client, user["username"])
    assert models.User.get_by_id(user["id"]).failed_attempts == 0


def test_deactivated_and_bot_accounts_cannot_log_in(client, admin):
    user = create(client, admin)
    store_users.write(user["id"], delete_at=1)
    response = client.post("/api/v4/users/login", json={"login_id": user["username"], "password": "wrong"})
    assert response.get_json()["id"] == "api.user.login.inactive.app_error"
    bot = create(client, admin)
    store_users.write(bot["id"], is_bot=True)
    response = client.post("/api/v4/users/login", json={"login_id": bot["username"], "password": PASSWORD})
    assert response.get_json()["id"] == "api.user.login.bot_login_forbidden.app_error"


def test_legacy_bcrypt_hash_logs_in_and_is_upgraded(client, admin):
    import bcrypt
    user = create(client, admin)
    legacy = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(4)).decode()
    store_users.write(user["id"], password=legacy)
    login(client, user["username"])
    assert models.User.get_by_id(user["id"]).password.startswith("$pbkdf2$")


def test_logout_revokes_the_session(client, admin):
    user = create(client, admin)
    who = login(client, user["username"])
    assert client.get("/api/v4/users/me", headers=auth(who)).status_code == 200
    assert client.post("/api/v4/users/logout", headers=auth(who)).status_code == 200
    assert client.get("/api/v4/users/me", headers=auth(who)).status_code == 401


def test_expired_session_is_refused(client, admin):
    user = create(client, admin)
    who = login(client, user["username"])
    models.Session.update(expires_at=1).where(models.Session.token == who["token"]).execute()
    assert client.get("/api/v4/users/me", headers=auth(who)).status_code == 401
    assert models.Session.get_or_none(models.Session.token == who["token"]) is None


def test_get_users_and_privacy(client, admin, app):
    user = create(client, admin, first_name="Ada", last_name="Lovelace")
    other = create(client, admin)
    viewer = login(client, other["username"])
    seen = client.get("/api/v4/users/" + user["id"], headers=auth(viewer)).get_json()
    assert seen["email"] == user["email"] and seen["first_name"] == "Ada"
    assert "notify_props" not in seen and seen["auth_service"] == ""
    privacy = app.config["MM_CONFIG"]["PrivacySettings"]
    privacy.update(ShowEmailAddress=False, ShowFullName=False)
    try:
        seen = client.get("/api/v4/users/" + user["id"], headers=auth(viewer)).get_json()
        assert seen["email"] == "" and seen["first_name"] == "" and seen["last_name"] == ""
        by_admin = client.get("/api/v4/users/" + user["id"], headers=auth(admin)).get_json()
        assert by_admin["email"] == user["email"]
        assert client.get("/api/v4/users/email/" + user["email"], headers=auth(viewer)).status_code == 403
    finally:
        privacy.update(ShowEmailAddress=True, ShowFullName=True)
    assert client.get("/api/v4/users/username/" + user["username"], headers=auth(viewer)).get_json()["id"] == user["id"]
    assert client.get("/api/v4/users/email/" + user["email"], headers=auth(viewer)).get_json()["id"] == user["id"]
    assert client.get("/api/v4/users/" + "z" * 26, headers=auth(viewer)).status_code == 404
    assert client.get("/api/v4/users/username/nobody-at-all", headers=auth(viewer)).status_code == 404
    assert client.get("/api/v4/users/" + user["id"]).status_code == 401
    listed = client.post("/api/v4/users/ids", json=[user["id"], other["id"]], headers=auth(viewer)).get_json()
    assert sorted(u["id"] for u in listed) == sorted([user["id"], other["id"]])
    listed = client.post("/api/v4/users/usernames", json=[user["username"]], headers=auth(viewer)).get_json()
    assert [u["id"] for u in listed] == [user["id"]]
    assert client.post("/api/v4/users/ids", json=[], headers=auth(viewer)).status_code == 400


def test_sessions_list_and_revoke(client, admin):
    user = create(client, admin)
    first, second = login(client, user["username"]), login(client, user["username"])
    listed = client.get("/api/v4/users/me/sessions", headers=auth(first)).get_json()
    assert len(listed) == 2 and all(s["token"] == "" for s in listed)
    target = next(s["id"] for s in listed if s["id"] != models.Session.get(models.Session.token == first["token"]).id)
    other = create(client, admin)
    stranger = login(client, other["username"])
    assert client.get("/api/v4/users/%s/sessions" % user["id"], headers=auth(stranger)).status_code == 403
    response = client.post("/api/v4/users/me/sessions/revoke", json={"session_id": target}, headers=auth(first))
    assert response.status_code == 200
    assert client.get("/api/v4/users/me", headers=auth(second)).status_code == 401
    assert client.post("/api/v4/users/%s/sessions/revoke/all" % user["id"], headers=auth(admin)).status_code == 200
    assert client.get("/api/v4/users/me", headers=auth(first)).status_code == 401


def test_revoke_all_users_sessions_needs_admin(client, admin):
    user = create(client, admin)
    who = login(client, user["username"])
    assert client.post("/api/v4/users/sessions/revoke/all", headers=auth(who)).status_code == 403


def test_password_change(client, admin):
    user = create(client, admin)
    who = login(client, user["username"])
    other_session = login(client, user["username"])
    wrong = client.put("/api/v4/users/me/password", json={"current_password": "nope", "new_password": "new-pass-12"},
                       headers=auth(who))
    assert wrong.get_json()["id"] == "api.user.update_password.incorrect.app_error"
    assert client.put("/api/v4/users/me/password", json={"current_password": PASSWORD, "new_password": "short"},
                      headers=auth(who)).status_code == 400
    assert client.put("/api/v4/users/me/password", json={"current_password": PASSWORD,
                                                         "new_password": "new-pass-12"},
                      headers=auth(who)).status_code == 200
    login(client, user["username"], "new-pass-12")
    assert client.get("/api/v4/users/me", headers=auth(other_session)).status_code == 401  # sessions ended
    stranger = login(client, create(client, admin)["username"])
    assert client.put("/api/v4/users/%s/password" % user["id"], json={"new_password": "x-pass-1234"},
                      headers=auth(stranger)).status_code == 403
    assert client.put("/api/v4/users/%s/password" % user["id"], json={"new_password": "admin-set-1"},
                      headers=auth(admin)).status_code == 200


def test_roles(client, admin):
    user = create(client, admin)
    who = login(client, user["username"])
    role = client.get("/api/v4/roles/name/system_user", headers=auth(who)).get_json()
    assert role["built_in"] and role["scheme_managed"] and "create_team" in role["permissions"]
    assert client.get("/api/v4/roles/" + role["id"], headers=auth(who)).get_json()["name"] == "system_user"
    admin_role = client.get("/api/v4/roles/name/system_admin", headers=auth(who)).get_json()
    assert "manage_system" in admin_role["permissions"] and len(admin_role["permissions"]) > 250
    names = client.post("/api/v4/roles/names", json=["team_user", "channel_user"], headers=auth(who)).get_json()
    assert sorted(r["name"] for r in names) == ["channel_user", "team_user"]
    assert client.get("/api/v4/roles", headers=auth(who)).status_code == 403
    assert len(client.get("/api/v4/roles", headers=auth(admin)).get_json()) >= 20
    assert client.get("/api/v4/roles/name/no_such_role", headers=auth(who)).status_code == 404
    assert client.get("/api/v4/roles/name/Bad-Name", headers=auth(who)).status_code == 400
    assert client.get("/api/v4/roles/" + "z" * 26, headers=auth(who)).status_code == 404
    assert client.get("/api/v4/roles/name/system_user").status_code == 401


def test_nothing_returns_a_password_hash(client, admin):
    user = create(client, admin)
    who = login(client, user["username"])
    for response in (client.get("/api/v4/users/me", headers=auth(who)),
                     client.get("/api/v4/users/" + user["id"], headers=auth(admin)),
                     client.post("/api/v4/users/ids", json=[user["id"]], headers=auth(who)),
                     client.post("/api/v4/users/login", json={"login_id": user["username"], "password": PASSWORD})):
        text = response.get_data(as_text=True)
        assert "$pbkdf2$" not in text and '"password"' not in text and "mfa_secret" not in text


def test_patch_own_profile(client, admin):
    user = create(client, admin)
    who = login(client, user["username"])
    response = client.put("/api/v4/users/me/patch", json={"nickname": "Nick", "first_name": "Grace"},
                          headers=auth(who))
    assert response.status_code == 200
    body = response.get_json()
    assert body["nickname"] == "Nick" and body["first_name"] == "Grace" and body["username"] == user["username"]
    assert body["update_at"] >= user["update_at"]
    bad = client.put("/api/v4/users/me/patch", json={"username": "No Spaces"}, headers=auth(who))
    assert bad.get_json()["id"] == "model.user.is_valid.username.app_error"


def test_patch_own_email_needs_password(client, admin):
    user = create(client, admin)
    who = login(client, user["username"])
    new_email = unique() + "@example.com"
    refused = client.put("/api/v4/users/me/patch", json={"email": new_email}, headers=auth(who))
    assert refused.status_code == 400
    accepted = client.put("/api/v4/users/me/patch", json={"email": new_email, "password": PASSWORD},
                          headers=auth(who))
    assert accepted.get_json()["email"] == new_email


def test_patch_someone_else(client, admin):
    user = create(client, admin)
    other = login(client, create(client, admin)["username"])
    assert client.put("/api/v4/users/%s/patch" % user["id"], json={"nickname": "x"},
                      headers=auth(other)).status_code == 403
    assert client.put("/api/v4/users/%s/patch" % admin["user_id"], json={"nickname": "x"},
                      headers=auth(other)).status_code == 403
    by_admin = client.put("/api/v4/users/%s/patch" % user["id"], json={"nickname": "Set by admin"},
                          headers=auth(admin))
    assert by_admin.get_json()["nickname"] == "Set by admin"
    taken = client.put("/api/v4/users/%s/patch" % user["id"], json={"username": "firstadmin"}, headers=auth(admin))
    assert taken.get_json()["id"] == "app.user.save.username_exists.app_error"
    assert client.put("/api/v4/users/%s/patch" % ("z" * 26), json={}, headers=auth(admin)).status_code == 404


def test_update_user(client, admin):
    user = create(client, admin, nickname="old")
    who = login(client, user["username"])
    body = {"id": user["id"], "username": user["username"], "email": user["email"], "first_name": "New"}
    updated = client.put("/api/v4/users/me", json=body, headers=auth(who)).get_json()
    assert updated["first_name"] == "New" and updated["nickname"] == ""
    assert client.put("/api/v4/users/me", json={**body, "id": "x" * 26}, headers=auth(who)).status_code == 400


def test_deactivate_and_reactivate(client, admin, app):
    user = create(client, admin)
    who = login(client, user["username"])
    assert client.put("/api/v4/users/me/active", json={"active": False}, headers=auth(who)).status_code == 401
    assert client.put("/api/v4/users/%s/active" % admin["user_id"], json={"active": False},
                      headers=auth(who)).status_code == 403
    assert client.put("/api/v4/users/%s/active" % user["id"], json={"active": False},
                      headers=auth(admin)).status_code == 200
    assert client.get("/api/v4/users/me", headers=auth(who)).status_code == 401  # its sessions ended
    response = client.post("/api/v4/users/login", json={"login_id": user["username"], "password": PASSWORD})
    assert response.get_json()["id"] == "api.user.login.inactive.app_error"
    assert client.put("/api/v4/users/%s/active" % user["id"], json={"active": True},
                      headers=auth(admin)).status_code == 200
    login(client, user["username"])
    app.config["MM_CONFIG"]["TeamSettings"]["EnableUserDeactivation"] = True
    try:
        again = login(client, user["username"])
        assert client.put("/api/v4/users/me/active", json={"active": False}, headers=auth(again)).status_code == 200
    finally:
        app.config["MM_CONFIG"]["TeamSettings"]["EnableUserDeactivation"] = False


def test_update_roles(client, admin):
    user = create(client, admin)
    who = login(client, user["username"])
    assert client.get("/api/v4/roles", headers=auth(who)).status_code == 403
    assert client.put("/api/v4/users/%s/roles" % user["id"], json={"roles": "system_user system_admin"},
                      headers=auth(who)).status_code == 403
    for bad in ("system_user no_such_role", "system_admin", ""):
        assert client.put("/api/v4/users/%s/roles" % user["id"], json={"roles": bad},
                          headers=auth(admin)).status_code == 400
    assert client.put("/api/v4/users/%s/roles" % user["id"], json={"roles": "system_user system_admin"},
                      headers=auth(admin)).status_code == 200
    # The live session has the new role at once.
    assert client.get("/api/v4/roles", headers=auth(who)).status_code == 200


def test_list_users(client, admin):
    created = [create(client, admin) for _ in range(3)]
    who = login(client, created[0]["username"])
    page = client.get("/api/v4/users?per_page=2&page=0", headers=auth(who)).get_json()
    assert len(page) == 2 and page == sorted(page, key=lambda u: u["username"])
    everyone = client.get("/api/v4/users?per_page=200", headers=auth(who)).get_json()
    assert {u["id"] for u in created} <= {u["id"] for u in everyone}
    assert all("notify_props" not in u for u in everyone if u["id"] != who["user_id"])
    admins = client.get("/api/v4/users?role=system_admin", headers=auth(who)).get_json()
    assert [u["username"] for u in admins] == ["firstadmin"] or "firstadmin" in [u["username"] for u in admins]
    # Sorting by creation or activity is for a team's users only, as in Mattermost.
    assert client.get("/api/v4/users?sort=create_at", headers=auth(who)).status_code == 400
    assert client.get("/api/v4/users?per_page=500", headers=auth(who)).status_code == 200
    assert client.get("/api/v4/users?page=-1&per_page=2", headers=auth(who)).get_json() == page  # as page 0
    assert client.get("/api/v4/users").status_code == 401


def test_user_stats_and_search(client, admin):
    before = client.get("/api/v4/users/stats", headers=auth(admin)).get_json()["total_users_count"]
    user = create(client, admin, first_name="Findable", nickname="seeker")
    assert client.get("/api/v4/users/stats", headers=auth(admin)).get_json()["total_users_count"] == before + 1
    who = login(client, user["username"])
    for term in ("findab", "SEEK", user["username"][:5], "@" + user["username"]):
        found = client.post("/api/v4/users/search", json={"term": term}, headers=auth(who)).get_json()
        assert user["id"] in [u["id"] for u in found], term
    assert client.post("/api/v4/users/search", json={"term": "zzzz-nobody"}, headers=auth(who)).get_json() == []
    assert client.post("/api/v4/users/search", json={"term": ""}, headers=auth(who)).status_code == 400
    assert client.post("/api/v4/users/search", json={"term": "x"}).status_code == 401


def _png_bytes(size=(300, 200), color=(10, 200, 30), fmt="PNG"):
    import io
    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format=fmt)
    return out.getvalue()


def test_profile_images(client, admin):
    import io
    from PIL import Image
    user = create(client, admin)
    who = login(client, user["username"])
    default = client.get("/api/v4/users/%s/image" % user["id"], headers=auth(who))
    assert default.status_code == 200 and default.mimetype == "image/png"
    assert Image.open(io.BytesIO(default.data)).size == (128, 128)
    assert client.get("/api/v4/users/%s/image/default" % user["id"], headers=auth(who)).data == default.data
    upload = client.post("/api/v4/users/me/image", data={"image": (io.BytesIO(_png_bytes(fmt="JPEG")), "me.jpg")},
                         headers=auth(who), content_type="multipart/form-data")
    assert upload.status_code == 200, upload.data
    mine = client.get("/api/v4/users/%s/image" % user["id"], headers=auth(who)).data
    assert mine != default.data and Image.open(io.BytesIO(mine)).size == (128, 128)
    assert client.get("/api/v4/users/me", headers=auth(who)).get_json()["last_picture_update"] > 0
    bad = client.post("/api/v4/users/me/image", data={"image": (io.BytesIO(b"not an image"), "x.png")},
                      headers=auth(who), content_type="multipart/form-data")
    assert bad.status_code == 400
    other = login(client, create(client, admin)["username"])
    assert client.post("/api/v4/users/%s/image" % user["id"], data={"image": (io.BytesIO(_png_bytes()), "x.png")},
                       headers=auth(other), content_type="multipart/form-data").status_code == 403
    assert client.delete("/api/v4/users/me/image", headers=auth(who)).status_code == 200
    assert client.get("/api/v4/users/%s/image" % user["id"], headers=auth(who)).data == default.data
    assert client.get("/api/v4/users/%s/image" % ("z" * 26), headers=auth(who)).status_code == 404
    assert client.get("/api/v4/users/%s/image" % user["id"]).status_code == 401


def test_personal_access_tokens(client, admin, app):
    user = create(client, admin)
    who = login(client, user["username"])
    body = {"description": "ci bot"}
    service = app.config["MM_CONFIG"]["ServiceSettings"]
    # Ordinary users lack create_user_access_token; admins may make them for anyone.
    assert client.post("/api/v4/users/me/tokens", json=body, headers=auth(who)).status_code == 403
    disabled = client.post("/api/v4/users/%s/tokens" % user["id"], json=body, headers=auth(admin))
    assert disabled.status_code == 501 and disabled.get_json()["id"] == "app.user_access_token.disabled"
    service["EnableUserAccessTokens"] = True
    try:
        assert client.post("/api/v4/users/%s/tokens" % user["id"], json={"description": ""},
                           headers=auth(admin)).status_code == 400
        created = client.post("/api/v4/users/%s/tokens" % user["id"], json=body, headers=auth(admin))
        assert created.status_code == 200
        token = created.get_json()
        assert token["is_active"] and len(token["token"]) == 26
        bearer = {"Authorization": "Bearer " + token["token"]}
        assert client.get("/api/v4/users/me", headers=bearer).get_json()["id"] == user["id"]
        listed = client.get("/api/v4/users/%s/tokens" % user["id"], headers=auth(admin)).get_json()
        assert [t["id"] for t in listed] == [token["id"]] and "token" not in listed[0]
        assert client.get("/api/v4/users/tokens/" + token["id"], headers=auth(admin)).get_json()["id"] == token["id"]
        found = client.post("/api/v4/users/tokens/search", json={"term": user["username"]}, headers=auth(admin))
        assert [t["id"] for t in found.get_json()] == [token["id"]]
        assert client.get("/api/v4/users/tokens", headers=auth(who)).status_code == 403
        # Disabled, it stops working at once; enabled again, it works.
        assert client.post("/api/v4/users/tokens/disable", json={"token_id": token["id"]},
                           headers=auth(admin)).status_code == 200
        assert client.get("/api/v4/users/me", headers=bearer).status_code == 401
        assert client.post("/api/v4/users/tokens/enable", json={"token_id": token["id"]},
                           headers=auth(admin)).status_code == 200
        assert client.get("/api/v4/users/me", headers=bearer).status_code == 200
        assert client.post("/api/v4/users/tokens/revoke", json={"token_id": token["id"]},
                           headers=auth(admin)).status_code == 200
        assert client.get("/api/v4/users/me", headers=bearer).status_code == 401
        assert client.get("/api/v4/users/tokens/" + token["id"], headers=auth(admin)).status_code == 404
        # Turning the feature off ends every token's use.
        again = client.post("/api/v4/users/%s/tokens" % user["id"], json=body, headers=auth(admin)).get_json()
        service["EnableUserAccessTokens"] = False
        again_bearer = {"Authorization": "Bearer " + again["token"]}
        assert client.get("/api/v4/users/me", headers=again_bearer).status_code == 401
        service["EnableUserAccessTokens"] = True
        assert client.get("/api/v4/users/me", headers=again_bearer).status_code == 200
    finally:
        service["EnableUserAccessTokens"] = False


def test_audits(client, admin):
    user = create(client, admin)
    client.post("/api/v4/users/login", json={"login_id": user["username"], "password": "wrong-one"})
    who = login(client, user["username"])
    client.put("/api/v4/users/me/password", json={"current_password": PASSWORD, "new_password": "audited-pw-1"},
               headers=auth(who))
    client.put("/api/v4/users/%s/roles" % user["id"], json={"roles": "system_user"}, headers=auth(admin))
    trail = client.get("/api/v4/users/me/audits", headers=auth(who)).get_json()
    infos = [a["extra_info"] for a in trail]
    assert trail == sorted(trail, key=lambda a: -a["create_at"])
    assert any(i.startswith("failure - bad password") for i in infos)
    assert any(i.startswith("success session_id=") for i in infos)
    assert any(i.startswith("password changed") for i in infos)
    assert any(i.startswith("roles=system_user") for i in infos)
    assert all(a["user_id"] == user["id"] and a["action"].startswith("/api/v4/users") for a in trail)
    stranger = login(client, create(client, admin)["username"])
    assert client.get("/api/v4/users/%s/audits" % user["id"], headers=auth(stranger)).status_code == 403
    assert client.get("/api/v4/users/%s/audits" % user["id"], headers=auth(admin)).status_code == 200


def test_mfa(client, admin, app):
    import base64
    import pyotp
    user = create(client, admin)
    who = login(client, user["username"])
    off = client.post("/api/v4/users/me/mfa/generate", headers=auth(who))
    assert off.status_code == 501 and off.get_json()["id"] == "mfa.mfa_disabled.app_error"
    service = app.config["MM_CONFIG"]["ServiceSettings"]
    service["EnableMultifactorAuthentication"] = True
    try:
        generated = client.post("/api/v4/users/me/mfa/generate", headers=auth(who)).get_json()
        assert base64.b64decode(generated["qr_code"]).startswith(b"\x89PNG")
        totp = pyotp.TOTP(generated["secret"])
        assert client.put("/api/v4/users/me/mfa", json={"activate": True, "code": "000000"},
                          headers=auth(who)).status_code == 401
        assert client.put("/api/v4/users/me/mfa", json={"activate": True, "code": totp.now()},
                          headers=auth(who)).status_code == 200
        me = client.get("/api/v4/users/me", headers=auth(who)).get_json()
        assert me["mfa_active"] and "mfa_secret" not in me
        assert client.post("/api/v4/users/mfa", json={"login_id": user["username"]}).get_json() == {"mfa_required": True}
        body = {"login_id": user["username"], "password": PASSWORD}
        probe = client.post("/api/v4/users/login", json=body)
        assert probe.status_code == 401 and probe.get_json()["id"] == "mfa.validate_token.authenticate.app_error"
        wrong = client.post("/api/v4/users/login", json={**body, "token": "123456" if totp.now() != "123456" else "654321"})
        assert wrong.get_json()["id"] == "api.user.check_user_mfa.bad_code.app_error"
        assert client.post("/api/v4/users/login", json={**body, "token": totp.now()}).status_code == 200
        stranger = login(client, create(client, admin)["username"])
        assert client.put("/api/v4/users/%s/mfa" % user["id"], json={"activate": False},
                          headers=auth(stranger)).status_code == 403
        assert client.put("/api/v4/users/me/mfa", json={"activate": False}, headers=auth(who)).status_code == 200
        assert client.post("/api/v4/users/mfa", json={"login_id": user["username"]}).get_json() == {"mfa_required": False}
        login(client, user["username"])
    finally:
        service["EnableMultifactorAuthentication"] = False


def test_terms_of_service(client, admin):
    from store import models as m
    user = create(client, admin)
    who = login(client, user["username"])
    assert client.get("/api/v4/terms_of_service", headers=auth(who)).status_code == 404
    refused = client.post("/api/v4/terms_of_service", json={"text": "Be nice."}, headers=auth(admin))
    assert refused.get_json()["id"] == "api.create_terms_of_service.custom_terms_of_service_disabled.app_error"
    assert client.post("/api/v4/terms_of_service", json={"text": "x"}, headers=auth(who)).status_code == 403
    # Terms carried over from a licensed server are served and can be accepted.
    m.TermsOfService.insert(id="t" * 26, create_at=1, user_id=admin["user_id"], text="Be nice.").execute()
    assert client.get("/api/v4/terms_of_service", headers=auth(who)).get_json()["text"] == "Be nice."
    assert client.get("/api/v4/users/me/terms_of_service", headers=auth(who)).status_code == 404
    body = {"termsOfServiceId": "t" * 26, "accepted": True}
    assert client.post("/api/v4/users/me/terms_of_service", json=body, headers=auth(who)).status_code == 200
    assert client.get("/api/v4/users/me/terms_of_service",
                      headers=auth(who)).get_json()["terms_of_service_id"] == "t" * 26
    assert client.post("/api/v4/users/me/terms_of_service", json={**body, "accepted": False},
                       headers=auth(who)).status_code == 200
    assert client.get("/api/v4/users/me/terms_of_service", headers=auth(who)).status_code == 404
    assert client.post("/api/v4/users/me/terms_of_service", json={**body, "termsOfServiceId": "u" * 26},
                       headers=auth(who)).status_code == 404


def test_reset_failed_attempts(client, admin):
    user = create(client, admin)
    store_users.write(user["id"], failed_attempts=99)
    stranger = login(client, create(client, admin)["username"])
    assert client.post("/api/v4/users/%s/reset_failed_attempts" % user["id"], headers=auth(stranger)).status_code == 403
    assert client.post("/api/v4/users/%s/reset_failed_attempts" % user["id"], headers=auth(admin)).status_code == 200
    login(client, user["username"])


def test_attach_device(client, admin):
    user = create(client, admin)
    first, second = login(client, user["username"]), login(client, user["username"])
    body = {"device_id": "apple:abc123", "mobileVersion": "2.20.0"}
    assert client.put("/api/v4/users/sessions/device", json=body, headers=auth(first)).status_code == 200
    assert client.put("/api/v4/users/sessions/device", json=body, headers=auth(second)).status_code == 200
    # One device, one session: the first session on that device has ended.
    assert client.get("/api/v4/users/me", headers=auth(first)).status_code == 401
    row = models.Session.get(models.Session.token == second["token"])
    assert row.device_id == "apple:abc123" and row.props["mobile_version"] == "2.20.0"
    assert client.put("/api/v4/users/sessions/device", json={}, headers=auth(second)).status_code == 400


def test_session_extended_with_activity(client, admin):
    user = create(client, admin)
    who = login(client, user["username"])
    row = models.Session.get(models.Session.token == who["token"])
    models.Session.update(expires_at=row.expires_at - 3 * 24 * 3600 * 1000).where(models.Session.id == row.id).execute()
    assert client.get("/api/v4/users/me", headers=auth(who)).status_code == 200
    assert models.Session.get_by_id(row.id).expires_at >= row.expires_at


def test_patch_role(client, admin):
    user = create(client, admin)
    who = login(client, user["username"])
    role = client.get("/api/v4/roles/name/system_user", headers=auth(who)).get_json()
    assert client.put("/api/v4/roles/%s/patch" % role["id"], json={"permissions": role["permissions"]},
                      headers=auth(who)).status_code == 403
    without = [p for p in role["permissions"] if p != "create_team"]
    patched = client.put("/api/v4/roles/%s/patch" % role["id"], json={"permissions": without}, headers=auth(admin))
    assert patched.status_code == 200 and "create_team" not in patched.get_json()["permissions"]
    # In effect at once for everyone with the role.
    assert not client.get("/api/v4/roles/name/system_user", headers=auth(who)).get_json()["permissions"].count("create_team")
    restored = client.put("/api/v4/roles/%s/patch" % role["id"], json={"permissions": role["permissions"]},
                          headers=auth(admin))
    assert sorted(restored.get_json()["permissions"]) == sorted(role["permissions"])
    fixed = client.put("/api/v4/roles/%s/patch" % role["id"], json={"permissions": role["permissions"] + ["manage_roles"]},
                       headers=auth(admin))
    assert fixed.status_code == 501 and fixed.get_json()["id"] == "api.roles.patch_roles.not_allowed_permission.error"
    unknown = client.put("/api/v4/roles/%s/patch" % role["id"], json={"permissions": ["no_such_permission"]},
                         headers=auth(admin))
    assert unknown.status_code == 400
    guest = client.get("/api/v4/roles/name/system_guest", headers=auth(admin)).get_json()
    licensed = client.put("/api/v4/roles/%s/patch" % guest["id"], json={"permissions": []}, headers=auth(admin))
    assert licensed.status_code == 501 and licensed.get_json()["id"] == "api.roles.patch_roles.license.error"
    assert client.put("/api/v4/roles/%s/patch" % ("z" * 26), json={}, headers=auth(admin)).status_code == 404


def test_delete_user(client, admin, app):
    user = create(client, admin)
    who = login(client, user["username"])
    stranger = login(client, create(client, admin)["username"])
    assert client.delete("/api/v4/users/" + user["id"], headers=auth(stranger)).status_code == 403
    assert client.delete("/api/v4/users/me", headers=auth(who)).status_code == 401  # EnableUserDeactivation off
    assert client.delete("/api/v4/users/" + user["id"], headers=auth(admin)).status_code == 200
    assert models.User.get_by_id(user["id"]).delete_at > 0
    assert client.get("/api/v4/users/me", headers=auth(who)).status_code == 401
    refused = client.delete("/api/v4/users/%s?permanent=true" % user["id"], headers=auth(admin))
    assert refused.get_json()["id"] == "api.user.delete_user.not_enabled.app_error"
    app.config["MM_CONFIG"]["ServiceSettings"]["EnableAPIUserDeletion"] = True
    try:
        assert client.delete("/api/v4/users/%s?permanent=true" % user["id"], headers=auth(stranger)).status_code == 403
        assert client.delete("/api/v4/users/%s?permanent=true" % user["id"], headers=auth(admin)).status_code == 200
        assert models.User.get_or_none(models.User.id == user["id"]) is None
        assert client.get("/api/v4/users/" + user["id"], headers=auth(admin)).status_code == 404
    finally:
        app.config["MM_CONFIG"]["ServiceSettings"]["EnableAPIUserDeletion"] = False


def test_guests(client, admin):
    guest = create(client, admin)
    store_users.write(guest["id"], roles="system_guest")
    user = login(client, create(client, admin)["username"])
    assert client.post("/api/v4/users/%s/promote" % guest["id"], headers=auth(user)).status_code == 403
    assert client.post("/api/v4/users/%s/promote" % guest["id"], headers=auth(admin)).status_code == 200
    assert client.get("/api/v4/users/" + guest["id"], headers=auth(admin)).get_json()["roles"] == "system_user"
    again = client.post("/api/v4/users/%s/promote" % guest["id"], headers=auth(admin))
    assert again.status_code == 501 and again.get_json()["id"] == "api.user.promote_guest_to_user.no_guest.app_error"
    assert client.post("/api/v4/users/%s/promote" % ("z" * 26), headers=auth(admin)).status_code == 404
    demote = client.post("/api/v4/users/%s/demote" % guest["id"], headers=auth(admin))
    assert demote.status_code == 501


def test_server_limits(client, admin):
    user = login(client, create(client, admin)["username"])
    mine = client.get("/api/v4/limits/server", headers=auth(user)).get_json()
    assert mine["activeUserCount"] == 0 and mine["maxUsersLimit"] == 0
    limits = client.get("/api/v4/limits/server", headers=auth(admin)).get_json()
    assert limits["maxUsersLimit"] == 200 and limits["maxUsersHardLimit"] == 250
    assert limits["activeUserCount"] == client.get("/api/v4/users/stats", headers=auth(admin)).get_json()["total_users_count"]
    assert client.get("/api/v4/limits/server").status_code == 401
