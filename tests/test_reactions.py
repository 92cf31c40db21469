"""Reactions (handlers/reactions.py, store/reactions.py), as Mattermost's
server answers them: saving (validation, permission by the post's channel,
system and custom emoji, the unique-emoji limit, archived channels), soft
deletion with has_reactions recomputed, the lists, and privacy of reactions
on posts the caller cannot read."""
import pytest

from conftest import auth, create, login, unique
from store import channels as store_channels, emoji as store_emoji, models, posts, teams, users
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


def _post(app, channel, who, message="hello"):
    with app.app_context():
        return posts.create({"message": message}, store_channels.get(channel.id), users.get(who["user_id"])).post


@pytest.fixture(scope="module")
def w(app, admin):
    client = app.test_client()
    world = World()
    world.admin = admin
    world.alice, world.bob, world.carol, world.dave = (_user(client, admin) for _ in range(4))
    with app.app_context():
        alice, bob, carol, dave = (users.get(x["user_id"]) for x in (world.alice, world.bob, world.carol, world.dave))
        world.team = teams.create({"display_name": "T", "name": unique("team"), "type": "O"})
        for u in (alice, bob, carol):
            teams.add_member(world.team, u)
        world.other = teams.create({"display_name": "O", "name": unique("team"), "type": "O"})
        teams.add_member(world.other, dave)
        world.public = store_channels.create({"team_id": world.team.id, "type": "O", "name": unique("pub"),
                                              "display_name": "Pub"}, creator=alice)
        store_channels.add_member(world.public, bob)
        world.private = store_channels.create({"team_id": world.team.id, "type": "P", "name": unique("priv"),
                                               "display_name": "Priv"}, creator=alice)
        world.dm, _ = store_channels.get_or_create_direct(alice, bob)
    return world


def react(client, who, post_id, emoji_name="smile", user_id=None, **extra):
    body = {"user_id": user_id or who["user_id"], "post_id": post_id, "emoji_name": emoji_name, **extra}
    return client.post(API + "/reactions", json=body, headers=auth(who))


def unreact(client, who, user_id, post_id, emoji_name):
    return client.delete(API + "/users/%s/posts/%s/reactions/%s" % (user_id, post_id, emoji_name), headers=auth(who))


def error_id(response):
    return response.get_json()["id"]


def _post_row(app, post_id):
    with app.app_context():
        return models.Post.get(models.Post.id == post_id)


def test_save_reaction_answers_it_and_marks_the_post(app, client, w):
    post = _post(app, w.public, w.alice)
    before = _post_row(app, post.id)
    response = react(client, w.bob, post.id, "+1")
    assert response.status_code == 200, response.data
    body = response.get_json()
    assert body["user_id"] == w.bob["user_id"] and body["post_id"] == post.id and body["emoji_name"] == "+1"
    assert body["channel_id"] == w.public.id and body["delete_at"] == 0 and body["remote_id"] == ""
    assert body["create_at"] > 0 and body["update_at"] >= body["create_at"]
    after = _post_row(app, post.id)
    assert after.has_reactions and after.update_at >= before.update_at
    listed = client.get(API + "/posts/%s/reactions" % post.id, headers=auth(w.alice)).get_json()
    assert [(r["user_id"], r["emoji_name"]) for r in listed] == [(w.bob["user_id"], "+1")]
    # the post's metadata carries it
    with app.app_context():
        shown = posts.posts_json([models.Post.get(models.Post.id == post.id)])[0]
    assert [r["emoji_name"] for r in shown["metadata"]["reactions"]] == ["+1"] and shown["has_reactions"]
    # saving it again is fine and keeps one reaction
    assert react(client, w.bob, post.id, "+1").status_code == 200
    assert len(client.get(API + "/posts/%s/reactions" % post.id, headers=auth(w.alice)).get_json()) == 1
    # skin tone variants are system emoji too
    assert react(client, w.alice, post.id, "thumbsup_medium_dark_skin_tone").status_code == 200
    assert react(client, w.alice, post.id, "people_holding_hands_dark_skin_tone_light_skin_tone").status_code == 200


