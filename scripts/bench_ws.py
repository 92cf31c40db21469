"""Benchmark: websocket connections held and post-to-delivery latency, with the
real server (2 gunicorn gevent workers) on a throwaway PostgreSQL, events
crossing workers through LISTEN/NOTIFY.

    .venv/bin/python scripts/bench_ws.py [--connections 1000] [--members 1000] [--users U]
                                         [--posts 20] [--interval 0.5] [--workers 2]

Without --users: makes `members` users (at most `connections`) in one channel
through the REST API and opens `connections` websockets shared round-robin
among them (up to 10,000; the open-file limit is raised as far as allowed), so
every socket is a member's. With --users U (members <= U <= connections): U
accounts, each with a session, are written through the store before the server
starts (scripts/load_data.py's rows; seconds rather than the REST sign-ups'
PBKDF2), all in one team and the first `members` of them in the channel; the
`connections` websockets are shared round-robin among the U users, so the
non-members' sockets are held open too but hear nothing of the channel's posts
(one that does counts as a leak and fails the run).

Then members post into the channel one post every `interval` seconds. Prints
the connections held, the workers' resident memory (sum of their VmRSS) per
1,000 connections, and the latency from sending the POST to each member
connection receiving its `posted` event: p50, p99 and max over every
(post, member connection) pair.

The clients run in this process (asyncio, aiohttp) on the same machine as the
server, so the latency includes their own share of the CPU.
"""
import argparse
import asyncio
import concurrent.futures
import json
import multiprocessing
import os
import pathlib
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import aiohttp  # noqa: E402

from scripts.bench_ping import stop, wait_for_answer  # noqa: E402

MAX_CONNECTIONS = 10000
CONNECT_TIMEOUT = 60
PASSWORD = "bench-Passw0rd!"
PASSWORD_WORK_FACTOR = 1000
SESSION_MS = 24 * 3600 * 1000


def raise_open_files():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        target = hard if hard != resource.RLIM_INFINITY else 1 << 20
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError):
            pass
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def start_postgres():
    from conftest import PostgresServer, find_postgres_bin
    bin_dir = find_postgres_bin()
    if bin_dir is None:
        raise SystemExit("PostgreSQL's server binaries (initdb, pg_ctl) are needed: apt-get install postgresql")
    server = PostgresServer(bin_dir)
    server.start()
    return server


def start_server(dsn, workers, connections, data_dir, extra_env=None):
    """The real server (`api.cli serve`) on dsn, sized for `connections`
    websockets; extra_env (MM_* settings) goes over the defaults here."""
    from conftest import free_port
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT),
               MM_CONFIG=os.path.join(data_dir, "absent.json"),
               MM_SQLSETTINGS_DRIVERNAME="postgres", MM_SQLSETTINGS_DATASOURCE=dsn,
               MM_SQLSETTINGS_MAXOPENCONNS="20",
               MM_FILESETTINGS_DIRECTORY=os.path.join(data_dir, "files"),
               MM_PYTHONSETTINGS_WORKERCONNECTIONS=str(connections + 1000),
               MM_PYTHONSETTINGS_PASSWORDWORKFACTOR=str(PASSWORD_WORK_FACTOR),
               MM_PYTHONSETTINGS_LOGINRATELIMITPERSEC="100000",
               MM_PYTHONSETTINGS_LOGINRATELIMITMAXBURST="100000",
               MM_TEAMSETTINGS_MAXUSERSPERTEAM=str(connections + 100))
    env.update(extra_env or {})
    log = open(os.path.join(data_dir, "server.log"), "wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--workers", str(workers), "--listen", "127.0.0.1:%d" % port],
        cwd=str(ROOT), env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = "http://127.0.0.1:%d" % port
    wait_for_answer(base + "/api/v4/system/ping", process, 90)
    return process, base


def listeners(dsn):
    import psycopg2
    from ws import pg_bus
    with psycopg2.connect(dsn) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s AND datname = "
                       "current_database()", (pg_bus.APPLICATION_NAME,))
        count = cursor.fetchone()[0]
    conn.close()
    return count


