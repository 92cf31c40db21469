"""Custom emoji (handlers/emoji.py, store/emoji.py), as Mattermost's server
answers them: creation (permission, names, clashes with system emoji and
existing names, image checks and scaling), the lists and searches, the image,
deletion (with the reactions that used the emoji), and the answers when custom
emoji are turned off."""
import io
import json

import pytest
from PIL import Image

from conftest import auth, create, login, unique
from store import channels as store_channels, emoji as store_emoji, models, posts, roles, teams, users
from store.ids import new_id

API = "/api/v4"
NO_ID = "z" * 26


class World:
    pass


def _user(client, admin):
    created = create(client, admin)
    who = login(client, created["username"])
    who["username"] = created["username"]
    return who


@pytest.fixture(scope="module")
def w(app, admin):
    client = app.test_client()
    world = World()
    world.admin = admin
    world.alice, world.bob, world.carol = (_user(client, admin) for _ in range(3))
    with app.app_context():
        world.team = teams.create({"display_name": "T", "name": unique("team"), "type": "O"})
        for who in (world.alice, world.bob):
            teams.add_member(world.team, users.get(who["user_id"]))
    return world


def image_bytes(size=(32, 32), kind="PNG", frames=1):
    out = io.BytesIO()
    if kind == "GIF" and frames > 1:
        images = [Image.new("RGB", size, (i * 40 % 256, 100, 200)) for i in range(frames)]
        images[0].save(out, format="GIF", save_all=True, append_images=images[1:], duration=50, loop=0)
    else:
        Image.new("RGB", size, (200, 30, 30)).save(out, format=kind)
    return out.getvalue()


def upload(client, who, name=None, data=None, creator_id=None, emoji=None, filename="e.png"):
    form = {}
    if data is not False:
        form["image"] = (io.BytesIO(image_bytes() if data is None else data), filename)
    if emoji is None:
        emoji = json.dumps({"name": name or unique("emo"), "creator_id": creator_id or who["user_id"]})
    if emoji is not False:
        form["emoji"] = emoji
    return client.post(API + "/emoji", data=form, headers=auth(who) if who else {}, content_type="multipart/form-data")


def make(client, who, name=None, **kwargs):
    response = upload(client, who, name, **kwargs)
    assert response.status_code == 200, response.data
    return response.get_json()


def error_id(response):
    return response.get_json()["id"]


@pytest.fixture
def custom_emoji_off(app):
    settings = app.config["MM_CONFIG"]["ServiceSettings"]
    settings["EnableCustomEmoji"] = False
    yield
    settings["EnableCustomEmoji"] = True


def test_create_and_get(app, client, w):
    name = unique("party")
    body = make(client, w.alice, name)
    assert body["name"] == name and body["creator_id"] == w.alice["user_id"] and len(body["id"]) == 26
    assert body["create_at"] == body["update_at"] > 0 and body["delete_at"] == 0
    assert client.get(API + "/emoji/" + body["id"], headers=auth(w.bob)).get_json() == body
    assert client.get(API + "/emoji/name/" + name, headers=auth(w.bob)).get_json() == body
    image = client.get(API + "/emoji/%s/image" % body["id"], headers=auth(w.bob))
    assert image.status_code == 200 and image.mimetype == "image/png"
    assert image.headers["Cache-Control"] == "max-age=2592000, private"
    assert image.data == image_bytes()   # small images are kept as they are
    # a user outside every team may still read them
    assert client.get(API + "/emoji/" + body["id"], headers=auth(w.carol)).status_code == 200


def test_create_rules(app, client, w):
    taken = make(client, w.alice)["name"]
    cases = [
        (dict(name=taken), 400, "api.emoji.create.duplicate.app_error"),
        (dict(name="smile"), 400, "model.emoji.system_emoji_name.app_error"),
        (dict(name="+1"), 400, "model.emoji.system_emoji_name.app_error"),
        (dict(name="bad name"), 400, "model.emoji.name.app_error"),
        (dict(name="x" * 65), 400, "model.emoji.name.app_error"),
        (dict(emoji=json.dumps({"name": "", "creator_id": w.alice["user_id"]})), 400, "model.emoji.name.app_error"),
        (dict(creator_id=w.bob["user_id"]), 403, "api.emoji.create.other_user.app_error"),
        (dict(creator_id="x" * 27), 400, "model.emoji.user_id.app_error"),
        (dict(emoji="{not json"), 400, "api.context.invalid_param.app_error"),
        (dict(emoji="[1]"), 400, "api.context.invalid_param.app_error"),
        (dict(emoji=json.dumps({"name": 5})), 400, "api.context.invalid_param.app_error"),
        (dict(data=b"not an image at all"), 400, "api.emoji.upload.image.app_error"),
        (dict(data=image_bytes((1029, 10))), 400, "api.emoji.upload.large_image.too_large.app_error"),
    ]
    for kwargs, status, expected in cases:
        response = upload(client, w.alice, **kwargs)
        assert (response.status_code, error_id(response)) == (status, expected), (kwargs.keys(), response.data)
    # the form parts are required
    assert upload(client, w.alice, data=False).status_code == 400
    assert upload(client, w.alice, emoji=False).status_code == 400
    # no session
    assert upload(client, None, creator_id=NO_ID).status_code == 401
    # too large a request
    big = upload(client, w.alice, data=b"\0" * (store_emoji.MAX_FILE_SIZE + 10))
    assert big.status_code == 413 and error_id(big) == "api.emoji.create.too_large.app_error"
    # a deleted emoji's name can be used again
    gone = make(client, w.alice)
    assert client.delete(API + "/emoji/" + gone["id"], headers=auth(w.alice)).status_code == 200
    assert make(client, w.alice, gone["name"])["id"] != gone["id"]


