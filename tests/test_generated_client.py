"""A client generated from our own document drives a real server.

openapi-python-client turns api/openapi.json into a Python package (a few
seconds); the document must give it no warnings, since a warning is a part of
the document a generated client cannot use. The generated functions and models
then run a day's first steps against `python -m api.cli serve`: sign up, log in,
a team, a channel, posts, a reaction, a search. The models raise when a field
the document marks required is missing, so the test also holds the server to
those required lists; the second test checks them more widely by validating
real answers of many operations against the document's response schemas.
"""
import importlib
import io
import json
import pathlib
import sys

import pytest
import requests
from openapi_schema_validator import OAS30Validator

from conftest import running_server
from scripts import generate_client

ROOT = pathlib.Path(__file__).resolve().parent.parent
PACKAGE = "mm_generated_client"
PASSWORD = "Generated-client-1"
ENV = {"MM_PYTHONSETTINGS_PASSWORDWORKFACTOR": "1000", "MM_SERVICESETTINGS_ENABLEUSERACCESSTOKENS": "true",
       "MM_SERVICESETTINGS_ENABLEBOTACCOUNTCREATION": "true", "MM_SERVICESETTINGS_ENABLECUSTOMEMOJI": "true",
       "MM_TEAMSETTINGS_ENABLEOPENSERVER": "true"}


@pytest.fixture(scope="module")
def mm(tmp_path_factory):
    """The generated client package, imported."""
    if generate_client.generator_command() is None:
        pytest.skip("openapi-python-client is not installed (it is in the test extras)")
    where = tmp_path_factory.mktemp("generated")
    warnings, output = generate_client.generate(where / PACKAGE)
    assert warnings == [], output
    sys.path.insert(0, str(where))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(where))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
            del sys.modules[name]


@pytest.fixture
def server(tmp_path):
    """A fresh server per test: its first account is the system admin."""
    with running_server(tmp_path, ENV, timeout=60, quiet=True) as (base, _):
        yield base


def _api(mm, module):
    return importlib.import_module("%s.api.%s" % (mm.__name__, module))


def _models(mm):
    return importlib.import_module(mm.__name__ + ".models")


def _ok(response, status=200):
    assert response.status_code == status, (response.status_code, response.content[:500])
    return response.parsed


def _sign_up(mm, base, username):
    """Create a user with the generated client and log in; returns (user, token)."""
    models = _models(mm)
    users = _api(mm, "users")
    anonymous = mm.Client(base_url=base, raise_on_unexpected_status=True)
    created = _ok(importlib.import_module(users.__name__ + ".create_user").sync_detailed(
        client=anonymous, body=models.CreateUserBody(email=username + "@example.com", username=username,
                                                     password=PASSWORD)), 201)
    assert isinstance(created, models.User) and created.username == username
    answer = importlib.import_module(users.__name__ + ".login").sync_detailed(
        client=anonymous, body=models.LoginBody(login_id=username, password=PASSWORD))
    user = _ok(answer)
    token = answer.headers["Token"]
    assert user.id == created.id and token
    return user, token