def test_save_reaction_validation(app, client, w):
    post = _post(app, w.public, w.alice)
    for body in ({"user_id": "bad", "post_id": post.id, "emoji_name": "smile"},
                 {"user_id": w.alice["user_id"], "post_id": "bad", "emoji_name": "smile"},
                 {"user_id": w.alice["user_id"], "post_id": post.id, "emoji_name": ""},
                 {"user_id": w.alice["user_id"], "post_id": post.id, "emoji_name": "x" * 65},
                 {"user_id": w.alice["user_id"], "post_id": post.id}):
        response = client.post(API + "/reactions", json=body, headers=auth(w.alice))
        assert response.status_code == 400 and error_id(response) == "api.reaction.save_reaction.invalid.app_error"
    response = client.post(API + "/reactions", json={"user_id": 5}, headers=auth(w.alice))
    assert response.status_code == 400
    response = react(client, w.alice, post.id, user_id=w.bob["user_id"])
    assert response.status_code == 403 and error_id(response) == "api.reaction.save_reaction.user_id.app_error"
    response = client.post(API + "/reactions", json={"user_id": w.alice["user_id"], "post_id": post.id,
                                                     "emoji_name": "smile"})
    assert response.status_code == 401
    # unknown names: neither system nor custom
    response = react(client, w.alice, post.id, "no_such_emoji_here")
    assert response.status_code == 404 and error_id(response) == "app.emoji.get_by_name.no_result"
    response = react(client, w.alice, post.id, "bad.name")
    assert response.status_code == 404
    assert react(client, w.alice, post.id, "nul\0name").status_code == 404
    # "thank you" is a system emoji, but not a valid reaction name
    response = react(client, w.alice, post.id, "thank you")
    assert response.status_code == 400 and error_id(response) == "model.reaction.is_valid.emoji_name.app_error"


def test_save_reaction_permissions_and_privacy(app, client, w):
    private_post = _post(app, w.private, w.alice)
    dm_post = _post(app, w.dm, w.alice)
    public_post = _post(app, w.public, w.alice)
    for who, post in ((w.carol, private_post), (w.bob, private_post), (w.carol, dm_post), (w.dave, public_post),
                      (w.carol, public_post)):
        response = react(client, who, post.id)
        assert response.status_code == 403 and error_id(response) == "api.context.permissions.app_error"
    assert react(client, w.bob, dm_post.id).status_code == 200
    # a post that does not exist: 403 for users, 404 for those with the permission system-wide
    response = react(client, w.alice, NO_ID)
    assert response.status_code == 403
    response = react(client, w.admin, NO_ID)
    assert response.status_code == 404 and error_id(response) == "app.post.get.app_error"
    # a deleted post is not found
    gone = _post(app, w.public, w.alice)
    with app.app_context():
        posts.delete(gone, w.alice["user_id"])
    response = react(client, w.alice, gone.id)
    assert response.status_code == 404 and error_id(response) == "app.post.get.app_error"


def test_unique_emoji_limit(app, client, w):
    post = _post(app, w.public, w.alice)
    settings = app.config["MM_CONFIG"]["ServiceSettings"]
    previous = settings["UniqueEmojiReactionLimitPerPost"]
    settings["UniqueEmojiReactionLimitPerPost"] = 2
    try:
        assert react(client, w.alice, post.id, "smile").status_code == 200
        assert react(client, w.alice, post.id, "heart").status_code == 200
        response = react(client, w.alice, post.id, "tada")
        assert response.status_code == 400 and error_id(response) == "app.reaction.save.save.too_many_reactions"
        # an emoji already on the post is not a new one
        assert react(client, w.bob, post.id, "heart").status_code == 200
        # removing one frees a place
        assert unreact(client, w.alice, w.alice["user_id"], post.id, "smile").status_code == 200
        assert react(client, w.bob, post.id, "tada").status_code == 200
    finally:
        settings["UniqueEmojiReactionLimitPerPost"] = previous