def test_large_images_are_scaled(app, client, w):
    made = make(client, w.alice, data=image_bytes((512, 256), "JPEG"), filename="big.jpg")
    image = client.get(API + "/emoji/%s/image" % made["id"], headers=auth(w.alice))
    assert image.mimetype == "image/png"
    assert Image.open(io.BytesIO(image.data)).size == (128, 64)
    made = make(client, w.alice, data=image_bytes((300, 600), "GIF", frames=3), filename="a.gif")
    image = client.get(API + "/emoji/%s/image" % made["id"], headers=auth(w.alice))
    assert image.mimetype == "image/gif"
    gif = Image.open(io.BytesIO(image.data))
    assert gif.size == (64, 128) and gif.n_frames == 3
    small = make(client, w.alice, data=image_bytes((20, 20), "GIF"), filename="s.gif")
    assert client.get(API + "/emoji/%s/image" % small["id"], headers=auth(w.alice)).mimetype == "image/gif"


def test_create_permission(app, client, w):
    with app.app_context():
        role = roles.get_by_names(["system_user"])[0]
        saved = role.permissions
        models.Role.update(permissions=" ".join(p for p in saved.split() if p != "create_emojis")).where(
            models.Role.id == role.id).execute()
        roles.forget_cached()
    try:
        response = upload(client, w.alice)
        assert response.status_code == 403 and error_id(response) == "api.context.permissions.app_error"
        # a team role that grants it is enough
        with app.app_context():
            team_user = roles.get_by_names(["team_user"])[0]
            team_saved = team_user.permissions
            models.Role.update(permissions=team_saved + " create_emojis").where(models.Role.id == team_user.id).execute()
            roles.forget_cached()
        try:
            assert upload(client, w.alice).status_code == 200
            assert upload(client, w.carol).status_code == 403   # in no team
        finally:
            with app.app_context():
                models.Role.update(permissions=team_saved).where(models.Role.id == team_user.id).execute()
                roles.forget_cached()
    finally:
        with app.app_context():
            models.Role.update(permissions=saved).where(models.Role.id == role.id).execute()
            roles.forget_cached()


