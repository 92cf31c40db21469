"""Post and file search (SearchPosts, SearchPostsInAllTeams, SearchFiles):
Mattermost's search syntax on both engines (SQLite FTS5, PostgreSQL full
text), privacy, deleted and system posts, paging and the errors."""
import datetime

import pytest

from conftest import auth, create, login, unique
from store import channels as store_channels, models, posts, teams, users
from store.ids import new_id


def _millis(year, month, day, hour=12):
    moment = datetime.datetime(year, month, day, hour, tzinfo=datetime.timezone.utc)
    return int(moment.timestamp() * 1000)


def _who(client, admin):
    created = create(client, admin)
    who = login(client, created["username"])
    who["username"] = created["username"]
    who["user"] = users.get(created["id"])
    return who


def _file(uploader, channel, name, content=""):
    """A FileInfo row as an upload leaves it (not attached to a post yet)."""
    now = _millis(2021, 1, 1)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    info = models.FileInfo.create(id=new_id(), creator_id=uploader.id, channel_id=channel.id, create_at=now,
                                  update_at=now, path="data/" + name, name=name, extension=extension, size=10,
                                  mime_type="application/octet-stream", content=content)
    return info.id


@pytest.fixture(scope="module")
def w(app, admin):
    client = app.test_client()

    class W:
        posts = {}

    w = W()
    with app.app_context():
        w.alice, w.bob, w.carol, w.dave = (_who(client, admin) for _ in range(4))
        w.team = teams.create({"display_name": "T", "name": unique("team"), "type": "O"})
        w.other_team = teams.create({"display_name": "O", "name": unique("team"), "type": "O"})
        for who in (w.alice, w.bob, w.carol):
            teams.add_member(w.team, who["user"])
        for who in (w.alice, w.carol):
            teams.add_member(w.other_team, who["user"])
        w.pub = store_channels.create({"team_id": w.team.id, "type": "O", "name": unique("pub"),
                                       "display_name": "Pub"}, creator=w.alice["user"])
        store_channels.add_member(w.pub, w.bob["user"])
        w.side = store_channels.create({"team_id": w.team.id, "type": "O", "name": unique("side"),
                                        "display_name": "Side"}, creator=w.alice["user"])
        w.secret = store_channels.create({"team_id": w.team.id, "type": "P", "name": unique("secret"),
                                          "display_name": "Secret"}, creator=w.carol["user"])
        w.unjoined = store_channels.create({"team_id": w.team.id, "type": "O", "name": unique("unjoined"),
                                            "display_name": "Unjoined"}, creator=w.carol["user"])
        w.elsewhere = store_channels.create({"team_id": w.other_team.id, "type": "O", "name": unique("else"),
                                             "display_name": "Else"}, creator=w.alice["user"])
        w.carol_only = store_channels.create({"team_id": w.other_team.id, "type": "O", "name": unique("co"),
                                              "display_name": "CO"}, creator=w.carol["user"])
        w.archived = store_channels.create({"team_id": w.team.id, "type": "O", "name": unique("old"),
                                            "display_name": "Old"}, creator=w.alice["user"])
        w.dm, _ = store_channels.get_or_create_direct(w.alice["user"], w.bob["user"])
        w.others_dm, _ = store_channels.get_or_create_direct(w.bob["user"], w.carol["user"])

        def post(key, channel, who, message, **fields):
            fields["message"] = message
            w.posts[key] = posts.create(fields, store_channels.get(channel.id), who["user"]).post

        post("both", w.pub, w.alice, "apple and banana smoothie", create_at=_millis(2020, 3, 10))
        post("apple", w.pub, w.bob, "an apple a day", create_at=_millis(2020, 3, 11))
        post("banana", w.side, w.alice, "banana bread recipe", create_at=_millis(2020, 3, 12))
        post("phrase", w.pub, w.alice, "the quick red fox jumps", create_at=_millis(2020, 3, 13))
        post("apart", w.pub, w.bob, "a red and very big fox", create_at=_millis(2020, 3, 14))
        post("prefix", w.side, w.bob, "Zebrafish swim upstream", create_at=_millis(2020, 3, 15))
        post("tag", w.pub, w.alice, "shipping #Release today", create_at=_millis(2020, 3, 16))
        post("tags", w.pub, w.bob, "not quite #releases yet", create_at=_millis(2020, 3, 17))
        post("plain", w.pub, w.bob, "the release notes", create_at=_millis(2020, 3, 18))
        post("dm", w.dm, w.bob, "mango in our direct chat", create_at=_millis(2020, 3, 19))
        post("elsewhere", w.elsewhere, w.alice, "mango in another team", create_at=_millis(2020, 3, 20))
        post("secret", w.secret, w.carol, "mango secret plans", create_at=_millis(2020, 3, 21))
        post("unjoined", w.unjoined, w.carol, "mango public but not joined", create_at=_millis(2020, 3, 22))
        post("others_dm", w.others_dm, w.bob, "mango between bob and carol", create_at=_millis(2020, 3, 23))
        post("carol_only", w.carol_only, w.carol, "mango other team channel", create_at=_millis(2020, 3, 24))
        post("archived", w.archived, w.alice, "mango archived words", create_at=_millis(2020, 3, 25))
        post("deleted", w.pub, w.alice, "mango deleted message", create_at=_millis(2020, 3, 26))
        post("system", w.pub, w.alice, "mango joined the channel", type="system_join_channel",
             create_at=_millis(2020, 3, 27))
        post("cafe", w.side, w.alice, "Meet at the café, visit example.com", create_at=_millis(2020, 4, 1))
        post("late", w.side, w.alice, "late evening kiwi", create_at=_millis(2020, 4, 2, hour=23))
        post("reply", w.pub, w.bob, "kiwi reply in thread", root_id=w.posts["both"].id,
             create_at=_millis(2020, 4, 3))
        for i in range(5):
            post("page%d" % i, w.side, w.alice, "pagination lychee %d" % i, create_at=_millis(2020, 5, 1 + i))
        posts.delete(w.posts["deleted"], w.alice["user_id"])
        store_channels.set_deleted(w.archived.id, _millis(2020, 6, 1))

        w.report = _file(w.alice["user"], w.pub, "Quarterly-Report.pdf", content="revenue figures")
        w.photo = _file(w.bob["user"], w.pub, "holiday_photo.png")
        w.notes = _file(w.alice["user"], w.side, "meeting-notes.txt", content="agenda items")
        w.secret_file = _file(w.carol["user"], w.secret, "report-secret.pdf")
        w.unposted = _file(w.bob["user"], w.pub, "report-draft.pdf")
        post("files", w.pub, w.alice, "see attached", file_ids=[w.report], create_at=_millis(2021, 2, 1))
        post("photo", w.pub, w.bob, "look", file_ids=[w.photo], create_at=_millis(2021, 2, 2))
        post("notes", w.side, w.alice, "notes", file_ids=[w.notes], create_at=_millis(2021, 2, 3))
        post("secret_files", w.secret, w.carol, "secret", file_ids=[w.secret_file], create_at=_millis(2021, 2, 4))
        models.FileInfo.update(create_at=_millis(2021, 2, 1)).where(models.FileInfo.id == w.report).execute()
        models.FileInfo.update(create_at=_millis(2021, 2, 2)).where(models.FileInfo.id == w.photo).execute()
        models.FileInfo.update(create_at=_millis(2021, 2, 3)).where(models.FileInfo.id == w.notes).execute()
    return w


