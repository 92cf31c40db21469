"""Channel bookmarks. Mattermost serves them only with a license: unlicensed,
as this server is, every operation answers 501 after the session check. The
rest of the tests run the operations as a licensed server would (the license
check patched to pass)."""
import time

import pytest

from conftest import auth, create, login, unique
from handlers import bookmarks as bookmark_handlers
from store import channels, ids, models, teams, users

LICENSE_ERROR = "api.channel.bookmark.channel_bookmark.license.error"


def _team(app):
    with app.app_context():
        return teams.create({"display_name": "Marks", "name": unique("marks"), "type": "O"})


def _member(app, client, admin, team):
    account = create(client, admin)
    with app.app_context():
        teams.add_member(team, users.get(account["id"]))
    return login(client, account["username"])


def _channel(app, team, *members, kind="O"):
    with app.app_context():
        channel = channels.create({"team_id": team.id, "type": kind, "name": unique("bm"), "display_name": "BM"})
        for who in members:
            channels.add_member(channel, users.get(who["user_id"]))
    return channel


def _file(app, channel, creator, **fields):
    now = int(time.time() * 1000)
    file_id = ids.new_id()
    with app.app_context():
        models.FileInfo.insert(id=file_id, creator_id=creator["user_id"], channel_id=channel.id, create_at=now,
                               update_at=now, name="notes.txt", extension="txt", size=12,
                               mime_type="text/plain", **fields).execute()
    return file_id


def _url(channel, bookmark_id=None, suffix=""):
    url = "/api/v4/channels/%s/bookmarks" % channel.id
    return url + ("/" + bookmark_id if bookmark_id else "") + suffix


LINK = {"display_name": "Docs", "type": "link", "link_url": "https://example.com/docs", "emoji": ":books:"}


def test_unlicensed_server_answers_501(app, client, admin):
    team = _team(app)
    who = _member(app, client, admin, team)
    channel = _channel(app, team, who)
    some = "z" * 26
    calls = [("get", _url(channel), None), ("post", _url(channel), LINK),
             ("patch", _url(channel, some), {"display_name": "x"}), ("delete", _url(channel, some), None),
             ("post", _url(channel, some, "/sort_order"), 0)]
    for method, url, body in calls:
        kwargs = {} if body is None else {"json": body}
        assert getattr(client, method)(url, **kwargs).status_code == 401
        response = getattr(client, method)(url, headers=auth(who), **kwargs)
        assert response.status_code == 501 and response.get_json()["id"] == LICENSE_ERROR, (method, url)


@pytest.fixture
def licensed(monkeypatch):
    monkeypatch.setattr(bookmark_handlers, "_licensed", lambda: True)


def _create(client, who, channel, **fields):
    body = {k: v for k, v in dict(LINK, **fields).items() if v is not None}
    response = client.post(_url(channel), json=body, headers=auth(who))
    assert response.status_code == 201, response.data
    return response.get_json()


def test_create_and_list(app, client, admin, licensed):
    team = _team(app)
    who = _member(app, client, admin, team)
    channel = _channel(app, team, who)
    first = _create(client, who, channel)
    assert first["type"] == "link" and first["owner_id"] == who["user_id"] and first["sort_order"] == 0
    assert first["link_url"] == LINK["link_url"] and first["emoji"] == ":books:" and first["file_id"] == ""
    assert "image_url" not in first and "file" not in first
    file_id = _file(app, channel, who)
    second = _create(client, who, channel, type="file", file_id=file_id, link_url=None, emoji=None, display_name="Notes")
    assert second["sort_order"] == 1 and second["file"]["id"] == file_id and second["file"]["name"] == "notes.txt"
    listed = client.get(_url(channel), headers=auth(who)).get_json()
    assert [b["id"] for b in listed] == [first["id"], second["id"]]
    # A member of the team reads a public channel's bookmarks without joining it.
    reader = _member(app, client, admin, team)
    assert len(client.get(_url(channel), headers=auth(reader)).get_json()) == 2