def workers_rss_kb(process):
    children = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout.split()
    total = 0
    for pid in children:
        try:
            match = re.search(r"VmRSS:\s+(\d+) kB", pathlib.Path("/proc/%s/status" % pid).read_text())
        except OSError:
            continue
        if match:
            total += int(match.group(1))
    return total, len(children)


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


# ---------------------------------------------------------------------------

class Api:
    def __init__(self, session, base):
        self.session, self.base = session, base

    async def call(self, method, path, token=None, expect=(200, 201), **kwargs):
        headers = {"Authorization": "Bearer " + token} if token else {}
        async with self.session.request(method, self.base + "/api/v4" + path, headers=headers, **kwargs) as r:
            body = await r.read()
            if r.status not in expect:
                raise SystemExit("%s %s answered %d: %s" % (method, path, r.status, body[:300]))
            return (json.loads(body) if body else None), r.headers

    async def signup(self, username, admin_token=None):
        await self.call("POST", "/users", token=admin_token, json={
            "username": username, "email": username + "@example.com", "password": PASSWORD})
        user, headers = await self.call("POST", "/users/login", json={"login_id": username, "password": PASSWORD})
        return {"id": user["id"], "token": headers["Token"]}


async def gather_limited(limit, coroutines):
    semaphore = asyncio.Semaphore(limit)

    async def run(coroutine):
        async with semaphore:
            return await coroutine
    return await asyncio.gather(*(run(c) for c in coroutines))


async def setup_channel(api, members):
    admin = await api.signup("benchadmin")
    team, _ = await api.call("POST", "/teams", token=admin["token"],
                             json={"name": "bench", "display_name": "Bench", "type": "O"})
    channel, _ = await api.call("POST", "/channels", token=admin["token"], json={
        "team_id": team["id"], "name": "bench-channel", "display_name": "Bench channel", "type": "O"})
    users = await gather_limited(8, [api.signup("bench%05d" % i, admin["token"]) for i in range(members)])
    for start in range(0, len(users), 256):
        batch = users[start:start + 256]
        await api.call("POST", "/teams/%s/members/batch" % team["id"], token=admin["token"],
                       json=[{"team_id": team["id"], "user_id": u["id"]} for u in batch])
    for start in range(0, len(users), 1000):
        batch = users[start:start + 1000]
        await api.call("POST", "/channels/%s/members" % channel["id"], token=admin["token"],
                       json={"user_ids": [u["id"] for u in batch]})
    return channel["id"], users


def store_channel(dsn, users, members):
    """Run in a subprocess, before the server starts: `users` accounts (with
    load_data's rows) in a team, the first `members` of them in its channel
    "bench-channel", and a session per account. Returns the channel's id and
    the users as {"id", "token"}, members first."""
    from scripts.load_data import _insert_many, _millis, channel_member_row, team_member_row, user_rows
    from store import db, models, passwords, sessions, teams as store_teams
    from store.ids import new_id

    db.init({"DriverName": "postgres", "DataSource": dsn, "MaxOpenConns": 2})
    passwords.set_work_factor(PASSWORD_WORK_FACTOR)
    now = _millis()
    rows = user_rows(users, PASSWORD_WORK_FACTOR, now, prefix="bench")
    _insert_many(models.User, rows)
    team = store_teams.create({"name": "bench", "display_name": "Bench", "type": "O",
                               "email": "bench@example.com", "allow_open_invite": True})
    channel = models.Channel.create(id=new_id(), create_at=now, update_at=now, team_id=team.id, type="O",
                                    name="bench-channel", display_name="Bench channel", creator_id=rows[0]["id"])
    _insert_many(models.TeamMember, [team_member_row(team.id, row["id"], now) for row in rows])
    _insert_many(models.ChannelMember, [channel_member_row(channel.id, row["id"], now) for row in rows[:members]],
                 batch=1000)
    out = [{"id": row["id"], "token": sessions.create(row["id"], row["roles"], SESSION_MS).token} for row in rows]
    db.close()
    return channel.id, out


def store_channel_in_subprocess(dsn, users, members):
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=context) as executor:
        return executor.submit(store_channel, dsn, users, members).result()