def _search(client, who, terms, team=None, path=None, **body):
    body["terms"] = terms
    body.setdefault("is_or_search", False)
    url = path or ("/api/v4/teams/%s/posts/search" % team.id if team is not None else "/api/v4/posts/search")
    return client.post(url, json=body, headers=auth(who))


def _keys(w, response):
    assert response.status_code == 200, response.data
    body = response.get_json()
    by_id = {p.id: k for k, p in w.posts.items()}
    assert set(body["order"]) == set(body["posts"])
    return [by_id.get(i, i) for i in body["order"]]


def _find(client, w, terms, who=None, team="team", **body):
    team = getattr(w, team) if team else None
    return _keys(w, _search(client, who or w.alice, terms, team, **body))


# ---------------------------------------------------------------------------
# Syntax

def test_terms_and_or(client, w):
    assert _find(client, w, "apple banana") == ["both"]
    assert _find(client, w, "apple banana", is_or_search=True) == ["banana", "apple", "both"]
    assert _find(client, w, "APPLE") == ["apple", "both"]


def test_result_shape(client, w):
    response = _search(client, w.alice, "smoothie", w.team)
    body = response.get_json()
    assert response.headers["Cache-Control"] == "no-cache, no-store, must-revalidate"
    post_id = w.posts["both"].id
    assert body["order"] == [post_id]
    assert body["posts"][post_id]["message"] == "apple and banana smoothie"
    assert body["posts"][post_id]["reply_count"] == 1
    assert body["matches"] == {post_id: ["smoothie"]}
    assert body["next_post_id"] == "" and body["prev_post_id"] == ""


