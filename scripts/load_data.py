"""Data for scripts/load_test.py: teams, public channels, users with their
memberships, and some posts and threads, written through the store (not
REST), so that thousands of accounts take seconds rather than thousands of
sign-ups.

    .venv/bin/python scripts/load_data.py --dsn postgres://... --out data.json
        [--users 2000] [--teams 2] [--channels 50] [--channels-per-user 10]
        [--posts-per-channel 20] [--password-work-factor 1000] [--seed 1]

Every account gets a real PBKDF2 password hash (the work factor given, which
the server must be configured with too, or it rehashes at each first login).
Each user joins every team, its default channels (town-square, off-topic) and
--channels-per-user of the team's other channels picked at random. The first
account is a system admin ("ltadmin"); simulated users are "ltuser00001"...

Writes a JSON file: the password, the admin, the users (id, username), the
teams (id, name) and their channels (id, name, member count).
"""
import argparse
import json
import pathlib
import random
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "LoadTest-Passw0rd!"
WORDS = ("alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa "
         "quebec romeo sierra tango uniform victor whiskey xray yankee zulu release deploy meeting lunch "
         "review design server client database socket latency budget roadmap sprint ticket").split()


def _millis():
    return int(time.time() * 1000)


def sentence(rng, low=3, high=30):
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def _insert_many(model, rows, batch=500):
    from store.db import transaction
    with transaction():
        for start in range(0, len(rows), batch):
            model.insert_many(rows[start:start + batch]).execute()


def user_rows(count, work_factor, now, prefix="ltuser"):
    """Rows for models.User: prefix00001... with PASSWORD hashed at work_factor."""
    from store import passwords
    from store.ids import new_id
    from handlers.users import DEFAULT_NOTIFY_PROPS as USER_NOTIFY_PROPS, DEFAULT_TIMEZONE
    rows = []
    for index in range(1, count + 1):
        username = "%s%05d" % (prefix, index)
        rows.append({
            "id": new_id(), "create_at": now, "update_at": now, "delete_at": 0, "username": username,
            "password": passwords.hash_password(PASSWORD, work_factor), "email": username + "@example.com",
            "email_verified": True, "roles": "system_user", "props": {}, "notify_props": dict(USER_NOTIFY_PROPS),
            "timezone": dict(DEFAULT_TIMEZONE), "locale": "en", "last_password_update": now})
    return rows


def team_member_row(team_id, user_id, now):
    return {"team_id": team_id, "user_id": user_id, "roles": "", "delete_at": 0, "scheme_user": True,
            "scheme_admin": False, "scheme_guest": False, "create_at": now}


def channel_member_row(channel_id, user_id, now):
    from store.channels import DEFAULT_NOTIFY_PROPS
    return {"channel_id": channel_id, "user_id": user_id, "roles": "", "last_viewed_at": 0, "msg_count": 0,
            "mention_count": 0, "mention_count_root": 0, "urgent_mention_count": 0, "msg_count_root": 0,
            "scheme_user": True, "scheme_admin": False, "scheme_guest": False,
            "notify_props": dict(DEFAULT_NOTIFY_PROPS), "last_update_at": now}


