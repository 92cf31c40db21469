"""Preferences, on both stores, as Mattermost has them."""
import json

import pytest

from conftest import auth, create, login

BASE = "/api/v4/users/%s/preferences"


def member(client, admin):
    user = create(client, admin)
    return user["id"], login(client, user["username"])


def pref(user_id, category="display_settings", name="use_military_time", value="true"):
    return {"user_id": user_id, "category": category, "name": name, "value": value}


def put(client, who, body, user="me"):
    return client.put(BASE % user, json=body, headers=auth(who))


def error_id(response):
    return response.get_json()["id"]


def test_save_and_read_back(client, admin):
    user_id, who = member(client, admin)
    body = [pref(user_id, "theme_x", "b", "2"), pref(user_id, "display_settings", "zeta", "z"),
            pref(user_id, "display_settings", "alpha", "a")]
    response = put(client, who, body)
    assert response.status_code == 200 and response.get_json() == {"status": "OK"}

    everything = client.get(BASE % "me", headers=auth(who)).get_json()
    assert everything == [pref(user_id, "display_settings", "alpha", "a"),
                          pref(user_id, "display_settings", "zeta", "z"), pref(user_id, "theme_x", "b", "2")]
    category = client.get(BASE % user_id + "/display_settings", headers=auth(who)).get_json()
    assert [p["name"] for p in category] == ["alpha", "zeta"]
    one = client.get(BASE % "me" + "/display_settings/name/zeta", headers=auth(who))
    assert one.status_code == 200 and one.get_json() == pref(user_id, "display_settings", "zeta", "z")


def test_save_overwrites_and_last_duplicate_wins(client, admin):
    user_id, who = member(client, admin)
    put(client, who, [pref(user_id, value="true")])
    assert put(client, who, [pref(user_id, value="false"), pref(user_id, value="maybe")]).status_code == 200
    rows = client.get(BASE % "me" + "/display_settings", headers=auth(who)).get_json()
    assert rows == [pref(user_id, value="maybe")]


def test_missing_fields_default_to_empty(client, admin):
    user_id, who = member(client, admin)
    assert put(client, who, [{"user_id": user_id, "category": "some_category"}]).status_code == 200
    rows = client.get(BASE % "me", headers=auth(who)).get_json()
    assert rows == [pref(user_id, "some_category", "", "")]


def test_new_user_has_no_preferences(client, admin):
    _, who = member(client, admin)
    response = client.get(BASE % "me", headers=auth(who))
    assert response.status_code == 200 and response.get_json() == []


def test_unknown_category_and_name(client, admin):
    user_id, who = member(client, admin)
    put(client, who, [pref(user_id)])
    response = client.get(BASE % "me" + "/no_such_category", headers=auth(who))
    assert response.status_code == 404
    assert error_id(response) == "api.preference.preferences_category.get.app_error"
    # Mattermost answers an unset preference with a 400.
    response = client.get(BASE % "me" + "/display_settings/name/not_set", headers=auth(who))
    assert response.status_code == 400 and error_id(response) == "app.preference.get.app_error"
    # GET on the delete path reads a category named "delete".
    response = client.get(BASE % "me" + "/delete", headers=auth(who))
    assert response.status_code == 404
    assert error_id(response) == "api.preference.preferences_category.get.app_error"


@pytest.mark.parametrize("path,status,error", [
    ("/api/v4/users/nope/preferences", 400, "api.context.invalid_url_param.app_error"),
    ("/api/v4/users/nope/preferences/display_settings", 400, "api.context.invalid_url_param.app_error"),
    ("/api/v4/users/no-pe/preferences", 404, "api.context.404.app_error"),
    ("/api/v4/users/me/preferences/Display_Settings", 400, "api.context.invalid_url_param.app_error"),
    ("/api/v4/users/me/preferences/_display", 400, "api.context.invalid_url_param.app_error"),
    ("/api/v4/users/me/preferences/display-settings", 404, "api.context.404.app_error"),
    ("/api/v4/users/me/preferences/display_settings/name/a", 400, "api.context.invalid_url_param.app_error"),
    ("/api/v4/users/me/preferences/display_settings/name/a.b", 404, "api.context.404.app_error"),
])
def test_bad_path_segments(client, admin, path, status, error):
    response = client.get(path, headers=auth(admin))
    assert response.status_code == status and error_id(response) == error


def test_bad_segment_is_named(client, admin):
    response = client.get(BASE % "me" + "/display_settings/name/X", headers=auth(admin))
    assert "preference_name" in response.get_json()["message"]
    response = client.get(BASE % "me" + "/X/name/use_military_time", headers=auth(admin))
    assert "category" in response.get_json()["message"]