def test_matches_list_the_matched_words(client, w):
    body = _search(client, w.alice, "zebra* upstream", w.team).get_json()
    assert body["matches"][w.posts["prefix"].id] == ["Zebrafish", "upstream"]
    body = _search(client, w.alice, "#release", w.team).get_json()
    assert body["matches"][w.posts["tag"].id] == ["#Release"]


def test_quoted_phrase(client, w):
    assert _find(client, w, '"red fox"') == ["phrase"]
    assert _find(client, w, "red fox") == ["apart", "phrase"]
    assert _find(client, w, '"quick red" jumps') == ["phrase"]


def test_prefix_wildcard(client, w):
    assert _find(client, w, "zebra*") == ["prefix"]
    assert _find(client, w, "zebra") == []
    assert _find(client, w, "*") == []


def test_excluded_terms(client, w):
    assert _find(client, w, "apple -banana") == ["apple"]
    assert _find(client, w, 'fox -"red fox"') == ["apart"]
    assert _find(client, w, "banana -smooth*") == ["banana"]


def test_hashtags_match_exactly(client, w):
    assert _find(client, w, "#release") == ["tag"]
    assert _find(client, w, "#RELEASE") == ["tag"]
    assert _find(client, w, "#releases") == ["tags"]
    assert _find(client, w, "#release #releases", is_or_search=True) == ["tags", "tag"]
    assert _find(client, w, "#release #releases") == []
    # A plain word is searched in messages, where hashtags are words too.
    assert "plain" in _find(client, w, "release")
    # A plain word and a hashtag are two searches whose results are merged.
    assert _find(client, w, "smoothie #release") == ["tag", "both"]
    # What is excluded is left out of both.
    assert _find(client, w, "smoothie #release -shipping") == ["both"]
    assert _find(client, w, "smoothie #release -#release") == ["both"]
    assert _find(client, w, "release -#releases") == ["plain", "tag"]


def test_from_filter(client, w):
    assert _find(client, w, "apple from:%s" % w.bob["username"]) == ["apple"]
    assert _find(client, w, "apple from:@%s" % w.bob["username"].upper()) == ["apple"]
    assert _find(client, w, "apple -from:%s" % w.bob["username"]) == ["both"]
    assert _find(client, w, "apple from: %s" % w.alice["username"]) == ["both"]
    assert _find(client, w, "apple from:nobody-at-all") == []
    # A filter alone is a search too.
    assert _find(client, w, "from:%s in:%s" % (w.bob["username"], w.side.name)) == ["prefix"]


def test_in_filter(client, w):
    assert _find(client, w, "banana in:%s" % w.side.name) == ["banana"]
    assert _find(client, w, "banana channel:~%s" % w.side.name) == ["banana"]
    assert _find(client, w, "banana -in:%s" % w.side.name) == ["both"]
    assert _find(client, w, "mango in:@%s" % w.bob["username"]) == ["dm"]
    assert _find(client, w, "mango in:%s" % w.secret.name) == []          # not a member
    assert _find(client, w, "mango in:no-such-channel") == []
    # In the team search, the in: of another team's channel finds nothing.
    assert _find(client, w, "mango in:%s" % w.elsewhere.name) == []
    assert _find(client, w, "mango in:%s" % w.elsewhere.name, team=None) == ["elsewhere"]


def test_date_filters(client, w):
    assert _find(client, w, "apple on:2020-03-11") == ["apple"]
    assert _find(client, w, "apple on:2020-3-10") == ["both"]
    assert _find(client, w, "apple after:2020-03-10") == ["apple"]
    assert _find(client, w, "apple before:2020-03-11") == ["both"]
    assert _find(client, w, "apple -on:2020-03-11") == ["both"]
    assert _find(client, w, "apple -after:2020-03-10") == ["both"]
    assert _find(client, w, "apple -before:2020-03-11") == ["apple"]
    assert _find(client, w, "apple before:not-a-date") == []
    assert _find(client, w, "apple on:2020-02-30") == []
    assert _find(client, w, "on:2020-03-11") == ["apple"]