def test_archived_channel_refuses_reactions(app, client, w, admin):
    with app.app_context():
        channel = store_channels.create({"team_id": w.team.id, "type": "O", "name": unique("arch"),
                                         "display_name": "Arch"}, creator=users.get(w.alice["user_id"]))
    post = _post(app, channel, w.alice)
    assert react(client, w.alice, post.id, "smile").status_code == 200
    with app.app_context():
        store_channels.set_deleted(channel.id, 1)
    response = react(client, w.alice, post.id, "heart")
    assert response.status_code == 403 and error_id(response) == "api.reaction.save.archived_channel.app_error"
    response = unreact(client, w.alice, "me", post.id, "smile")
    assert response.status_code == 403 and error_id(response) == "api.reaction.delete.archived_channel.app_error"
    # still readable
    assert len(client.get(API + "/posts/%s/reactions" % post.id, headers=auth(w.alice)).get_json()) == 1


def test_delete_reaction(app, client, w):
    post = _post(app, w.public, w.alice)
    first = react(client, w.bob, post.id, "smile").get_json()
    before = _post_row(app, post.id)
    # someone else's reaction needs remove_others_reactions
    response = unreact(client, w.alice, w.bob["user_id"], post.id, "smile")
    assert response.status_code == 403 and error_id(response) == "api.context.permissions.app_error"
    # outsiders cannot touch it
    assert unreact(client, w.dave, w.dave["user_id"], post.id, "smile").status_code == 403
    # bad parameters
    assert unreact(client, w.bob, "bad", post.id, "smile").status_code == 400
    assert unreact(client, w.bob, "me", "bad", "smile").status_code == 400
    response = unreact(client, w.bob, "me", post.id, "bad.name")
    assert response.status_code == 400 and error_id(response) == "api.context.invalid_url_param.app_error"
    assert client.delete(API + "/users/me/posts/%s/reactions/smile" % post.id).status_code == 401
    # a missing post: 403 to users, 404 to the admin
    assert unreact(client, w.bob, "me", NO_ID, "smile").status_code == 403
    response = unreact(client, w.admin, "me", NO_ID, "smile")
    assert response.status_code == 404 and error_id(response) == "app.post.get.app_error"
    # the owner removes it ("me" stands for the caller)
    response = unreact(client, w.bob, "me", post.id, "smile")
    assert response.status_code == 200 and response.get_json() == {"status": "OK"}
    after = _post_row(app, post.id)
    assert not after.has_reactions and after.update_at >= before.update_at
    assert client.get(API + "/posts/%s/reactions" % post.id, headers=auth(w.alice)).get_json() == []
    with app.app_context():
        row = models.Reaction.get((models.Reaction.post_id == post.id) & (models.Reaction.user_id == w.bob["user_id"]))
    assert row.delete_at > 0   # soft-deleted, as Mattermost keeps them
    # removing a reaction that is not there is fine
    assert unreact(client, w.bob, "me", post.id, "heart").status_code == 200
    # adding it again revives the row, with its first create_at kept in the store
    assert react(client, w.bob, post.id, "smile").status_code == 200
    listed = client.get(API + "/posts/%s/reactions" % post.id, headers=auth(w.alice)).get_json()
    assert [r["create_at"] for r in listed] == [first["create_at"]] and listed[0]["delete_at"] == 0
    assert _post_row(app, post.id).has_reactions
    # the admin may remove anyone's
    assert unreact(client, w.admin, w.bob["user_id"], post.id, "smile").status_code == 200
    assert not _post_row(app, post.id).has_reactions