def test_other_users_need_edit_other_users(client, admin):
    owner_id, owner = member(client, admin)
    _, other = member(client, admin)
    put(client, owner, [pref(owner_id)])
    for response in (
        client.get(BASE % owner_id, headers=auth(other)),
        client.get(BASE % owner_id + "/display_settings", headers=auth(other)),
        client.get(BASE % owner_id + "/display_settings/name/use_military_time", headers=auth(other)),
        put(client, other, [pref(owner_id)], user=owner_id),
        client.post(BASE % owner_id + "/delete", json=[pref(owner_id)], headers=auth(other)),
    ):
        assert response.status_code == 403 and error_id(response) == "api.context.permissions.app_error"
    # A system admin may read and write anyone's.
    assert client.get(BASE % owner_id, headers=auth(admin)).get_json() == [pref(owner_id)]
    assert put(client, admin, [pref(owner_id, value="false")], user=owner_id).status_code == 200
    assert client.get(BASE % owner_id, headers=auth(owner)).get_json() == [pref(owner_id, value="false")]


def test_session_required(client, admin):
    assert client.get(BASE % "me").status_code == 401
    assert client.put(BASE % "me", json=[pref("x" * 26)]).status_code == 401
    assert client.post(BASE % "me" + "/delete", json=[pref("x" * 26)]).status_code == 401


def test_items_must_belong_to_the_path_user(client, admin):
    user_id, who = member(client, admin)
    other_id, _ = member(client, admin)
    response = put(client, who, [pref(user_id), pref(other_id)])
    assert response.status_code == 403 and error_id(response) == "api.preference.update_preferences.set.app_error"
    response = client.post(BASE % "me" + "/delete", json=[pref(other_id)], headers=auth(who))
    assert response.status_code == 403
    assert error_id(response) == "api.preference.delete_preferences.delete.app_error"
    # Even an admin acting on another user must name that user in each item.
    response = put(client, admin, [pref(admin["user_id"])], user=user_id)
    assert response.status_code == 403
    assert client.get(BASE % "me", headers=auth(who)).get_json() == []


@pytest.mark.parametrize("count", [0, 101])
def test_batch_size(client, admin, count):
    user_id, who = member(client, admin)
    body = [pref(user_id, name="n%d" % i) for i in range(count)]
    for response in (put(client, who, body), client.post(BASE % "me" + "/delete", json=body, headers=auth(who))):
        assert response.status_code == 400
        assert error_id(response) == "api.context.invalid_body_param.app_error"


def test_hundred_is_allowed(client, admin):
    user_id, who = member(client, admin)
    body = [pref(user_id, name="n%03d" % i) for i in range(100)]
    assert put(client, who, body).status_code == 200
    assert len(client.get(BASE % "me", headers=auth(who)).get_json()) == 100
    assert client.post(BASE % "me" + "/delete", json=body, headers=auth(who)).status_code == 200
    assert client.get(BASE % "me", headers=auth(who)).get_json() == []


@pytest.mark.parametrize("item,error", [
    ({"category": ""}, "model.preference.is_valid.category.app_error"),
    ({"category": "c" * 33}, "model.preference.is_valid.category.app_error"),
    ({"category": "\u00e9" * 17}, "model.preference.is_valid.category.app_error"),  # 34 bytes
    ({"name": "n" * 33}, "model.preference.is_valid.name.app_error"),
    ({"name": "\u00e9" * 17}, "model.preference.is_valid.name.app_error"),
    ({"value": "v" * 20001}, "model.preference.is_valid.value.app_error"),
    ({"category": "sidebar_settings", "name": "limit_visible_dms_gms", "value": "0"},
     "model.preference.is_valid.limit_visible_dms_gms.app_error"),
    ({"category": "sidebar_settings", "name": "limit_visible_dms_gms", "value": "41"},
     "model.preference.is_valid.limit_visible_dms_gms.app_error"),
    ({"category": "sidebar_settings", "name": "limit_visible_dms_gms", "value": " 5"},
     "model.preference.is_valid.limit_visible_dms_gms.app_error"),
    ({"category": "sidebar_settings", "name": "limit_visible_dms_gms", "value": "9" * 20000},
     "model.preference.is_valid.limit_visible_dms_gms.app_error"),
    ({"value": "nul\x00"}, "app.preference.save.updating.app_error"),
])
def test_invalid_preference_saves_nothing(client, admin, item, error):
    user_id, who = member(client, admin)
    body = [pref(user_id, name="first"), {**pref(user_id), **item}]
    response = put(client, who, body)
    assert response.status_code == 400 and error_id(response) == error
    assert client.get(BASE % "me", headers=auth(who)).get_json() == []