def test_time_zone_offset(client, w):
    # 23:00 UTC on April 2nd is April 3rd two hours east of UTC.
    assert _find(client, w, "kiwi on:2020-04-02") == ["late"]
    assert _find(client, w, "kiwi on:2020-04-03", time_zone_offset=7200) == ["reply", "late"]
    assert _find(client, w, "kiwi on:2020-04-02", time_zone_offset=7200) == []


def test_diacritics_and_punctuation(client, w):
    assert _find(client, w, "café") == ["cafe"]
    assert _find(client, w, "example.com") == ["cafe"]
    assert _find(client, w, "meet!!") == ["cafe"]


def test_paging(client, w):
    first = _find(client, w, "lychee", per_page=2)
    second = _find(client, w, "lychee", per_page=2, page=1)
    third = _find(client, w, "lychee", per_page=2, page=2)
    assert first == ["page4", "page3"] and second == ["page2", "page1"] and third == ["page0"]
    assert _find(client, w, "lychee", per_page=2, page=3) == []
    assert _find(client, w, "lychee", page=10 ** 15, per_page=200) == []
    assert len(_find(client, w, "lychee", per_page=-1, page=-3)) == 5


CRAFTED = [
    '"', '""', '"""', "'", "''", "*", "**", "-", "--", "-*", "(", ")", "()", ":", "a:b", "NEAR(a b)",
    "a AND", "OR", "NOT x", "^a", "{message}: x", "message:x", "a & b", "a | b", "!a", "<->", "a <-> b",
    "x:*", "'a':*", "\\", "%", "_", "a\x00b", "\ud800", "#", "##", "#a#b", "-#tag", "in:", "from:",
    "on:", "before:9999-12-31", "after:0000-01-01", "after:9999-12-31", "-on:2020-13-45", "ext:",
    "@", "~", "+a", "a-b-c", "é*", "日本語", "🙂", "x" * 3000, "the", "the*", '"the"', "a " * 200,
    "$1", "?", "%s", "-in:x -from:y", "\"unterminated", "-\"a\"", "ab*cd", "a*b*", "#tag*",
]


@pytest.mark.parametrize("terms", CRAFTED)
def test_crafted_terms_never_fail(client, w, terms):
    for team in (w.team, None):
        for or_search in (False, True):
            response = _search(client, w.alice, terms, team, is_or_search=or_search)
            assert response.status_code == 200, (terms, response.data)
    if "\ud800" not in terms:     # a form field cannot carry a lone surrogate
        response = _file_search(client, w.team, w.alice, {"terms": terms})
        assert response.status_code == 200, (terms, response.data)


# ---------------------------------------------------------------------------
# Privacy and what is never found

def test_only_readable_channels(client, w):
    assert _find(client, w, "mango") == ["dm"]
    assert _find(client, w, "mango", team=None) == ["elsewhere", "dm"]
    assert _find(client, w, "mango", who=w.carol) == ["others_dm", "unjoined", "secret"]
    assert _find(client, w, "mango", who=w.carol, team=None) == [
        "carol_only", "others_dm", "unjoined", "secret"]
    assert _find(client, w, "mango", who=w.bob) == ["others_dm", "dm"]


def test_deleted_and_system_posts_are_never_found(client, w):
    found = _find(client, w, "mango", team=None, include_deleted_channels=True)
    assert "deleted" not in found and "system" not in found
    assert _find(client, w, "joined") == []


def test_archived_channels_only_when_asked(client, w):
    assert "archived" not in _find(client, w, "archived")
    assert _find(client, w, "archived", include_deleted_channels=True) == ["archived"]
    config = client.application.config["MM_CONFIG"]["TeamSettings"]
    saved = config["ExperimentalViewArchivedChannels"]
    config["ExperimentalViewArchivedChannels"] = False
    try:
        assert _find(client, w, "archived", include_deleted_channels=True) == []
    finally:
        config["ExperimentalViewArchivedChannels"] = saved


