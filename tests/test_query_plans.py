"""Indexes for the hot paths (PostgreSQL only).

A database is filled with enough rows for the planner to care (thousands of
users, sessions, memberships, posts, threads, reactions, preferences, files),
then ANALYZEd. Each hot-path read or write is made through the real store
function while every statement it sends is recorded; each recorded statement
is then EXPLAINed, and none may read a big table with a sequential scan. So
the check follows the code: change a query and its new SQL is what is planned.
"""
import json
import random

import pytest

from store import db as store_db, models
from store.ids import new_id

BIG_TABLE_ROWS = 1000          # a table of this many rows must have an index for every hot read of it
HUGE_TABLE_ROWS = 15000        # and from this many, the planner must also prefer that index
SEED = 8065

# How much to make: enough that a sequential scan costs the planner more than
# an index for a selective condition.
TEAMS = 8
CHANNELS_PER_TEAM = 150
USERS = 3000
TEAMS_PER_USER = 2
CHANNELS_PER_USER = 12
DIRECT_CHANNELS = 600
POSTS = 30000
REPLY_SHARE = 0.3
REACTIONS = 8000
FILES = 4000
PREFERENCES_PER_USER = 6


# ---------------------------------------------------------------------------
# The data

class World:
    """The ids the checks use."""


def _insert(model, rows, chunk=1000):
    for start in range(0, len(rows), chunk):
        model.insert_many(rows[start:start + chunk]).execute()