@pytest.mark.parametrize("item", [
    {"category": "\u00e9" * 16, "name": "\u00e9" * 16},  # 32 bytes each
    {"value": "\u00e9" * 20000},  # the value's limit counts characters
    {"category": "sidebar_settings", "name": "limit_visible_dms_gms", "value": "+40"},
    {"category": "sidebar_settings", "name": "show_unread_section", "value": "999"},
])
def test_limits_accept(client, admin, item):
    user_id, who = member(client, admin)
    body = {**pref(user_id), **item}
    assert put(client, who, [body]).status_code == 200
    assert client.get(BASE % "me", headers=auth(who)).get_json() == [body]


@pytest.mark.parametrize("given,stored", [
    ('{"z":"#abc","sidebarBg":"red","image":"any","type":"Mattermost","codeTheme":"github","c":"#ABCDEF"}',
     '{"c":"#ABCDEF","codeTheme":"github","image":"any","sidebarBg":"#ffffff","type":"Mattermost","z":"#abc"}'),
    ('  {"a<b&c>":"#1234"} trailing', '{"a\\u003cb\\u0026c\\u003e":"#ffffff"}'),
    ('{"a":"#abc","b":1,"c":{"d":"e"},"e":null}', '{"a":"#abc","b":"#ffffff","c":"#ffffff","e":"#ffffff"}'),
    ("{}", "{}"),
    ("not json", "null"),
    ("", "null"),
    ("[1, 2]", "null"),
    ('{"a":NaN}', "null"),
])
def test_theme_is_normalized(client, admin, given, stored):
    user_id, who = member(client, admin)
    assert put(client, who, [pref(user_id, "theme", "", given)]).status_code == 200
    assert client.get(BASE % "me" + "/theme", headers=auth(who)).get_json() == [pref(user_id, "theme", "", stored)]


def test_deeply_nested_theme_is_saved(client, admin):
    user_id, who = member(client, admin)
    value = '{"a":' + "[" * 5000 + "]" * 5000 + "}"
    assert put(client, who, [pref(user_id, "theme", "deep", value)]).status_code == 200


def test_flagged_post_needs_an_existing_post(client, admin):
    user_id, who = member(client, admin)
    response = put(client, who, [pref(user_id, "flagged_post", "p" * 26, "true")])
    assert response.status_code == 400 and error_id(response) == "api.context.invalid_param.app_error"
    assert "preference.name" in response.get_json()["message"]


def test_lone_surrogate_becomes_replacement_character(client, admin):
    user_id, who = member(client, admin)
    raw = '[{"user_id": "%s", "category": "c1", "name": "n1", "value": "a\\ud800b"}]' % user_id
    response = client.put(BASE % "me", data=raw, content_type="application/json", headers=auth(who))
    assert response.status_code == 200
    assert client.get(BASE % "me", headers=auth(who)).get_json()[0]["value"] == "a\ufffdb"


def test_delete(client, admin):
    user_id, who = member(client, admin)
    put(client, who, [pref(user_id, name="keep"), pref(user_id, name="drop"), pref(user_id, "other", "drop")])
    body = [pref(user_id, name="drop"), pref(user_id, name="never_set"), {"user_id": user_id, "category": "other",
                                                                          "name": "drop"}]
    response = client.post(BASE % user_id + "/delete", json=body, headers=auth(who))
    assert response.status_code == 200 and response.get_json() == {"status": "OK"}
    assert client.get(BASE % "me", headers=auth(who)).get_json() == [pref(user_id, name="keep")]


def test_delete_stops_at_a_failing_item(client, admin):
    user_id, who = member(client, admin)
    put(client, who, [pref(user_id, name="one"), pref(user_id, name="two")])
    body = [pref(user_id, name="one"), pref(user_id, name="bad\x00"), pref(user_id, name="two")]
    response = client.post(BASE % "me" + "/delete", data=json.dumps(body), content_type="application/json",
                           headers=auth(who))
    assert response.status_code == 400 and error_id(response) == "app.preference.delete.app_error"
    assert client.get(BASE % "me", headers=auth(who)).get_json() == [pref(user_id, name="two")]


def test_admin_deletes_for_another_user(client, admin):
    user_id, who = member(client, admin)
    put(client, who, [pref(user_id)])
    response = client.post(BASE % user_id + "/delete", json=[pref(user_id)], headers=auth(admin))
    assert response.status_code == 200
    assert client.get(BASE % "me", headers=auth(who)).get_json() == []


@pytest.mark.parametrize("body", [{"user_id": "x"}, [1], [{"category": None}], "text"])
def test_malformed_bodies(client, admin, body):
    response = client.put(BASE % "me", json=body, headers=auth(admin))
    assert response.status_code == 400 and error_id(response) == "api.context.invalid_body_param.app_error"