def test_get_reactions_privacy(app, client, w):
    private_post = _post(app, w.private, w.alice)
    assert react(client, w.alice, private_post.id, "smile").status_code == 200
    url = API + "/posts/%s/reactions" % private_post.id
    assert len(client.get(url, headers=auth(w.alice)).get_json()) == 1
    for who in (w.bob, w.carol, w.dave):
        response = client.get(url, headers=auth(who))
        assert response.status_code == 403 and error_id(response) == "api.context.permissions.app_error"
    assert client.get(url).status_code == 401
    assert client.get(API + "/posts/bad/reactions", headers=auth(w.alice)).status_code == 400
    assert client.get(API + "/posts/%s/reactions" % NO_ID, headers=auth(w.alice)).status_code == 403
    assert client.get(API + "/posts/%s/reactions" % NO_ID, headers=auth(w.admin)).get_json() == []
    dm_post = _post(app, w.dm, w.alice)
    assert client.get(API + "/posts/%s/reactions" % dm_post.id, headers=auth(w.carol)).status_code == 403
    assert client.get(API + "/posts/%s/reactions" % dm_post.id, headers=auth(w.bob)).get_json() == []


def test_bulk_reactions(app, client, w):
    one = _post(app, w.public, w.alice)
    two = _post(app, w.public, w.bob)
    private_post = _post(app, w.private, w.alice)
    assert react(client, w.alice, one.id, "smile").status_code == 200
    assert react(client, w.bob, one.id, "heart").status_code == 200
    assert react(client, w.alice, private_post.id, "smile").status_code == 200
    url = API + "/posts/ids/reactions"
    response = client.post(url, json=[one.id, two.id, one.id], headers=auth(w.bob))
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {one.id, two.id} and body[two.id] == []
    assert [r["emoji_name"] for r in body[one.id]] == ["smile", "heart"]
    assert client.post(url, json=[], headers=auth(w.bob)).get_json() == {}
    # one post the caller cannot read refuses the whole request
    response = client.post(url, json=[one.id, private_post.id], headers=auth(w.bob))
    assert response.status_code == 403 and error_id(response) == "api.context.permissions.app_error"
    assert client.post(url, json=[one.id], headers=auth(w.dave)).status_code == 403
    assert client.post(url, json=[NO_ID], headers=auth(w.bob)).status_code == 403
    assert client.post(url, json=["bad\0id"], headers=auth(w.admin)).get_json() == {"bad\0id": []}
    assert client.post(url, json=[private_post.id], headers=auth(w.alice)).status_code == 200
    assert client.post(url, json=[private_post.id], headers=auth(w.admin)).status_code == 200
    assert client.post(url, json={"a": 1}, headers=auth(w.bob)).status_code == 400
    assert client.post(url, json=[1, 2], headers=auth(w.bob)).status_code == 400
    assert client.post(url, json=[one.id]).status_code == 401


def test_custom_emoji_reactions(app, client, w):
    post = _post(app, w.public, w.alice)
    name = unique("custom")
    with app.app_context():
        emoji = store_emoji.create(new_id(), name, w.alice["user_id"])
    assert react(client, w.bob, post.id, name).status_code == 200
    settings = app.config["MM_CONFIG"]["ServiceSettings"]
    settings["EnableCustomEmoji"] = False
    try:
        response = react(client, w.alice, post.id, name)
        assert response.status_code == 403 and error_id(response) == "api.emoji.disabled.app_error"
        # system emoji still work
        assert react(client, w.alice, post.id, "smile").status_code == 200
    finally:
        settings["EnableCustomEmoji"] = True
    with app.app_context():
        store_emoji.delete(emoji.id)
    response = react(client, w.alice, post.id, name)
    assert response.status_code == 404 and error_id(response) == "app.emoji.get_by_name.no_result"


def test_system_emoji_names():
    for name in ("smile", "+1", "-1", "100", "thank you", "mattermost", "flag-us", "skin-tone-2",
                 "wave_light_skin_tone", "couple_light_skin_tone_dark_skin_tone",
                 "people_holding_hands_medium_skin_tone_medium_skin_tone", "woman-gesturing-ok_dark_skin_tone"):
        assert store_emoji.is_system_name(name), name
    for name in ("couple_light_skin_tone_light_skin_tone", "smile_light_skin_tone", "nope_nope", ""):
        assert not store_emoji.is_system_name(name), name
    assert len(store_emoji.SYSTEM_NAMES) > 4000