def populate(dsn, users=2000, teams=2, channels=50, channels_per_user=10, posts_per_channel=20,
             work_factor=1000, seed=1, progress=print):
    from store import db, models, passwords, posts as store_posts, teams as store_teams
    from store import users as store_users
    from store.ids import new_id
    from handlers.users import DEFAULT_NOTIFY_PROPS as USER_NOTIFY_PROPS, DEFAULT_TIMEZONE

    rng = random.Random(seed)
    db.init({"DriverName": "postgres", "DataSource": dsn, "MaxOpenConns": 2})
    passwords.set_work_factor(work_factor)
    started = time.monotonic()

    admin = store_users.create({"username": "ltadmin", "email": "ltadmin@example.com", "email_verified": True,
                                "notify_props": dict(USER_NOTIFY_PROPS), "timezone": dict(DEFAULT_TIMEZONE)},
                               PASSWORD, roles_for_first="system_admin system_user", roles="system_admin system_user")

    now = _millis()
    rows = user_rows(users, work_factor, now)
    _insert_many(models.User, rows)
    progress("load_data: %d users in %.1f s" % (users, time.monotonic() - started))

    team_out = []
    team_members, channel_members = [], []
    channel_users = {}
    for t in range(teams):
        team = store_teams.create({"name": "loadteam%d" % (t + 1), "display_name": "Load team %d" % (t + 1),
                                   "type": "O", "email": "ltadmin@example.com", "allow_open_invite": True})
        store_teams.add_member(team, admin, admin=True)
        defaults = [models.Channel.get((models.Channel.team_id == team.id) & (models.Channel.name == name))
                    for name in ("town-square", "off-topic")]
        others = []
        for c in range(channels):
            others.append(models.Channel.create(
                id=new_id(), create_at=now, update_at=now, team_id=team.id, type="O",
                name="load-channel-%03d" % (c + 1), display_name="Load channel %d" % (c + 1),
                creator_id=admin.id))
        for channel in defaults + others:
            channel_users[channel.id] = [admin.id] if channel in defaults else []
        for row in rows:
            team_members.append(team_member_row(team.id, row["id"], now))
            for channel in defaults + rng.sample(others, min(channels_per_user, len(others))):
                channel_members.append(channel_member_row(channel.id, row["id"], now))
                channel_users[channel.id].append(row["id"])
        team_out.append({"id": team.id, "name": team.name, "channels": [
            {"id": ch.id, "name": ch.name} for ch in defaults + others]})
    _insert_many(models.TeamMember, team_members)
    _insert_many(models.ChannelMember, channel_members, batch=1000)
    progress("load_data: %d teams, %d channels, %d channel memberships in %.1f s"
             % (teams, teams * (channels + 2), len(channel_members), time.monotonic() - started))

    senders = {}
    count = 0
    for team in team_out:
        for channel_info in team["channels"]:
            channel = models.Channel.get(models.Channel.id == channel_info["id"])
            members = [m for m in channel_users[channel.id] if m != admin.id] or [admin.id]
            channel_info["members"] = len(channel_users[channel.id])
            roots = []
            for _ in range(posts_per_channel):
                author_id = rng.choice(members)
                if author_id not in senders:
                    senders[author_id] = models.User.get(models.User.id == author_id)
                # as Mattermost's load-test data: about half of the posts are replies
                root = rng.choice(roots) if roots and rng.random() < 0.5 else ""
                created = store_posts.create({"message": sentence(rng), "root_id": root}, channel,
                                             senders[author_id])
                if not root:
                    roots.append(created.post.id)
                count += 1
    progress("load_data: %d posts in %.1f s" % (count, time.monotonic() - started))
    db.close()
    return {
        "password": PASSWORD, "password_work_factor": work_factor,
        "admin": {"id": admin.id, "username": admin.username},
        "users": [{"id": row["id"], "username": row["username"]} for row in rows],
        "teams": team_out, "seed": seed, "posts": count,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dsn", required=True, help="PostgreSQL DSN (the schema is migrated first)")
    parser.add_argument("--out", required=True, help="JSON file to write")
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--teams", type=int, default=2)
    parser.add_argument("--channels", type=int, default=50, help="public channels per team besides the defaults")
    parser.add_argument("--channels-per-user", type=int, default=10, help="of those, joined by each user")
    parser.add_argument("--posts-per-channel", type=int, default=20)
    parser.add_argument("--password-work-factor", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    data = populate(args.dsn, args.users, args.teams, args.channels, args.channels_per_user,
                    args.posts_per_channel, args.password_work_factor, args.seed)
    pathlib.Path(args.out).write_text(json.dumps(data))
    return 0


if __name__ == "__main__":
    sys.exit(main())