def test_create_refused(app, client, admin, licensed):
    team = _team(app)
    who = _member(app, client, admin, team)
    channel = _channel(app, team, who)
    for bad, error in ((dict(LINK, display_name=""), "model.channel_bookmark.is_valid.display_name.app_error"),
                       (dict(LINK, link_url="ftp://x"), "model.channel_bookmark.is_valid.link_url.missing_or_invalid.app_error"),
                       (dict(LINK, image_url="nope"), "model.channel_bookmark.is_valid.image_url.app_error"),
                       ({"display_name": "F", "type": "file"}, "model.channel_bookmark.is_valid.file_id.missing_or_invalid.app_error")):
        response = client.post(_url(channel), json=bad, headers=auth(who))
        assert response.status_code == 400 and response.get_json()["id"] == error, bad
    assert client.post(_url(channel), json={"type": "link"}, headers=auth(who)).status_code == 400  # document
    # Files: only an unattached file of this channel, once.
    other = _channel(app, team, who)
    elsewhere = _file(app, other, who)
    assert client.post(_url(channel), json={"display_name": "F", "type": "file", "file_id": elsewhere},
                       headers=auth(who)).status_code == 400
    posted = _file(app, channel, who, post_id="p" * 26)
    assert client.post(_url(channel), json={"display_name": "F", "type": "file", "file_id": posted},
                       headers=auth(who)).status_code == 400
    fine = _file(app, channel, who)
    _create(client, who, channel, type="file", file_id=fine, link_url=None)
    assert client.post(_url(channel), json={"display_name": "F", "type": "file", "file_id": fine},
                       headers=auth(who)).status_code == 400
    # Channels: unknown 404, bad id 400.
    missing = client.post("/api/v4/channels/%s/bookmarks" % ("z" * 26), json=LINK, headers=auth(who))
    assert missing.status_code == 404
    assert client.post("/api/v4/channels/short/bookmarks", json=LINK, headers=auth(who)).status_code == 400


def test_limit(app, client, admin, licensed):
    team = _team(app)
    who = _member(app, client, admin, team)
    channel = _channel(app, team, who)
    now = int(time.time() * 1000)
    with app.app_context():
        models.ChannelBookmark.insert_many([
            {"id": ids.new_id(), "owner_id": who["user_id"], "channel_id": channel.id, "create_at": now,
             "update_at": now, "display_name": "b%d" % i, "sort_order": i, "link_url": "https://x.org",
             "type": "link"} for i in range(50)]).execute()
    response = client.post(_url(channel), json=LINK, headers=auth(who))
    assert response.status_code == 400 and response.get_json()["id"] == "app.channel.bookmark.save.app_error"


def test_permissions(app, client, admin, licensed):
    team = _team(app)
    who = _member(app, client, admin, team)
    stranger = login(client, create(client, admin)["username"])
    private = _channel(app, team, who, kind="P")
    outsider = _member(app, client, admin, team)
    mark = _create(client, who, private)
    for method, url, body in (("get", _url(private), None), ("post", _url(private), LINK),
                              ("patch", _url(private, mark["id"]), {"display_name": "x"}),
                              ("delete", _url(private, mark["id"]), None),
                              ("post", _url(private, mark["id"], "/sort_order"), 0)):
        kwargs = {} if body is None else {"json": body}
        response = getattr(client, method)(url, headers=auth(outsider), **kwargs)
        assert response.status_code == 403, (method, url)
        assert getattr(client, method)(url, headers=auth(stranger), **kwargs).status_code == 403
    # Public channels: team members read them but only channel members change them.
    public = _channel(app, team, who)
    assert client.post(_url(public), json=LINK, headers=auth(who)).status_code == 201
    refused = client.post(_url(public), json=LINK, headers=auth(outsider))
    assert refused.status_code == 403 and refused.get_json()["id"] == "api.context.permissions.app_error"
    assert client.get(_url(public), headers=auth(outsider)).status_code == 200
    assert client.post(_url(public), json=LINK, headers=auth(stranger)).status_code == 403
    assert client.get(_url(public), headers=auth(stranger)).status_code == 403
    # Archived channels refuse changes.
    with app.app_context():
        channels.update(public.id, {"delete_at": 1})
    archived = client.post(_url(public), json=LINK, headers=auth(who))
    assert archived.status_code == 403
    assert archived.get_json()["id"] == "api.channel.bookmark.create_channel_bookmark.deleted_channel.forbidden.app_error"


def test_direct_messages(app, client, admin, licensed):
    team = _team(app)
    who = _member(app, client, admin, team)
    friend = _member(app, client, admin, team)
    third = _member(app, client, admin, team)
    with app.app_context():
        dm = channels.get_or_create_direct(users.get(who["user_id"]), users.get(friend["user_id"]))[0]
    mark = _create(client, who, dm)
    assert client.get(_url(dm), headers=auth(friend)).status_code == 200
    refused = client.post(_url(dm), json=LINK, headers=auth(third))
    assert refused.status_code == 403
    assert refused.get_json()["id"] == \
        "api.channel.bookmark.create_channel_bookmark.direct_or_group_channels.forbidden.app_error"
    assert client.get(_url(dm), headers=auth(third)).status_code == 403
    # A guest member may read but not change them.
    with app.app_context():
        users.set_roles(friend["user_id"], "system_guest")
    guest = client.patch(_url(dm, mark["id"]), json={"display_name": "x"}, headers=auth(friend))
    assert guest.status_code == 403
    assert guest.get_json()["id"] == \
        "api.channel.bookmark.update_channel_bookmark.direct_or_group_channels_by_guests.forbidden.app_error"


