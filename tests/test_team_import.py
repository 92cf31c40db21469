"""ImportTeam (a Slack export brought into a team, handlers/team_import.py)
and GetChannelPages (handlers/channel_pages.py), as Mattermost answers them."""
import base64
import io
import json
import zipfile

import pytest

from conftest import auth, create, login, unique
from store import channels as store_channels, posts as store_posts, teams, users

API = "/api/v4"
NO_ID = "z" * 26


class World:
    def __init__(self, **fields):
        self.__dict__.update(fields)


def _team(app, *members, admins=()):
    with app.app_context():
        team = teams.create({"display_name": "Team " + unique("t"), "name": unique("team"), "type": "O"})
        for who in members + tuple(admins):
            teams.add_member(team, users.get(who["user_id"]), admin=who in admins)
    return team


def _user(client, admin, guest=False):
    created = create(client, admin)
    if guest:
        users.set_roles(created["id"], "system_guest")
    who = login(client, created["username"])
    who["username"] = created["username"]
    who["email"] = created["username"] + "@example.com"
    return who


@pytest.fixture(scope="module")
def w(app, admin):
    client = app.test_client()
    world = World()
    world.admin = admin
    world.alice = _user(client, admin)   # team member
    world.carol = _user(client, admin)   # team admin
    world.dave = _user(client, admin)    # only in the other team
    world.team = _team(app, world.alice, admins=(world.carol,))
    world.other = _team(app, world.dave)
    return world


def error_id(response):
    return response.get_json()["id"]


def _zip(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content if isinstance(content, (bytes, str)) else json.dumps(content))
    return buffer.getvalue()


def _import(client, who, team_id, data, import_from="slack", filesize=None, with_file=True):
    form = {}
    if import_from is not None:
        form["importFrom"] = import_from
    if filesize is not False:
        form["filesize"] = str(len(data)) if filesize is None else filesize
    if with_file:
        form["file"] = (io.BytesIO(data), "export.zip")
    return client.post(API + "/teams/%s/import" % team_id, data=form, headers=auth(who) if who else {},
                       content_type="multipart/form-data")


def _export(w, tag):
    """A small export: two new users and alice (matched by email), a public
    and a private channel, a thread, and messages the import leaves out."""
    ann, ben = unique("ann" + tag), unique("ben" + tag)
    general, secret = unique("general"), unique("secret")
    users_json = [
        {"id": "U1", "name": ann, "profile": {"first_name": "Ann", "last_name": "A", "email": ann + "@slack.example"}},
        {"id": "U2", "name": ben, "profile": {"email": ben + "@slack.example"}},
        {"id": "U3", "name": "alice-in-slack", "profile": {"email": w.alice["email"]}},
        {"id": "U4", "name": "Bad Name!", "profile": {"email": unique("bad") + "@slack.example"}},
    ]
    channels_json = [{"id": "C1", "name": general, "creator": "U1", "members": ["U1", "U2", "U3", "U9"],
                      "purpose": {"value": "Talk"}, "topic": {"value": "Everything"}}]
    groups_json = [{"id": "G1", "name": secret, "creator": "U1", "members": ["U1", "U2"]}]
    day = [
        {"type": "message", "user": "U1", "text": "Hello <@U2|%s>, *welcome* to <#C1|%s>" % (ben, general),
         "ts": "1500000000.000100", "thread_ts": "1500000000.000100"},
        {"type": "message", "user": "U2", "text": "thanks!", "ts": "1500000005.000200",
         "thread_ts": "1500000000.000100"},
        {"type": "message", "user": "U3", "text": "alice was here", "ts": "1500000010.000000"},
        {"type": "message", "user": "U9", "text": "from nobody we know", "ts": "1500000011.000000"},
        {"type": "message", "subtype": "bot_message", "text": "a bot without id", "ts": "1500000012.000000"},
        {"type": "message", "subtype": "pinned_item", "user": "U1", "text": "pinned", "ts": "1500000013.000000"},
        {"type": "message", "subtype": "me_message", "user": "U2", "text": "waves", "ts": "1500000014.000000"},
    ]
    entries = {"users.json": users_json, "channels.json": channels_json, "groups.json": groups_json,
               general + "/2017-07-14.json": day,
               secret + "/2017-07-14.json": [{"type": "message", "user": "U1", "text": "hush",
                                              "ts": "1500000020.000000"}],
               "__uploads/F1/file.txt": "ignored"}
    return World(ann=ann, ben=ben, general=general, secret=secret, data=_zip(entries))


def _decoded(response):
    body = response.get_json()
    assert set(body) == {"results"}
    return base64.b64decode(body["results"]).decode("utf-8")


# ---------------------------------------------------------------------------
# ImportTeam