def test_list_search_autocomplete(app, client, w):
    prefix = unique("zlist")
    names = [prefix + "_b", prefix + "_a", prefix + "_c"]
    made = [make(client, w.alice, n) for n in names]
    listed = client.get(API + "/emoji?per_page=200&sort=name", headers=auth(w.bob)).get_json()
    ours = [e["name"] for e in listed if e["name"].startswith(prefix)]
    assert ours == sorted(names)
    everything = [e["name"] for e in listed]
    assert everything == sorted(everything)
    by_creation = client.get(API + "/emoji?per_page=200", headers=auth(w.bob)).get_json()
    assert [e["name"] for e in by_creation if e["name"].startswith(prefix)] == names
    page = client.get(API + "/emoji?per_page=1&page=1&sort=name", headers=auth(w.bob)).get_json()
    assert len(page) == 1 and page[0]["name"] == everything[1]
    response = client.get(API + "/emoji?sort=created", headers=auth(w.bob))
    assert response.status_code == 400 and error_id(response) == "api.context.invalid_url_param.app_error"
    assert client.get(API + "/emoji").status_code == 401

    search = client.post(API + "/emoji/search", json={"term": prefix + "_"}, headers=auth(w.bob)).get_json()
    assert [e["name"] for e in search] == sorted(names)
    middle = client.post(API + "/emoji/search", json={"term": "_b"}, headers=auth(w.bob)).get_json()
    assert prefix + "_b" in [e["name"] for e in middle]
    across = client.post(API + "/emoji/search", json={"term": prefix[2:] + "_c"}, headers=auth(w.bob)).get_json()
    assert [e["name"] for e in across] == [prefix + "_c"]
    assert client.post(API + "/emoji/search", json={"term": "a\0b"}, headers=auth(w.bob)).get_json() == []
    prefixed = client.post(API + "/emoji/search", json={"term": "_b", "prefix_only": True}, headers=auth(w.bob))
    assert prefix + "_b" not in [e["name"] for e in prefixed.get_json()]
    assert client.post(API + "/emoji/search", json={"term": "_b", "prefix_only": "yes"},
                       headers=auth(w.bob)).status_code == 400
    # _ and % are not wildcards; matching is case-sensitive
    assert client.post(API + "/emoji/search", json={"term": prefix.upper()}, headers=auth(w.bob)).get_json() == []
    assert client.post(API + "/emoji/search", json={"term": "%"}, headers=auth(w.bob)).get_json() == []
    response = client.post(API + "/emoji/search", json={"term": ""}, headers=auth(w.bob))
    assert response.status_code == 400 and error_id(response) == "api.context.invalid_param.app_error"
    assert client.post(API + "/emoji/search", json={}, headers=auth(w.bob)).status_code == 400
    assert client.post(API + "/emoji/search", json={"term": "a"}).status_code == 401

    auto = client.get(API + "/emoji/autocomplete?name=" + prefix, headers=auth(w.bob)).get_json()
    assert [e["name"] for e in auto] == sorted(names)
    assert client.get(API + "/emoji/autocomplete?name=_a", headers=auth(w.bob)).get_json() == []
    response = client.get(API + "/emoji/autocomplete?name=", headers=auth(w.bob))
    assert response.status_code == 400 and error_id(response) == "api.context.invalid_url_param.app_error"
    # deleted emoji are not listed
    assert client.delete(API + "/emoji/" + made[0]["id"], headers=auth(w.alice)).status_code == 200
    auto = client.get(API + "/emoji/autocomplete?name=" + prefix, headers=auth(w.bob)).get_json()
    assert [e["name"] for e in auto] == sorted(names[1:])


def test_get_errors(app, client, w):
    assert client.get(API + "/emoji/bad", headers=auth(w.bob)).status_code == 400
    response = client.get(API + "/emoji/" + NO_ID, headers=auth(w.bob))
    assert response.status_code == 404 and error_id(response) == "app.emoji.get.no_result"
    response = client.get(API + "/emoji/name/nosuchemoji", headers=auth(w.bob))
    assert response.status_code == 404 and error_id(response) == "app.emoji.get_by_name.no_result"
    response = client.get(API + "/emoji/name/bad.name", headers=auth(w.bob))
    assert response.status_code == 400 and error_id(response) == "api.context.invalid_url_param.app_error"
    response = client.get(API + "/emoji/%s/image" % NO_ID, headers=auth(w.bob))
    assert response.status_code == 404 and error_id(response) == "app.emoji.get.no_result"
    assert client.get(API + "/emoji/bad/image", headers=auth(w.bob)).status_code == 400
    assert client.get(API + "/emoji/" + NO_ID).status_code == 401
    assert client.get(API + "/emoji/%s/image" % NO_ID).status_code == 401
    # an emoji whose image is missing
    made = make(client, w.alice)
    import os
    from store.files import FileStore
    files = FileStore(app.config["MM_CONFIG"]["FileSettings"]["Directory"])
    os.remove(files.path(store_emoji.image_path(made["id"])))
    response = client.get(API + "/emoji/%s/image" % made["id"], headers=auth(w.bob))
    assert response.status_code == 404 and error_id(response) == "api.emoji.get_image.read.app_error"