def test_generated_client_drives_a_session(mm, server):
    models = _models(mm)
    Unset = importlib.import_module(mm.__name__ + ".types").Unset

    def op(module, name):
        return importlib.import_module("%s.api.%s.%s" % (mm.__name__, module, name))

    me, token = _sign_up(mm, server, "gen-alice")
    client = mm.AuthenticatedClient(base_url=server, token=token, raise_on_unexpected_status=True)

    # The caller's own profile: the required fields are typed values, never Unset.
    profile = _ok(op("users", "get_user").sync_detailed("me", client=client))
    assert isinstance(profile, models.User)
    assert profile.id == me.id and profile.username == "gen-alice" and profile.email == "gen-alice@example.com"
    for field, kind in (("create_at", int), ("update_at", int), ("delete_at", int), ("roles", str),
                        ("locale", str), ("position", str), ("disable_welcome_email", bool)):
        assert isinstance(getattr(profile, field), kind), field
    assert "system_admin" in profile.roles.split()  # the first account
    assert isinstance(profile.timezone, models.Timezone)
    assert isinstance(profile.notify_props, models.UserNotifyProps) and profile.notify_props.email == "true"

    # A second user, seen by the first: sanitized, but the required fields are there.
    bob, _ = _sign_up(mm, server, "gen-bob")
    seen = _ok(op("users", "get_user").sync_detailed(bob.id, client=client))
    assert seen.username == "gen-bob" and isinstance(seen.notify_props, Unset)

    team = _ok(op("teams", "create_team").sync_detailed(
        client=client, body=models.CreateTeamBody(name="gen-team", display_name="Generated", type_="O")), 201)
    assert isinstance(team, models.Team) and team.name == "gen-team" and team.display_name == "Generated"
    assert isinstance(team.create_at, int) and team.delete_at == 0
    assert team.type_ in ("O", "I") and team.allow_open_invite is (team.type_ == "O")
    assert team.scheme_id is None and team.policy_id is None

    added = _ok(op("teams", "add_team_member").sync_detailed(
        team.id, client=client, body=models.AddTeamMemberBody(team_id=team.id, user_id=bob.id)), 201)
    assert isinstance(added, models.TeamMember) and added.user_id == bob.id
    assert added.scheme_user is True and added.scheme_admin is False and added.delete_at == 0

    channel = _ok(op("channels", "create_channel").sync_detailed(client=client, body=models.CreateChannelBody(
        team_id=team.id, name="gen-channel", display_name="Generated channel", type_="O",
        purpose="for the generated client")), 201)
    assert isinstance(channel, models.Channel) and channel.team_id == team.id and channel.type_ == "O"
    assert channel.purpose == "for the generated client" and channel.creator_id == me.id
    assert isinstance(channel.total_msg_count, int) and isinstance(channel.last_post_at, int)

    post = _ok(op("posts", "create_post").sync_detailed(client=client, body=models.CreatePostBody(
        channel_id=channel.id, message="hello from a generated client #generated")), 201)
    assert isinstance(post, models.Post) and post.channel_id == channel.id and post.user_id == me.id
    assert post.message.startswith("hello") and post.root_id == "" and post.hashtags == "#generated"
    assert post.file_ids == [] and post.is_pinned is False and isinstance(post.metadata, models.PostMetadata)
    reply = _ok(op("posts", "create_post").sync_detailed(client=client, body=models.CreatePostBody(
        channel_id=channel.id, message="a reply", root_id=post.id)), 201)
    assert reply.root_id == post.id

    listed = _ok(op("posts", "get_posts_for_channel").sync_detailed(channel.id, client=client))
    assert isinstance(listed, models.PostList)
    assert listed.order[:2] == [reply.id, post.id]
    assert isinstance(listed.posts[post.id], models.Post) and listed.posts[post.id].reply_count == 1
    assert listed.next_post_id == "" and isinstance(listed.prev_post_id, str)

    reaction = _ok(op("reactions", "save_reaction").sync_detailed(client=client, body=models.ReactionInput(
        user_id=me.id, post_id=post.id, emoji_name="thumbsup")))
    assert isinstance(reaction, models.Reaction)
    assert (reaction.user_id, reaction.post_id, reaction.emoji_name, reaction.channel_id) == (
        me.id, post.id, "thumbsup", channel.id)
    assert reaction.create_at > 0 and reaction.delete_at == 0
    reactions = _ok(op("reactions", "get_reactions").sync_detailed(post.id, client=client))
    assert [r.emoji_name for r in reactions] == ["thumbsup"]
    again = _ok(op("posts", "get_post").sync_detailed(post.id, client=client))
    assert again.has_reactions is True
    assert [r.emoji_name for r in again.metadata.reactions] == ["thumbsup"]

    found = _ok(op("posts", "search_posts").sync_detailed(team.id, client=client, body=models.SearchPostsBody(
        terms="generated")))
    assert isinstance(found, models.PostListWithSearchMatches)
    assert found.order == [post.id] and found.posts[post.id].message == post.message

    # An error answer parses as the document's AppError.
    missing = op("posts", "get_post").sync_detailed("x" * 26, client=mm.AuthenticatedClient(base_url=server,
                                                                                          token=token))
    assert missing.status_code == 404 and isinstance(missing.parsed, models.AppError)
    assert missing.parsed.status_code == 404 and missing.parsed.id