def test_import_end_to_end(client, w):
    export = _export(w, "e")
    response = _import(client, w.carol, w.team.id, export.data)
    assert response.status_code == 200, response.data
    log = _decoded(response)
    assert export.ann in log and export.general in log
    assert "Merged with the existing account %s" % w.alice["username"] in log
    assert "Could not import the user Bad Name!" in log

    # Users: made from the Slack names, in the team, without a password.
    ann = client.get(API + "/users/username/" + export.ann, headers=auth(w.admin)).get_json()
    assert ann["first_name"] == "Ann" and ann["email"] == export.ann + "@slack.example"
    assert client.get(API + "/teams/%s/members/%s" % (w.team.id, ann["id"]), headers=auth(w.admin)).status_code == 200
    ben = client.get(API + "/users/username/" + export.ben, headers=auth(w.admin)).get_json()
    failed = client.post(API + "/users/login", json={"login_id": export.ann, "password": ""})
    assert failed.status_code in (400, 401)

    # The public channel, with its members and header, and its messages.
    general = client.get(API + "/teams/%s/channels/name/%s" % (w.team.id, export.general),
                         headers=auth(w.alice)).get_json()
    assert general["type"] == "O" and general["header"] == "Everything" and general["purpose"] == "Talk"
    members = client.get(API + "/channels/%s/members" % general["id"], headers=auth(w.alice)).get_json()
    assert {m["user_id"] for m in members} >= {ann["id"], ben["id"], w.alice["user_id"]}
    listed = client.get(API + "/channels/%s/posts" % general["id"], headers=auth(w.alice)).get_json()
    posts = sorted(listed["posts"].values(), key=lambda p: p["create_at"])
    messages = [p["message"] for p in posts]
    assert messages == ["Hello @%s, **welcome** to ~%s" % (export.ben, export.general), "thanks!",
                        "alice was here", "*waves*"]
    root, reply = posts[0], posts[1]
    assert root["create_at"] == 1500000000000 and root["user_id"] == ann["id"] and root["root_id"] == ""
    assert reply["root_id"] == root["id"] and reply["user_id"] == ben["id"]
    assert posts[2]["user_id"] == w.alice["user_id"]
    thread = client.get(API + "/posts/%s/thread" % root["id"], headers=auth(w.alice)).get_json()
    assert set(thread["order"]) == {root["id"], reply["id"]}

    # The private channel: only its members read it.
    secret = store_channels.get_by_name(w.team.id, export.secret)
    assert secret.type == "P"
    hidden = client.get(API + "/channels/%s/posts" % secret.id, headers=auth(w.alice))
    assert hidden.status_code == 403
    assert client.get(API + "/channels/%s/posts" % secret.id, headers=auth(w.dave)).status_code == 403
    mine = client.get(API + "/channels/%s/posts" % secret.id, headers=auth(w.admin)).get_json()
    assert [p["message"] for p in mine["posts"].values()] == ["hush"]


def test_import_again_reuses_users_and_channels(client, w):
    export = _export(w, "r")
    assert _import(client, w.admin, w.team.id, export.data).status_code == 200
    again = _import(client, w.admin, w.team.id, export.data)
    assert again.status_code == 200
    log = _decoded(again)
    assert "Merged with the existing account %s" % export.ann in log
    assert "Merged with the existing channel %s" % export.general in log
    assert len([c for c in [store_channels.get_by_name(w.team.id, export.general)] if c]) == 1


def test_import_bot_messages_and_bad_json(client, w):
    name = unique("bots")
    entries = {"users.json": "{not json", "channels.json": [{"id": "C7", "name": name, "members": []}],
               name + "/2020-01-01.json": [
                   {"type": "message", "subtype": "bot_message", "bot_id": "B1", "username": "deploybot",
                    "text": "deployed", "ts": "1600000000.000000"}]}
    response = _import(client, w.admin, w.team.id, _zip(entries))
    assert response.status_code == 200, response.data
    assert "Could not read users.json" in _decoded(response)
    channel = store_channels.get_by_name(w.team.id, name)
    listed = client.get(API + "/channels/%s/posts" % channel.id, headers=auth(w.admin)).get_json()
    (post,) = listed["posts"].values()
    assert post["message"] == "deployed" and post["props"]["override_username"] == "deploybot"
    assert post["type"] == "slack_attachment"
    bot = users.get(post["user_id"])
    assert bot.username.startswith("slackimportuser_") and bot.delete_at > 0