def test_delete(app, client, w):
    mine = make(client, w.alice)
    # someone else's emoji needs delete_others_emojis
    response = client.delete(API + "/emoji/" + mine["id"], headers=auth(w.bob))
    assert response.status_code == 403 and error_id(response) == "api.context.permissions.app_error"
    assert client.delete(API + "/emoji/bad", headers=auth(w.bob)).status_code == 400
    response = client.delete(API + "/emoji/" + NO_ID, headers=auth(w.bob))
    assert response.status_code == 404 and error_id(response) == "app.emoji.get.no_result"
    assert client.delete(API + "/emoji/" + mine["id"]).status_code == 401
    # the creator may; then it is gone, its image moved aside
    response = client.delete(API + "/emoji/" + mine["id"], headers=auth(w.alice))
    assert response.status_code == 200 and response.get_json() == {"status": "OK"}
    assert client.get(API + "/emoji/" + mine["id"], headers=auth(w.alice)).status_code == 404
    assert client.get(API + "/emoji/%s/image" % mine["id"], headers=auth(w.alice)).status_code == 404
    assert client.delete(API + "/emoji/" + mine["id"], headers=auth(w.alice)).status_code == 404
    from store.files import FileStore
    files = FileStore(app.config["MM_CONFIG"]["FileSettings"]["Directory"])
    assert files.read(store_emoji.deleted_image_path(mine["id"])) is not None
    assert files.read(store_emoji.image_path(mine["id"])) is None
    # the admin may delete anyone's
    theirs = make(client, w.bob)
    assert client.delete(API + "/emoji/" + theirs["id"], headers=auth(w.admin)).status_code == 200
    # without delete_emojis, not even one's own
    own = make(client, w.bob)
    with app.app_context():
        role = roles.get_by_names(["system_user"])[0]
        saved = role.permissions
        models.Role.update(permissions=" ".join(p for p in saved.split() if p != "delete_emojis")).where(
            models.Role.id == role.id).execute()
        roles.forget_cached()
    try:
        response = client.delete(API + "/emoji/" + own["id"], headers=auth(w.bob))
        assert response.status_code == 403 and error_id(response) == "api.context.permissions.app_error"
    finally:
        with app.app_context():
            models.Role.update(permissions=saved).where(models.Role.id == role.id).execute()
            roles.forget_cached()


def test_delete_removes_reactions(app, client, w):
    emoji = make(client, w.alice)
    with app.app_context():
        channel = store_channels.create({"team_id": w.team.id, "type": "O", "name": unique("c"),
                                         "display_name": "C"}, creator=users.get(w.alice["user_id"]))
        store_channels.add_member(channel, users.get(w.bob["user_id"]))
        post = posts.create({"message": "hi"}, store_channels.get(channel.id), users.get(w.alice["user_id"])).post
        other = posts.create({"message": "ho"}, store_channels.get(channel.id), users.get(w.alice["user_id"])).post
    for who, target, name in ((w.bob, post, emoji["name"]), (w.alice, other, emoji["name"]),
                              (w.alice, other, "smile")):
        body = {"user_id": who["user_id"], "post_id": target.id, "emoji_name": name}
        assert client.post(API + "/reactions", json=body, headers=auth(who)).status_code == 200
    assert client.delete(API + "/emoji/" + emoji["id"], headers=auth(w.alice)).status_code == 200
    assert client.get(API + "/posts/%s/reactions" % post.id, headers=auth(w.alice)).get_json() == []
    left = client.get(API + "/posts/%s/reactions" % other.id, headers=auth(w.alice)).get_json()
    assert [r["emoji_name"] for r in left] == ["smile"]
    with app.app_context():
        assert not models.Post.get(models.Post.id == post.id).has_reactions
        assert models.Post.get(models.Post.id == other.id).has_reactions


def test_custom_emoji_turned_off(app, client, w, custom_emoji_off):
    with app.app_context():
        emoji = store_emoji.create(new_id(), unique("off"), w.alice["user_id"])
    for response in (upload(client, w.alice),
                     client.get(API + "/emoji", headers=auth(w.bob)),
                     client.get(API + "/emoji/" + emoji.id, headers=auth(w.bob)),
                     client.get(API + "/emoji/name/" + emoji.name, headers=auth(w.bob)),
                     client.get(API + "/emoji/%s/image" % emoji.id, headers=auth(w.bob))):
        assert (response.status_code, error_id(response)) == (501, "api.emoji.disabled.app_error")
    for response in (client.post(API + "/emoji/search", json={"term": "a"}, headers=auth(w.bob)),
                     client.get(API + "/emoji/autocomplete?name=a", headers=auth(w.bob)),
                     client.delete(API + "/emoji/" + emoji.id, headers=auth(w.alice))):
        assert (response.status_code, error_id(response)) == (403, "api.emoji.disabled.app_error")


def test_prepare_image_unit():
    assert store_emoji.prepare_image(image_bytes((128, 128))) == image_bytes((128, 128))
    scaled = store_emoji.prepare_image(image_bytes((1028, 100), "BMP"))
    assert Image.open(io.BytesIO(scaled)).size == (128, 12)
    with pytest.raises(store_emoji.ImageTooLarge):
        store_emoji.prepare_image(image_bytes((10, 1029)))
    with pytest.raises(store_emoji.BadImage):
        store_emoji.prepare_image(b"GIF89a nonsense")
    assert store_emoji.image_format(image_bytes(kind="JPEG")) == "jpeg"
    assert store_emoji.image_format(b"nothing") is None