# ---------------------------------------------------------------------------
# Real answers against the document's response schemas (required lists included).

class Answers:
    """Calls operations by operationId and validates each JSON answer against
    the schema the document gives for its status."""

    def __init__(self, base):
        self.base = base
        self.doc = json.loads((ROOT / "api" / "openapi.json").read_text())
        self.operations = {}
        for path, item in self.doc["paths"].items():
            for method, op in item.items():
                if isinstance(op, dict) and "operationId" in op:
                    self.operations[op["operationId"]] = (method, path, op)
        self.checked = {}
        self.token = None

    def _schema(self, op, status):
        response = op["responses"][str(status)]  # a success the document does not list fails here
        while "$ref" in response:
            response = self.doc["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
        return response["content"]["application/json"]["schema"]

    def __call__(self, operation_id, status=200, body=None, params=None, files=None, token=None, **path):
        method, template, op = self.operations[operation_id]
        url = self.base + template.format(**path)
        headers = {"Authorization": "Bearer " + (token or self.token)} if (token or self.token) else {}
        answer = requests.request(method.upper(), url, json=body, params=params, files=files, headers=headers,
                                  timeout=30)
        assert answer.status_code == status, (operation_id, answer.status_code, answer.text[:500])
        data = answer.json()
        schema = {"allOf": [self._schema(op, status)], "components": self.doc["components"]}
        errors = sorted(OAS30Validator(schema).iter_errors(data), key=lambda e: list(e.absolute_path))
        assert not errors, "%s: %s" % (operation_id, "\n".join(
            "%s: %s" % ("/".join(map(str, e.absolute_path)), e.message) for e in errors[:10]))
        self.checked[operation_id] = self.checked.get(operation_id, 0) + 1
        return answer


def _png():
    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def test_answers_have_the_required_fields(server):
    call = Answers(server)
    users = []
    for name in ("req-carol", "req-dave"):
        user = call("CreateUser", 201, {"email": name + "@example.com", "username": name,
                                        "password": PASSWORD}).json()
        login = call("Login", body={"login_id": name, "password": PASSWORD})
        users.append((user, login.headers["Token"]))
    (carol, carol_token), (dave, dave_token) = users
    call.token = carol_token
    assert "system_admin" in carol["roles"].split()  # the server's first account

    call("GetUser", user_id="me")
    call("GetUser", user_id=dave["id"])
    call("GetUsersByIds", body=[carol["id"], dave["id"]])
    call("GetUserByUsername", username="req-dave")
    call("AutocompleteUsers", params={"name": "req"})
    call("SearchUsers", body={"term": "req"})
    call("PatchUser", body={"position": "tester"}, user_id="me")

    team = call("CreateTeam", 201, {"name": "req-team", "display_name": "Req", "type": "O"}).json()
    call("GetTeam", team_id=team["id"])
    call("GetTeamByName", name="req-team")
    call("GetTeamsForUser", user_id="me")
    call("AddTeamMembers", 201, [{"team_id": team["id"], "user_id": dave["id"]}], team_id=team["id"])
    call("GetTeamMember", team_id=team["id"], user_id=dave["id"])
    call("GetTeamMembers", team_id=team["id"])
    call("GetTeamMembersForUser", user_id="me")
    call("GetTeamStats", team_id=team["id"])
    call("GetTeam", team_id=team["id"], token=dave_token)  # sanitized for a plain member

    channel = call("CreateChannel", 201, {"team_id": team["id"], "name": "req-channel", "display_name": "Req",
                                          "type": "O"}).json()
    call("GetChannel", channel_id=channel["id"])
    call("GetChannelsForTeamForUser", user_id="me", team_id=team["id"])
    call("AddChannelMember", 201, {"user_id": dave["id"]}, channel_id=channel["id"])
    call("GetChannelMember", channel_id=channel["id"], user_id="me")
    call("GetChannelMembers", channel_id=channel["id"])  # others' memberships leave out last_viewed_at
    call("GetChannelMembersForUser", user_id="me", team_id=team["id"])
    call("GetChannelStats", channel_id=channel["id"])
    direct = call("CreateDirectChannel", 201, [carol["id"], dave["id"]]).json()

    upload = call("UploadFile", 201, files={"files": ("dot.png", _png(), "image/png")},
                  params={"channel_id": channel["id"]}).json()
    file_id = upload["file_infos"][0]["id"]
    root = call("CreatePost", 201, {"channel_id": channel["id"], "message": "required fields @req-dave",
                                    "file_ids": [file_id]}).json()
    call("CreatePost", 201, {"channel_id": channel["id"], "message": "reply", "root_id": root["id"]},
         token=dave_token)
    call("CreatePost", 201, {"channel_id": direct["id"], "message": "direct words"})
    call("SaveReaction", body={"user_id": carol["id"], "post_id": root["id"], "emoji_name": "smile"})
    call("GetReactions", post_id=root["id"])
    call("GetPost", post_id=root["id"])
    call("GetPostsForChannel", channel_id=channel["id"])
    call("GetPostThread", post_id=root["id"])
    call("GetFileInfosForPost", post_id=root["id"])
    call("GetFileInfo", file_id=file_id)
    call("SearchPosts", body={"terms": "required"}, team_id=team["id"])
    call("SearchFiles", body={"terms": "dot"}, team_id=team["id"])
    call("GetChannelUnread", user_id="me", channel_id=channel["id"], token=dave_token)
    call("GetTeamUnread", user_id="me", team_id=team["id"], token=dave_token)
    call("GetTeamsUnreadForUser", user_id="me", token=dave_token)

    call("GetUserThreads", user_id="me", team_id=team["id"])
    call("GetUserThreads", user_id="me", team_id=team["id"], params={"extended": "true"})
    call("GetUserThread", user_id="me", team_id=team["id"], thread_id=root["id"])

    call("UpdatePreferences", body=[{"user_id": carol["id"], "category": "display_settings",
                                     "name": "use_military_time", "value": "true"}], user_id="me")
    call("GetPreferences", user_id="me")
    call("UpdateUserStatus", body={"user_id": carol["id"], "status": "dnd"}, user_id="me")
    call("GetUserStatus", user_id="me")
    call("GetUsersStatusesByIds", body=[carol["id"], dave["id"]])
    call("GetSessions", user_id="me")
    call("GetRoleByName", role_name="system_user")
    call("GetRolesByNames", body=["system_user", "channel_user"])

    if True:
        call("CreateUserAccessToken", 200, {"description": "for the test"}, user_id=carol["id"])
        call("GetUserAccessTokensForUser", user_id=carol["id"])
        call("CreateBot", 201, {"username": "req-bot", "display_name": "Req bot"})
        call("GetBots")
        emoji = call("CreateEmoji", 200, files={
            "image": ("e.png", _png(), "image/png"),
            "emoji": (None, json.dumps({"name": "req-emoji", "creator_id": carol["id"]}))}).json()
        call("GetEmoji", emoji_id=emoji["id"])
        call("GetEmojiList")
    assert len(call.checked) >= 45, sorted(call.checked)