def test_import_errors(client, w, app):
    data = _export(w, "x").data
    assert _import(client, None, w.team.id, data).status_code == 401
    denied = _import(client, w.alice, w.team.id, data)
    assert denied.status_code == 403 and error_id(denied) == "api.context.permissions.app_error"
    assert _import(client, w.dave, w.team.id, data).status_code == 403
    assert _import(client, w.carol, w.other.id, data).status_code == 403
    bad_id = _import(client, w.admin, "nope", data)
    assert bad_id.status_code == 400
    unknown = _import(client, w.admin, w.team.id, data, import_from="hipchat")
    assert unknown.status_code == 400 and error_id(unknown) == "api.team.import_team.unknown_import_from.app_error"
    for response in (_import(client, w.admin, w.team.id, data, filesize="abc"),
                     _import(client, w.admin, w.team.id, data, with_file=False),
                     _import(client, w.admin, w.team.id, data, import_from=None),
                     _import(client, w.admin, w.team.id, data, filesize=False)):
        assert response.status_code == 400, response.data
    broken = _import(client, w.admin, w.team.id, b"PK\x03\x04 this is not really a zip")
    assert broken.status_code == 400 and error_id(broken) == "api.slackimport.slack_import.zip.app_error"
    settings = app.config["MM_CONFIG"]["FileSettings"]
    saved = settings["MaxFileSize"]
    settings["MaxFileSize"] = 100
    try:
        too_big = _import(client, w.admin, w.team.id, data)
    finally:
        settings["MaxFileSize"] = saved
    assert too_big.status_code == 400 and error_id(too_big) == "api.slackimport.slack_import.zip.file_too_large"


def test_import_skips_oversized_entries(client, w, monkeypatch):
    from store import slack_import
    monkeypatch.setattr(slack_import, "ENTRY_LIMIT", 64)
    name = unique("big")
    entries = {"channels.json": [{"id": "C8", "name": name, "members": []}],
               name + "/2020-01-01.json": [{"type": "message", "user": "U1", "text": "x" * 10000, "ts": "1"}]}
    response = _import(client, w.admin, w.team.id, _zip(entries))
    assert response.status_code == 200
    assert "Skipped %s/2020-01-01.json" % name in _decoded(response)
    channel = store_channels.get_by_name(w.team.id, name)
    assert channel is not None and channel.total_msg_count == 0


def test_import_entries_outside_folders_are_not_read(client, w):
    name = unique("trav")
    entries = {"channels.json": [{"id": "C9", "name": name, "members": []}],
               "../" + name + "/x.json": [{"type": "message", "user": "U1", "text": "x", "ts": "1"}],
               "a/b/" + name + ".json": "[]"}
    response = _import(client, w.admin, w.team.id, _zip(entries))
    assert response.status_code == 200
    channel = store_channels.get_by_name(w.team.id, name)
    assert channel is not None and channel.total_msg_count == 0


# ---------------------------------------------------------------------------
# GetChannelPages

def test_channel_pages(client, w, app):
    channel = client.post(API + "/channels", json={"team_id": w.team.id, "name": unique("pages"),
                                                   "display_name": "Pages", "type": "O"},
                          headers=auth(w.alice)).get_json()
    private = client.post(API + "/channels", json={"team_id": w.team.id, "name": unique("ppages"),
                                                   "display_name": "Private", "type": "P"},
                          headers=auth(w.carol)).get_json()
    url = API + "/channels/%s/pages"
    empty = client.get(url % channel["id"], headers=auth(w.alice))
    assert empty.status_code == 200 and empty.get_json() == []
    with app.app_context():
        row = store_channels.get(channel["id"])
        page = store_posts.create({"message": "", "type": "page", "props": {"title": "Home"}}, row,
                                  users.get(w.alice["user_id"]), store_posts.Options(mark_viewed=False)).post
        store_posts.create({"message": "not a page"}, row, users.get(w.alice["user_id"]),
                           store_posts.Options(mark_viewed=False))
    listed = client.get(url % channel["id"], headers=auth(w.carol)).get_json()
    assert [p["id"] for p in listed] == [page.id] and listed[0]["type"] == "page"
    assert client.get(url % channel["id"]).status_code == 401
    bad = client.get(url % "nope", headers=auth(w.alice))
    assert bad.status_code == 400 and error_id(bad) == "api.context.invalid_url_param.app_error"
    missing = client.get(url % NO_ID, headers=auth(w.alice))
    assert missing.status_code == 404 and error_id(missing) == "app.channel.get.existing.app_error"
    assert client.get(url % private["id"], headers=auth(w.alice)).status_code == 403
    assert client.get(url % channel["id"], headers=auth(w.dave)).status_code == 403
    assert client.get(url % private["id"], headers=auth(w.admin)).status_code == 200


def test_channel_pages_guest_in_direct_message(client, w, admin):
    guest = _user(client, admin)
    direct = client.post(API + "/channels/direct", json=[w.alice["user_id"], guest["user_id"]],
                         headers=auth(w.alice)).get_json()
    url = API + "/channels/%s/pages" % direct["id"]
    assert client.get(url, headers=auth(w.alice)).status_code == 200
    users.set_roles(guest["user_id"], "system_guest")
    guest = login(client, guest["username"])
    refused = client.get(url, headers=auth(guest))
    assert refused.status_code == 403 and error_id(refused) == "api.page.permission.guest_cannot_access.app_error"