class Socket:
    """One websocket: its received `posted` frames with their arrival times."""

    def __init__(self, user, member=True):
        self.user = user
        self.member = member
        self.ws = None
        self.hello = False
        self.closed = False
        self.posted = []            # (arrival monotonic, raw text)

    async def run(self, session, url, ready):
        try:
            try:
                self.ws = await asyncio.wait_for(session.ws_connect(
                    url, headers={"Authorization": "Bearer " + self.user["token"]},
                    autoping=True, heartbeat=None, max_msg_size=0), CONNECT_TIMEOUT)
                first = await self.ws.receive(timeout=CONNECT_TIMEOUT)
                self.hello = first.type == aiohttp.WSMsgType.TEXT and '"event":"hello"' in first.data
            finally:
                ready.release()
            if not self.hello:
                return
            async for message in self.ws:
                if message.type == aiohttp.WSMsgType.TEXT and '"event":"posted"' in message.data:
                    self.posted.append((time.monotonic(), message.data))
        except Exception:
            pass
        finally:
            self.closed = True


async def bench(args, base, process, stored=None):
    timeout = aiohttp.ClientTimeout(total=None, sock_connect=60)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0), timeout=timeout) as ws_session, \
            aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=32, force_close=True),
                                  timeout=aiohttp.ClientTimeout(total=120)) as rest_session:
        api = Api(rest_session, base)
        if stored is None:
            members = min(args.members, args.connections)
            started = time.monotonic()
            channel_id, users = await setup_channel(api, members)
            print("setup: %d members in one channel in %.1f s" % (len(users), time.monotonic() - started),
                  flush=True)
        else:
            channel_id, users = stored
            members = args.members
        member_users = users[:members]

        rss_before, worker_count = workers_rss_kb(process)
        url = base.replace("http", "ws", 1) + "/api/v4/websocket"
        sockets = [Socket(users[i % len(users)], member=i % len(users) < members) for i in range(args.connections)]
        member_sockets = sum(1 for s in sockets if s.member)
        print("mode: %d sockets for %d users, %d of them channel members: %.1f sockets per member, "
              "%d member sockets, %d non-member sockets"
              % (len(sockets), len(users), members, member_sockets / max(members, 1), member_sockets,
                 len(sockets) - member_sockets), flush=True)
        ready = asyncio.Semaphore(0)
        started = time.monotonic()
        tasks = []
        for index, sock in enumerate(sockets):
            tasks.append(asyncio.ensure_future(sock.run(ws_session, url, ready)))
            if index % 200 == 199:          # connect in waves
                for _ in range(200):
                    await ready.acquire()
        for _ in range(len(sockets) - (len(sockets) // 200) * 200):
            await ready.acquire()
        connect_seconds = time.monotonic() - started
        await asyncio.sleep(3)
        held = sum(1 for s in sockets if s.hello and not s.closed)
        rss_after, _ = workers_rss_kb(process)
        print("connected: %d of %d websockets in %.1f s" % (held, len(sockets), connect_seconds), flush=True)

        sent = {}
        for k in range(args.posts):
            poster = member_users[(k * 7) % len(member_users)]
            text = "bench post %d" % k
            sent[text] = time.monotonic()
            await api.call("POST", "/posts", token=poster["token"], json={"channel_id": channel_id, "message": text})
            await asyncio.sleep(args.interval)
        held_members = sum(1 for s in sockets if s.member and s.hello and not s.closed)
        expected = held_members * args.posts
        deadline = time.monotonic() + 30
        while sum(len(s.posted) for s in sockets) < expected and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        held_at_end = sum(1 for s in sockets if s.hello and not s.closed)

        latencies = []
        per_post = {}               # post text -> its deliveries' latencies
        leaked = 0
        for sock in sockets:
            for arrived, raw in sock.posted:
                message = json.loads(json.loads(raw)["data"]["post"])["message"]
                if message not in sent:
                    continue
                if sock.member:
                    latencies.append((arrived - sent[message]) * 1000)
                    per_post.setdefault(message, []).append(latencies[-1])
                else:
                    leaked += 1
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return {
        "workers": worker_count, "connections": len(sockets), "held": held, "held_at_end": held_at_end,
        "users": len(users), "members": members, "member_sockets": member_sockets, "held_members": held_members,
        "leaked": leaked, "posts": args.posts, "expected": expected, "delivered": len(latencies),
        "rss_before_kb": rss_before, "rss_after_kb": rss_after, "latencies": latencies,
        "per_post": [(text, max(per_post[text])) for text in sent if text in per_post],
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=1000, help="websockets to open (up to 10000)")
    parser.add_argument("--members", type=int, default=1000, help="users in the channel (at most --connections)")
    parser.add_argument("--users", type=int, default=None,
                        help="distinct accounts, written through the store, among which the connections are shared; "
                             "the first --members are in the channel (default: only the members, made through REST)")
    parser.add_argument("--posts", type=int, default=20)
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between posts")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    if not 1 <= args.connections <= MAX_CONNECTIONS:
        parser.error("--connections must be between 1 and %d" % MAX_CONNECTIONS)
    if args.users is not None and not 1 <= args.members <= args.users <= args.connections:
        parser.error("--users needs 1 <= --members <= --users <= --connections")
    limit = raise_open_files()
    if limit < args.connections + 200:
        print("warning: the open-file limit is %d; %d client connections in this process need about %d"
              % (limit, args.connections, args.connections + 200), file=sys.stderr)

    data_dir = tempfile.mkdtemp(prefix="mm-bench-ws-")
    postgres = start_postgres()
    process = None
    try:
        dsn = postgres.new_database()
        stored = None
        if args.users is not None:
            started = time.monotonic()
            stored = store_channel_in_subprocess(dsn, args.users, args.members)
            print("setup: %d users with sessions through the store, %d of them in one channel, in %.1f s"
                  % (args.users, args.members, time.monotonic() - started), flush=True)
        process, base = start_server(dsn, args.workers, args.connections, data_dir)
        deadline = time.monotonic() + 30
        while listeners(dsn.split("?")[0]) < args.workers:
            if time.monotonic() > deadline:
                raise SystemExit("the workers do not LISTEN: is the PostgreSQL event bus installed "
                                 "(ws.bus_setup.install in each worker)?")
            time.sleep(0.1)
        result = asyncio.run(bench(args, base, process, stored))
    finally:
        if process is not None:
            stop(process)
        postgres.stop()

    latencies = result["latencies"]
    per_thousand = result["rss_after_kb"] / 1024 / max(result["held"], 1) * 1000
    added = (result["rss_after_kb"] - result["rss_before_kb"]) / 1024 / max(result["held"], 1) * 1000
    print()
    print("workers                    %d (gevent), PostgreSQL LISTEN/NOTIFY" % result["workers"])
    print("connections held           %d of %d (%d still open after the posts)"
          % (result["held"], result["connections"], result["held_at_end"]))
    print("channel members            %d of %d users, posts %d" % (result["members"], result["users"], result["posts"]))
    print("sockets                    %.1f per member (%d member sockets, %d held), %d non-member sockets"
          % (result["member_sockets"] / max(result["members"], 1), result["member_sockets"], result["held_members"],
             result["connections"] - result["member_sockets"]))
    print("workers' RSS               %.1f MB before connecting, %.1f MB with the connections"
          % (result["rss_before_kb"] / 1024, result["rss_after_kb"] / 1024))
    print("RSS per 1,000 connections  %.1f MB total, %.1f MB added by the connections" % (per_thousand, added))
    print("deliveries                 %d of %d expected (posts x held member sockets); %d to non-member sockets"
          % (result["delivered"], result["expected"], result["leaked"]))
    if latencies:
        print("post-to-delivery latency   p50 %.1f ms, p99 %.1f ms, max %.1f ms, mean %.1f ms"
              % (percentile(latencies, 0.5), percentile(latencies, 0.99), max(latencies),
                 statistics.mean(latencies)))
        slowest = ", ".join("%s %.0f ms" % (text.rsplit(" ", 1)[1], worst) for text, worst in result["per_post"])
        print("slowest delivery per post  %s" % slowest)
    return 0 if result["delivered"] == result["expected"] and not result["leaked"] else 1


if __name__ == "__main__":
    sys.exit(main())