def test_update_own_and_others(app, client, admin, licensed):
    team = _team(app)
    who = _member(app, client, admin, team)
    peer = _member(app, client, admin, team)
    channel = _channel(app, team, who, peer)
    mark = _create(client, who, channel)
    response = client.patch(_url(channel, mark["id"]), json={"display_name": "Renamed", "emoji": ":x:"},
                            headers=auth(who))
    assert response.status_code == 200, response.data
    body = response.get_json()
    assert set(body) == {"updated"} and body["updated"]["id"] == mark["id"]
    assert body["updated"]["display_name"] == "Renamed" and body["updated"]["link_url"] == LINK["link_url"]
    # Someone else's edit makes a new bookmark in its place.
    response = client.patch(_url(channel, mark["id"]), json={"display_name": "Theirs"}, headers=auth(peer))
    body = response.get_json()
    assert body["deleted"]["id"] == mark["id"] and body["deleted"]["delete_at"] > 0
    assert body["updated"]["original_id"] == mark["id"] and body["updated"]["owner_id"] == peer["user_id"]
    assert body["updated"]["sort_order"] == mark["sort_order"]
    listed = client.get(_url(channel), headers=auth(who)).get_json()
    assert [b["id"] for b in listed] == [body["updated"]["id"]]
    since = client.get(_url(channel) + "?bookmarks_since=%d" % (mark["create_at"]), headers=auth(who)).get_json()
    assert {b["id"] for b in since} == {mark["id"], body["updated"]["id"]}
    # Refusals.
    new_id = body["updated"]["id"]
    bad = client.patch(_url(channel, new_id), json={"link_url": "not a url"}, headers=auth(peer))
    assert bad.status_code == 400
    assert client.patch(_url(channel, mark["id"]), json={"display_name": "x"}, headers=auth(peer)).status_code == 404
    other = _channel(app, team, who, peer)
    wrong = client.patch(_url(other, new_id), json={"display_name": "x"}, headers=auth(peer))
    assert wrong.status_code == 400 and wrong.get_json()["id"] == "api.context.invalid_param.app_error"
    assert client.patch(_url(channel, new_id), json={"display_name": "x"}).status_code == 401


def test_sort_order_and_delete(app, client, admin, licensed):
    team = _team(app)
    who = _member(app, client, admin, team)
    channel = _channel(app, team, who)
    marks = [_create(client, who, channel, display_name="m%d" % i) for i in range(3)]
    response = client.post(_url(channel, marks[2]["id"], "/sort_order"), json=0, headers=auth(who))
    assert response.status_code == 200, response.data
    assert [(b["id"], b["sort_order"]) for b in response.get_json()] == \
        [(marks[2]["id"], 0), (marks[0]["id"], 1), (marks[1]["id"], 2)]
    assert client.post(_url(channel, marks[0]["id"], "/sort_order"), json=3, headers=auth(who)).status_code == 404
    assert client.post(_url(channel, marks[0]["id"], "/sort_order"), json=-1, headers=auth(who)).status_code == 400
    assert client.post(_url(channel, "z" * 26, "/sort_order"), json=0, headers=auth(who)).status_code == 404
    deleted = client.delete(_url(channel, marks[1]["id"]), headers=auth(who))
    assert deleted.status_code == 200 and deleted.get_json()["delete_at"] > 0
    assert client.delete(_url(channel, marks[1]["id"]), headers=auth(who)).status_code == 404
    assert [b["id"] for b in client.get(_url(channel), headers=auth(who)).get_json()] == \
        [marks[2]["id"], marks[0]["id"]]
    assert client.delete(_url(channel, "bad"), headers=auth(who)).status_code == 400


def test_patch_sort_order_out_of_range(app, client, admin, licensed):
    team = _team(app)
    who = _member(app, client, admin, team)
    channel = _channel(app, team, who)
    mark = _create(client, who, channel)
    for value in (-1, 2 ** 40):
        response = client.patch(_url(channel, mark["id"]), json={"sort_order": value}, headers=auth(who))
        assert response.status_code == 400, value
    response = client.patch(_url(channel, mark["id"]), json={"sort_order": 5}, headers=auth(who))
    assert response.get_json()["updated"]["sort_order"] == 5