def test_leaving_a_channel_hides_its_posts(app, client, w):
    with app.app_context():
        channel = store_channels.create({"team_id": w.team.id, "type": "O", "name": unique("leave"),
                                         "display_name": "Leave"}, creator=w.alice["user"])
        store_channels.add_member(channel, w.bob["user"])
        posts.create({"message": "durian leaving soon"}, channel, w.alice["user"])
    assert len(_find(client, w, "durian", who=w.bob)) == 1
    with app.app_context():
        store_channels.remove_member(channel.id, w.bob["user_id"])
    assert _find(client, w, "durian", who=w.bob) == []


def test_edited_message_is_searched_as_edited(app, client, w):
    with app.app_context():
        made = posts.create({"message": "guava original"}, store_channels.get(w.side.id), w.alice["user"]).post
        posts.edit(made, message="papaya edited")
    assert _find(client, w, "guava") == []
    assert _keys(w, _search(client, w.alice, "papaya", w.team)) == [made.id]


# ---------------------------------------------------------------------------
# Errors

def test_errors(client, w, admin):
    url = "/api/v4/teams/%s/posts/search" % w.team.id
    assert client.post(url, json={"terms": "x", "is_or_search": False}).status_code == 401
    assert client.post("/api/v4/posts/search", json={"terms": "x"}).status_code == 401

    response = client.post("/api/v4/teams/bad-id/posts/search", json={"terms": "x", "is_or_search": False},
                           headers=auth(w.alice))
    assert response.status_code == 400
    assert response.get_json()["id"] == "api.context.invalid_url_param.app_error"

    # Not a member of the team: 403, before the body is looked at.
    response = _search(client, w.dave, "apple", w.team)
    assert response.status_code == 403
    assert response.get_json()["id"] == "api.context.permissions.app_error"
    response = _search(client, w.alice, "apple", None, path="/api/v4/teams/%s/posts/search" % new_id())
    assert response.status_code == 403
    # A system admin may search any team; an unknown team has no posts.
    assert _keys(w, _search(client, admin, "apple", None,
                            path="/api/v4/teams/%s/posts/search" % new_id())) == []

    for path in (url, "/api/v4/posts/search"):
        response = client.post(path, json={"terms": "", "is_or_search": False}, headers=auth(w.alice))
        assert response.status_code == 400
        assert response.get_json()["id"] == "api.context.invalid_param.app_error"
        assert client.post(path, json={"is_or_search": False}, headers=auth(w.alice)).status_code == 400
        response = client.post(path, data="{not json", headers=dict(auth(w.alice), **{
            "Content-Type": "application/json"}))
        assert response.status_code == 400


def test_search_can_be_turned_off(client, w):
    settings = client.application.config["MM_CONFIG"]["ServiceSettings"]
    settings["EnablePostSearch"] = False
    settings["EnableFileSearch"] = False
    try:
        for team in (w.team, None):
            response = _search(client, w.alice, "apple", team)
            assert response.status_code == 501
            assert response.get_json()["id"] == "store.sql_post.search.disabled"
        response = _file_search(client, w.team, w.alice, {"terms": "report"})
        assert response.status_code == 501
        assert response.get_json()["id"] == "store.sql_file_info.search.disabled"
    finally:
        settings["EnablePostSearch"] = True
        settings["EnableFileSearch"] = True


# ---------------------------------------------------------------------------
# Files

def _file_search(client, team, who, body):
    """A file search with a JSON body, as Mattermost's clients send it."""
    return client.post("/api/v4/teams/%s/files/search" % team.id, json=body,
                       headers=auth(who) if who else {})


def _files(client, w, terms, who=None, **body):
    body["terms"] = terms
    response = _file_search(client, w.team, who or w.alice, body)
    assert response.status_code == 200, response.data
    result = response.get_json()
    assert set(result["order"]) == set(result["file_infos"])
    names = {w.report: "report", w.photo: "photo", w.notes: "notes", w.secret_file: "secret",
             w.unposted: "unposted"}
    return [names.get(i, i) for i in result["order"]]


def test_file_search_by_name_and_content(client, w):
    assert _files(client, w, "quarterly") == ["report"]
    assert _files(client, w, "holiday") == ["photo"]
    assert _files(client, w, "meet") == ["notes"]
    assert _files(client, w, "revenue") == ["report"]
    assert _files(client, w, "agenda") == ["notes"]
    assert _files(client, w, "holiday agenda") == []
    assert _files(client, w, "holiday agenda", is_or_search=True) == ["notes", "photo"]
    assert _files(client, w, "note* -agenda") == []
    assert _files(client, w, '"agenda items"') == ["notes"]