def _fill(rng):
    world = World()
    now = 1_700_000_000_000
    users = [new_id() for _ in range(USERS)]
    _insert(models.User, [{"id": u, "create_at": now, "update_at": now, "username": "user%d" % i,
                           "email": "user%d@example.com" % i, "roles": "system_user"}
                          for i, u in enumerate(users)])
    sessions = [(new_id(), new_id(), u) for u in users]
    _insert(models.Session, [{"id": s, "token": t, "user_id": u, "create_at": now, "last_activity_at": now,
                              "expires_at": now + 10 ** 9, "roles": "system_user"} for s, t, u in sessions])
    _insert(models.Status, [{"user_id": u, "status": rng.choice(["online", "away", "offline"]),
                             "last_activity_at": now} for u in users])
    teams = [new_id() for _ in range(TEAMS)]
    _insert(models.Team, [{"id": t, "create_at": now, "update_at": now, "display_name": "Team %d" % i,
                           "name": "team%d" % i, "invite_id": new_id(), "type": "O"} for i, t in enumerate(teams)])
    channels = {t: [new_id() for _ in range(CHANNELS_PER_TEAM)] for t in teams}
    _insert(models.Channel, [{"id": c, "create_at": now, "update_at": now, "team_id": t, "type": "O",
                              "name": "channel%d" % i, "display_name": "Channel %d" % i}
                             for t in teams for i, c in enumerate(channels[t])])
    team_members, channel_members, user_channels = [], [], {}
    for i, u in enumerate(users):
        for t in rng.sample(teams, TEAMS_PER_USER):
            team_members.append({"team_id": t, "user_id": u, "scheme_user": True, "create_at": now})
            for c in rng.sample(channels[t], CHANNELS_PER_USER // TEAMS_PER_USER):
                user_channels.setdefault(u, []).append(c)
    direct = []
    for i in range(DIRECT_CHANNELS):
        a, b = rng.sample(users, 2)
        c = new_id()
        direct.append((c, a, b))
        user_channels.setdefault(a, []).append(c)
        user_channels.setdefault(b, []).append(c)
    _insert(models.Channel, [{"id": c, "create_at": now, "update_at": now, "team_id": "", "type": "D",
                              "name": "%s__%s" % tuple(sorted((a, b))), "display_name": ""}
                             for c, a, b in direct])
    # Someone in every channel: a search of theirs is narrowed by its words, not its channels.
    user_channels[users[-1]] = [c for t in teams for c in channels[t]]
    team_members.extend({"team_id": t, "user_id": users[-1], "scheme_user": True, "create_at": now}
                        for t in teams if not any(m["team_id"] == t and m["user_id"] == users[-1]
                                                  for m in team_members))
    for u, joined in user_channels.items():
        for c in dict.fromkeys(joined):
            channel_members.append({"channel_id": c, "user_id": u, "scheme_user": True,
                                    "notify_props": {"desktop": "default"}})
    _insert(models.TeamMember, team_members)
    _insert(models.ChannelMember, channel_members)
    members_of = {}
    for row in channel_members:
        members_of.setdefault(row["channel_id"], []).append(row["user_id"])

    # Posts: spread over the channels that have members, a few busier than the rest.
    busy = [c for c in members_of if len(members_of[c]) >= 3]
    weights = [5 if i < 20 else 1 for i in range(len(busy))]
    posts, roots_by_channel = [], {}
    for i in range(POSTS):
        c = rng.choices(busy, weights)[0]
        roots = roots_by_channel.setdefault(c, [])
        root_id = ""
        if roots and rng.random() < REPLY_SHARE:
            root_id = rng.choice(roots[-20:])
        p = {"id": new_id(), "create_at": now + i * 1000, "update_at": now + i * 1000, "channel_id": c,
             "user_id": rng.choice(members_of[c]), "root_id": root_id,
             "message": "message %d about %s" % (i, rng.choice(["apples", "pears", "plums", "figs", "kiwis"])),
             "hashtags": "#tag%d" % (i % 50) if i % 7 == 0 else ""}
        if not root_id:
            roots.append(p["id"])
        posts.append(p)
    # One rare word, for the search through the GIN index.
    posts[len(posts) // 2]["message"] = "a zanzibarian giraffe"
    _insert(models.Post, posts)
    replies = {}
    for p in posts:
        if p["root_id"]:
            replies.setdefault(p["root_id"], []).append(p)
    by_id = {p["id"]: p for p in posts}
    threads, memberships = [], []
    for root_id, answers in replies.items():
        root = by_id[root_id]
        people = list(dict.fromkeys([root["user_id"]] + [a["user_id"] for a in answers]))
        team = next((t for t in teams if root["channel_id"] in channels[t]), "")
        threads.append({"post_id": root_id, "channel_id": root["channel_id"], "reply_count": len(answers),
                        "last_reply_at": answers[-1]["create_at"], "participants": json.dumps(people),
                        "thread_team_id": team})
        for u in people:
            memberships.append({"post_id": root_id, "user_id": u, "following": True,
                                "last_viewed": root["create_at"], "last_updated": answers[-1]["create_at"]})
    _insert(models.Thread, threads)
    _insert(models.ThreadMembership, memberships)
    reactions = {}
    for _ in range(REACTIONS):
        p = rng.choice(posts)
        u = rng.choice(members_of[p["channel_id"]])
        emoji = rng.choice(["smile", "+1", "tada", "heart"])
        reactions[(p["id"], u, emoji)] = {"post_id": p["id"], "user_id": u, "emoji_name": emoji,
                                          "channel_id": p["channel_id"], "create_at": now}
    _insert(models.Reaction, list(reactions.values()))
    files = []
    for i in range(FILES):
        p = rng.choice(posts)
        files.append({"id": new_id(), "creator_id": p["user_id"], "post_id": p["id"], "channel_id": p["channel_id"],
                      "create_at": now, "update_at": now, "path": "x/%d.txt" % i, "name": "notes%d.txt" % i,
                      "extension": "txt", "size": 10, "mime_type": "text/plain", "content": "file number %d" % i})
    _insert(models.FileInfo, files)
    preferences = []
    for u in users:
        for k in range(PREFERENCES_PER_USER):
            preferences.append({"user_id": u, "category": "display_settings" if k % 2 else "flagged_post",
                                "name": "setting%d" % k if k % 2 else rng.choice(posts)["id"], "value": "true"})
    _insert(models.Preference, preferences)

    # What the checks start from: a user in a busy channel, with threads.
    world.now = now
    world.teams = teams
    world.busy_channel = busy[0]
    world.searcher = users[-1]
    world.user = max((u for u in members_of[busy[0]] if u != world.searcher),
                     key=lambda u: len(user_channels.get(u, [])))
    world.user_channels = user_channels[world.user]
    world.team = next(t for t in teams if any(c in channels[t] for c in world.user_channels))
    world.sessions = {u: t for _, t, u in sessions}
    world.users = users
    world.posts = [p for p in posts if p["channel_id"] == world.busy_channel]
    world.root = max(replies, key=lambda r: len(replies[r]))
    world.root_channel = by_id[world.root]["channel_id"]
    world.direct = direct[0]
    return world


@pytest.fixture(scope="module")
def planned(postgres_server):
    """(store, world): a filled, analyzed PostgreSQL database, bound to the models."""
    from store import db
    previous = db.current
    store = db.init({"DriverName": "postgres", "DataSource": postgres_server.new_database(), "MaxOpenConns": 5})
    try:
        with db.transaction():
            world = _fill(random.Random(SEED))
        db.database.execute_sql("ANALYZE")
        yield store, world
    finally:
        db.close()
        if previous is not None:
            db.activate(previous)


# ---------------------------------------------------------------------------
# Recording and planning

class Recorder:
    """Records every (sql, params) the store sends while active."""

    def __init__(self, store):
        self.store = store
        self.statements = []
        self.original = store.db.execute_sql

    def __enter__(self):
        original = self.original

        def recording(sql, params=None, *args, **kwargs):
            self.statements.append((store_db.unprepared(sql), tuple(params or ())))
            return original(sql, params, *args, **kwargs)

        self.store.db.execute_sql = recording
        return self

    def __exit__(self, *exc):
        del self.store.db.execute_sql     # back to the class's method
        return False


def _plan(store, sql, params, forced=False):
    """The plan of a statement; forced: as planned with sequential scans
    turned off, so that a sequential scan left in it means no index can serve
    that read."""
    cursor = store.db.cursor()
    cursor.execute("SET enable_seqscan = %s" % ("off" if forced else "on"))
    try:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    finally:
        cursor.execute("RESET enable_seqscan")
    return plan[0]["Plan"] if isinstance(plan, list) else json.loads(plan)[0]["Plan"]


def _nodes(plan):
    yield plan
    for child in plan.get("Plans", ()):
        yield from _nodes(child)


def _table_rows(store):
    """{table: estimated rows} after ANALYZE."""
    cursor = store.db.cursor()
    cursor.execute("SELECT relname, reltuples FROM pg_class WHERE relkind = 'r' "
                   "AND relnamespace = 'public'::regnamespace")
    return {name: rows for name, rows in cursor.fetchall()}


_PLANNED = ("SELECT", "UPDATE", "DELETE", "WITH")


def _check(store, rows, label, call):
    """Run call() recording its statements; return ([(sql, plan)] of the
    planned ones, [problems]). A problem is a read of a whole table of at
    least BIG_TABLE_ROWS rows that no index can avoid (a sequential scan left
    when the planner may not choose one, or an index read with no condition
    outside a LIMIT), or a sequential scan the planner prefers over an index
    on a table of at least HUGE_TABLE_ROWS."""
    with Recorder(store) as recorder:
        call()
    planned, problems = [], []
    for sql, params in recorder.statements:
        if not sql.lstrip().upper().startswith(_PLANNED):
            continue
        plan = _plan(store, sql, params)
        planned.append((sql, plan))
        for node in _nodes(plan):
            table = node.get("Relation Name")
            if node["Node Type"] == "Seq Scan" and rows.get(table, 0) >= HUGE_TABLE_ROWS:
                problems.append("%s: sequential scan of %s (%d rows) in\n    %s" % (
                    label, table, rows[table], sql))
        for node in _whole_reads(_plan(store, sql, params, forced=True)):
            table = node.get("Relation Name")
            if rows.get(table, 0) >= BIG_TABLE_ROWS:
                problems.append("%s: no index serves the read of %s (%s) in\n    %s" % (
                    label, table, node["Node Type"], sql))
    assert planned, "%s sent no query (did the store function change?)" % label
    return planned, problems


def _whole_reads(plan, limited=False):
    """The nodes of a plan that read a whole table: a sequential scan, or an
    index scan with no index condition that no LIMIT above it cuts short."""
    kind = plan["Node Type"]
    if kind == "Seq Scan":
        yield plan
    elif kind in ("Index Scan", "Index Only Scan") and "Index Cond" not in plan and not limited:
        yield plan
    for child in plan.get("Plans", ()):
        yield from _whole_reads(child, limited or kind == "Limit")


def _index_names(plan):
    return {node.get("Index Name") for node in _nodes(plan)} - {None}


# ---------------------------------------------------------------------------
# The hot paths

def _hot_paths(world):
    from store import (channel_members, channels, file_infos, post_queries, preferences, reactions, search, sessions,
                       status, team_queries, teams, thread_queries, threads, users)
    user, team, channel = world.user, world.team, world.busy_channel
    middle = world.posts[len(world.posts) // 2]
    post_ids = [p["id"] for p in world.posts[-60:]]
    some_users = world.users[:100]
    root_post = post_queries.get(world.root)
    direct_id, direct_a, _ = world.direct
    return [
        ("session by token", lambda: sessions.get_by_token(world.sessions[user])),
        ("sessions of a user", lambda: sessions.for_user(user)),
        ("user by id", lambda: users.get(user)),
        ("user by username", lambda: users.get_by_username("user17")),
        ("user by email", lambda: users.get_by_email("user17@example.com")),
        ("user for login", lambda: users.get_for_login("user17", True, True)),
        ("users by ids", lambda: users.get_many(ids=some_users)),
        ("channel member", lambda: channels.get_member(channel, user)),
        ("channel members page", lambda: channel_members.page(channel, 0, 60)),
        ("channel members by user ids", lambda: channel_members.by_user_ids(channel, some_users)),
        ("memberships of a user in a team", lambda: channel_members.for_user_in_team(team, user)),
        ("channels of a user in a team", lambda: channels.for_member_in_team(user, team)),
        ("channels of a user", lambda: channels.for_member(user)),
        ("hub: channel members among the connected", lambda: channel_members.user_ids_in(channel, some_users)),
        ("hub: team members among the connected", lambda: channel_members.team_user_ids_in(team, some_users)),
        ("post by id", lambda: post_queries.get(middle["id"])),
        ("posts by ids", lambda: post_queries.by_ids(post_ids)),
        ("channel page", lambda: post_queries.channel_page(channel, 0, 60)),
        ("channel page, collapsed threads", lambda: post_queries.channel_page(channel, 0, 60, collapsed=True)),
        ("channel since", lambda: post_queries.channel_since(channel, middle["update_at"])),
        ("channel before a post", lambda: post_queries.channel_around(channel, middle["id"], True, 0, 60)),
        ("channel after a post", lambda: post_queries.channel_around(channel, middle["id"], False, 0, 60)),
        ("post around a time", lambda: post_queries.post_id_around_time(channel, middle["create_at"], True)),
        ("channel last update", lambda: post_queries.channel_last_update(channel)),
        ("thread replies", lambda: post_queries.thread(root_post)),
        ("thread replies, collapsed", lambda: post_queries.thread(root_post, collapsed=True, per_page=30)),
        ("flagged posts", lambda: post_queries.flagged(user)),
        ("thread followers", lambda: threads.followers(world.root)),
        ("followed threads", lambda: thread_queries.followed_threads(user, team)),
        ("thread totals", lambda: thread_queries.totals(user, team)),
        ("unread replies", lambda: thread_queries.unread_replies(user, [world.root])),
        ("unread counts of a team", lambda: team_queries.channel_unreads(user, team)),
        ("unread counts of other teams", lambda: team_queries.channel_unreads(user, exclude_team_id=team)),
        ("unread of a channel", lambda: channel_members.unread(channel, user)),
        ("team members page", lambda: team_queries.members(team, 0, 60)),
        ("team members by ids", lambda: team_queries.members_by_ids(team, some_users)),
        ("team memberships of a user", lambda: teams.memberships(user)),
        ("team member", lambda: teams.get_member(team, user)),
        ("teams of a user", lambda: team_queries.teams_for_user(user)),
        ("preferences of a user", lambda: preferences.for_user(user)),
        ("preferences of a category", lambda: preferences.for_category(user, "display_settings")),
        ("reactions of posts", lambda: reactions.for_posts(post_ids)),
        ("files of posts", lambda: file_infos.for_posts(post_ids)),
        ("statuses by user ids", lambda: status.get_many(some_users)),
        ("search posts", lambda: search.search_posts(search.parse("plums"), user, team)),
        ("search a hashtag", lambda: search.search_posts(search.parse("#tag3"), user, team)),
        ("search files", lambda: search.search_files(search.parse("notes"), user, team)),
        ("view a channel", lambda: channel_members.view([channel], user)),
        ("post a reply", lambda: _post(world, root_post)),
        ("post a direct message", lambda: _post_direct(direct_id, direct_a)),
    ]


def _post(world, root):
    from store import channels, posts, users
    channel = channels.get(root.channel_id)
    posts.create({"message": "a reply to @user17", "root_id": root.id}, channel, users.get(root.user_id))


def _post_direct(channel_id, sender_id):
    from store import channels, posts, users
    posts.create({"message": "hello there"}, channels.get(channel_id), users.get(sender_id))


def test_the_data_is_big_enough(planned):
    store, _ = planned
    rows = _table_rows(store)
    for table in ("users", "sessions", "channels", "channel_members", "team_members", "posts", "threads",
                  "thread_memberships", "reactions", "file_info", "preferences", "status"):
        assert rows.get(table, 0) >= BIG_TABLE_ROWS, "%s has fewer than %d rows: the planner may scan it whatever its indexes" % (
            table, BIG_TABLE_ROWS)


def test_the_check_sees_a_sequential_scan(planned):
    """A condition no index serves is reported: the check is not blind."""
    from store import db
    store, _ = planned
    _, problems = _check(store, _table_rows(store), "unindexed",
                         lambda: list(models.Post.select().where(models.Post.message == "nothing")))
    assert problems and "no index serves the read of posts" in problems[-1]
    # And a lookup whose index is dropped (in a transaction rolled back) is reported.
    from store import users
    found = []
    with pytest.raises(_Undo):
        with db.transaction():
            db.database.execute_sql("DROP INDEX users_username")
            found = _check(store, _table_rows(store), "no username index", lambda: users.get_by_username("user17"))[1]
            raise _Undo()
    assert found and "no index serves the read of users" in found[0]
    assert users.get_by_username("user17") is not None


class _Undo(Exception):
    """Rolls a transaction back."""


def test_hot_paths_use_indexes(planned):
    store, world = planned
    rows = _table_rows(store)
    problems = []
    for label, call in _hot_paths(world):
        problems.extend(_check(store, rows, label, call)[1])
    assert not problems, "\n".join(problems)


def test_search_uses_the_full_text_index(planned):
    """A rare word, searched by a user in every channel: the GIN index finds it
    (the query's expression is the index's)."""
    from store import search
    store, world = planned
    planned_statements, _ = _check(store, _table_rows(store), "search",
                                   lambda: search.search_posts(search.parse("zanzibarian"), world.searcher, ""))
    names = set().union(*(_index_names(plan) for _, plan in planned_statements))
    assert "idx_posts_message_txt" in names, names


def test_changes_since_a_time_are_found_by_update_time(planned):
    """What changed in a channel since a time (a client catching up) and the
    channel's last update are read from (channel_id, update_at), not from
    every post of the channel."""
    from store import post_queries
    store, world = planned
    rows = _table_rows(store)
    recent = world.posts[-5]["update_at"]
    for label, call in (("channel since", lambda: post_queries.channel_since(world.busy_channel, recent)),
                        ("channel last update", lambda: post_queries.channel_last_update(world.busy_channel))):
        planned_statements, _ = _check(store, rows, label, call)
        names = _index_names(planned_statements[0][1])
        assert "idx_posts_channel_id_update_at" in names, (label, names)


def _post_paths(world):
    """The reads added for posting and for the posts/unread and channel
    members of a user operations."""
    from store import channel_members, channels, post_queries, posts, users
    user, channel = world.user, world.busy_channel
    middle = world.posts[len(world.posts) // 2]
    root_post = post_queries.get(world.root)
    followers = [u for u in world.users[:50]] + [root_post.user_id]

    def post_root(message):
        return lambda: posts.create({"message": message}, channels.get(channel), users.get(user))

    return [
        ("scheme role names of channels", lambda: channel_members.scheme_role_names_of(world.user_channels)),
        ("post row around a time", lambda: post_queries.post_around_time(channel, middle["create_at"], False)),
        ("thread memberships of users", lambda: post_queries.thread_memberships(world.root, followers)),
        ("unread replies by user", lambda: post_queries.unread_replies_by_user(world.root, followers)),
        ("thread stats", lambda: posts.thread_stats([p["id"] for p in world.posts[-60:]])),
        ("channel profiles of some members", lambda: posts.channel_profiles(channel, followers)),
        ("post a root message", post_root("plain words and @user17 and @nobody")),
        ("post an @all message", post_root("@all look")),
    ]


def test_posting_and_unread_paths_use_indexes(planned):
    store, world = planned
    rows = _table_rows(store)
    problems = []
    for label, call in _post_paths(world):
        problems.extend(_check(store, rows, label, call)[1])
    assert not problems, "\n".join(problems)