def test_file_search_shape(client, w):
    response = _file_search(client, w.team, w.alice, {"terms": "holiday"})
    assert response.headers["Cache-Control"] == "no-cache, no-store, must-revalidate"
    body = response.get_json()
    info = body["file_infos"][w.photo]
    assert info["name"] == "holiday_photo.png" and info["extension"] == "png"
    assert info["post_id"] == w.posts["photo"].id and info["channel_id"] == w.pub.id
    assert info["user_id"] == w.bob["user_id"]
    assert body["next_file_id"] == "" and body["prev_file_id"] == ""


def test_file_search_filters(client, w):
    assert _files(client, w, "ext:pdf") == ["report"]
    assert _files(client, w, "-ext:pdf in:%s" % w.pub.name) == ["photo"]
    assert _files(client, w, "from:%s" % w.bob["username"]) == ["photo"]
    assert _files(client, w, "-from:%s" % w.bob["username"]) == ["notes", "report"]
    assert _files(client, w, "in:%s" % w.side.name) == ["notes"]
    assert _files(client, w, "on:2021-02-02") == ["photo"]
    assert _files(client, w, "after:2021-02-01") == ["notes", "photo"]


def test_file_search_privacy(client, w):
    # The private channel's file, and a file uploaded but never posted, stay hidden.
    assert _files(client, w, "report") == ["report"]
    assert _files(client, w, "report", who=w.carol) == ["secret"]
    assert _files(client, w, "report", who=w.bob) == ["report"]


def test_file_search_paging(client, w):
    assert _files(client, w, "from:%s" % w.alice["username"], per_page=1) == ["notes"]
    assert _files(client, w, "from:%s" % w.alice["username"], per_page=1, page=1) == ["report"]
    assert _files(client, w, "from:%s" % w.alice["username"], per_page=1, page=2) == []


def test_file_search_errors(client, w):
    assert _file_search(client, w.team, None, {"terms": "x"}).status_code == 401

    class BadTeam:
        id = "xyz"
    response = _file_search(client, BadTeam, w.alice, {"terms": "x"})
    assert response.status_code == 400
    assert response.get_json()["id"] == "api.context.invalid_url_param.app_error"
    response = _file_search(client, w.team, w.dave, {"terms": "x"})
    assert response.status_code == 403
    assert response.get_json()["id"] == "api.context.permissions.app_error"
    response = _file_search(client, w.team, w.alice, {"terms": ""})
    assert response.status_code == 400
    assert response.get_json()["id"] == "api.context.invalid_param.app_error"
    response = _file_search(client, w.team, w.alice, {"terms": "x", "page": "first"})
    assert response.status_code == 400


def test_file_search_json_body(client, w):
    url = "/api/v4/teams/%s/files/search" % w.team.id
    response = client.post(url, json={"terms": "holiday", "is_or_search": False}, headers=auth(w.alice))
    assert response.status_code == 200, response.data
    assert response.get_json()["order"] == [w.photo]
    response = client.post(url, data="{not json", headers=dict(auth(w.alice), **{
        "Content-Type": "application/json"}))
    assert response.status_code == 400


def test_random_terms_never_fail(client, w):
    """Random mixes of the characters both query languages give a meaning to."""
    import random
    pieces = ['"', "'", "*", "-", "#", ":", "(", ")", "&", "|", "!", "<", ">", "~", "@", "^", "{", "}",
              "\\", "%", "_", ".", ",", " ", "  ", "apple", "AND", "OR", "NOT", "NEAR", "in:", "from:",
              "on:", "after:", "before:", "ext:", "2020-03-11", "é", "日本", "0", "the"]
    rng = random.Random(20240611)
    for _ in range(120):
        terms = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        or_search = rng.random() < 0.5
        response = _search(client, w.alice, terms, w.team if rng.random() < 0.5 else None,
                           is_or_search=or_search)
        assert response.status_code == 200, (terms, response.data)
        response = _file_search(client, w.team, w.alice, {"terms": terms, "is_or_search": or_search})
        assert response.status_code == 200, (terms, response.data)
