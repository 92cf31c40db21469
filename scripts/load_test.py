"""Load test: simulated Mattermost users, ramped until a health criterion breaks.

    .venv/bin/python scripts/load_test.py [--max-users 2000] [--ramp-step 100] [--step-seconds 60]
                                          [--workers 2] [--out DIR] [--seed 1] [--rates default|sample]

Starts a throwaway PostgreSQL and the real server (`python -m api.cli serve`,
gevent workers) on it, writes teams, channels, users and posts through the
store (scripts/load_data.py, in a subprocess), then adds --ramp-step simulated
users every --step-seconds until --max-users or until a step is unhealthy:

    average request time over 100 ms, p99 over 2 s, or any 5xx (or a request
    that got no answer at all: refused, reset, or 30 s without one).

It prints one row per step and `users held: N`, the most users of a healthy
step. --out (default a new temporary directory) receives load_test.png (users,
latency and errors over time), samples.csv (5-second buckets), steps.csv and
load_test.json (steps, samples, per-request statistics, the settings), and the
server's log.

A simulated user behaves as the "simulative" user controller of Mattermost's
load-test tool (mattermost-load-test-ng): it logs in through REST, keeps a
websocket open (reading every event), loads the page as the web app does, then
repeats actions picked at random with the tool's relative frequencies

    switch channel 6.52   scroll channel 1.99   unread check 1   create post 1
    open a direct message 0.98   view global threads 0.60   search posts 0.02

with an idle time between actions drawn uniformly from [min, 2*avg - min)
(the tool's defaults: 1 s and 20 s) times the user's rate. The tool's default
rate is 1 for every user (--rates default); its sample configuration spreads
users over rates 1, 2, 3, 6 and 30 (--rates sample: most users much slower).
Every 60 s a user also asks for the statuses of the people it sees, as the
tool's periodic action does. The tool's other actions (reactions, threads,
permalinks, profile pop-ups, edits, websocket reconnects, ...: about a tenth
of its weight together) are left out.

Passwords are real PBKDF2 hashes with work factor 1000 unless
--password-work-factor says otherwise (Mattermost's own is 600,000: about
0.3 s of CPU per login); the server is configured with the same factor.

All three (server, PostgreSQL, load generator) share this machine; the table
shows each one's CPU (srv%, pg%, gen%; 100 = one core), the rest of the
machine's (oth%), how long the server's and PostgreSQL's processes were ready
to run but waiting for a CPU (wait%, 100 = one process waiting all the time:
large values mean the machine is oversubscribed), and the server's plus
PostgreSQL's CPU milliseconds per request (cpu/rq).

The generator runs on uvloop when it is installed (--event-loop): the same
requests and websocket reads for 5-10% less of the machine's CPU than on
asyncio's own loop, which is CPU the server and PostgreSQL then have.

Before and after the run it times fixed work (`machine: calibration`: pure
Python, and loopback TCP round trips): on these shared machines the same code
runs several percent faster or slower from one day to the next, which is a
step of users or two. The calibration does not catch every such change (on
2026-11-25 the code that held 1,700-1,800 users the day before held 1,500 at
the same Python calibration), so a change is best judged against a checkout
of the code before it, run in the same hour.
"""
import argparse
import asyncio
import csv
import json
import os
import pathlib
import random
import signal
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import aiohttp  # noqa: E402

try:
    import uvloop  # noqa: E402
except ImportError:    # the generator then runs on asyncio's own loop
    uvloop = None

from scripts.bench_ping import stop  # noqa: E402
from scripts import bench_ws  # noqa: E402
from scripts.bench_ws import listeners, percentile, raise_open_files, start_postgres  # noqa: E402

# Mattermost's load-test tool (simulcontroller): action frequencies and idle time.
ACTIONS = [
    ("switch_channel", 6.5219),
    ("scroll_channel", 1.9873),
    ("unread_check", 1.0),
    ("create_post", 1.0),
    ("open_direct_channel", 0.9843),
    ("view_global_threads", 0.6023),
    ("search_posts", 0.0218),
]
MIN_IDLE_MS, AVG_IDLE_MS = 1000, 20000
RATES = {"default": [(1.0, 1.0)],
         "sample": [(1.0, 0.05), (2.0, 0.10), (3.0, 0.15), (6.0, 0.40), (30.0, 0.30)]}
PERCENT_REPLIES = 0.18
STATUS_INTERVAL = 60
MAX_NOTIFICATIONS_PER_CHANNEL = 1000     # typing events only below this member count (Mattermost's default)
REQUEST_TIMEOUT = 30
SAMPLE_SECONDS = 5
AVG_LIMIT_MS, P99_LIMIT_MS = 100.0, 2000.0
WORDS = ("alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa "
         "quebec romeo sierra tango uniform victor whiskey xray yankee zulu release deploy meeting lunch "
         "review design server client database socket latency budget roadmap sprint ticket").split()


# ---------------------------------------------------------------------------
# Measurements

class Recorder:
    """Every request: (end time, name, status, milliseconds); status 0 = no answer."""

    def __init__(self):
        self.t0 = time.monotonic()
        self.requests = []
        self.ws_events = 0
        self.ws_failures = []       # times a websocket failed to open or dropped
        self.active = 0             # users logged in and running
        self.user_marks = []        # (time, active users)

    def now(self):
        return time.monotonic() - self.t0

    def add(self, name, status, started):
        end = self.now()
        self.requests.append((end, name, status, (end - started) * 1000.0))

    def set_active(self, delta):
        self.active += delta
        self.user_marks.append((self.now(), self.active))


def summarize(rows):
    times = [r[3] for r in rows]
    failed = sum(1 for r in rows if r[2] >= 500 or r[2] == 0)
    client = sum(1 for r in rows if 400 <= r[2] < 500)
    return {"requests": len(rows), "avg_ms": sum(times) / len(times) if times else 0.0,
            "p50_ms": percentile(times, 0.5) if times else 0.0, "p99_ms": percentile(times, 0.99) if times else 0.0,
            "max_ms": max(times) if times else 0.0, "errors_5xx": failed, "errors_4xx": client}


class CpuMeter:
    """CPU seconds of the server (its process group), PostgreSQL (the
    postmaster and its children), this process, and the whole machine; and
    the time the server's and PostgreSQL's processes waited for a CPU while
    ready to run (run-queue delay, /proc/PID/schedstat): when that is large
    the machine, not the server, is what is slow."""

    def __init__(self, server_pid, postgres_data):
        self.server_pid, self.postgres_data = server_pid, postgres_data
        self.tick = os.sysconf("SC_CLK_TCK")
        self.last = self.read()

    def _postmaster(self):
        try:
            return int(pathlib.Path(self.postgres_data, "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def read(self):
        postmaster = self._postmaster()
        server = postgres = 0
        waited = 0.0
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                text = pathlib.Path("/proc", entry, "stat").read_text()
            except OSError:
                continue
            fields = text[text.rindex(")") + 2:].split()
            ppid, pgid = int(fields[1]), int(fields[2])
            used = int(fields[11]) + int(fields[12])
            ours = pgid == self.server_pid
            if ours:
                server += used
            elif postmaster is not None and (int(entry) == postmaster or ppid == postmaster):
                postgres += used
                if int(entry) == postmaster:
                    # the backends that have exited (the pool replaces its
                    # connections) count on in their parent's cutime/cstime
                    postgres += int(fields[13]) + int(fields[14])
                ours = True
            if ours:
                try:
                    waited += int(pathlib.Path("/proc", entry, "schedstat").read_text().split()[1]) / 1e9
                except (OSError, ValueError, IndexError):
                    pass
        own = os.times()
        with open("/proc/stat") as f:
            cpu = [int(x) for x in f.readline().split()[1:]]
        busy = sum(cpu) - cpu[3] - (cpu[4] if len(cpu) > 4 else 0)
        return {"time": time.monotonic(), "server": server / self.tick, "postgres": postgres / self.tick,
                "generator": own.user + own.system, "busy": busy / self.tick, "wait": waited}

    def percent(self):
        """CPU % (100 = one core) of each since the last call."""
        now = self.read()
        wall = max(now["time"] - self.last["time"], 1e-6)
        out = {k: 100.0 * (now[k] - self.last[k]) / wall
               for k in ("server", "postgres", "generator", "busy", "wait")}
        out["other"] = max(0.0, out.pop("busy") - out["server"] - out["postgres"] - out["generator"])
        self.last = now
        return out


# ---------------------------------------------------------------------------
# A simulated user

class StopUser(Exception):
    pass


class SimUser:
    def __init__(self, index, account, data, base, rest, ws_session, recorder, rng, rate, settings):
        self.index, self.account, self.data = index, account, data
        self.base, self.rest, self.ws_session = base, rest, ws_session
        self.rec, self.rng, self.rate, self.settings = recorder, rng, rate, settings
        self.user_id = account["id"]
        self.token = None
        self.ws = None
        self.ws_task = None
        self.seq = 1
        self.team_id = None
        self.team_ids = []
        self.channels = {}           # id -> channel (from the server)
        self.member_count = {}       # channel id -> members (from stats)
        self.current = None
        self.viewed = {}             # channel id -> last view (ms)
        self.posts = {}              # channel id -> {post id: (create_at, root_id)}
        self.known_users = set()
        self.dm_partners = set()

    # -- requests ----------------------------------------------------------

    async def call(self, name, method, path, body=None, params=None, raw=False):
        headers = {"Authorization": "Bearer " + self.token} if self.token else {}
        started = self.rec.now()
        try:
            async with self.rest.request(method, self.base + "/api/v4" + path, json=body, params=params,
                                         headers=headers) as response:
                content = await response.read()
                status = response.status
                token = response.headers.get("Token")
        except asyncio.CancelledError:
            raise
        except Exception:
            self.rec.add(name, 0, started)
            return None
        self.rec.add(name, status, started)
        if status >= 400:
            self.settings["error_samples"].setdefault("%s %d" % (name, status), content[:300].decode("utf-8", "replace"))
            return None
        if name == "POST /users/login":
            self.token = token
        if raw or not content:
            return content
        try:
            return json.loads(content)
        except ValueError:
            return None

    async def idle(self, low_ms, high_ms):
        await asyncio.sleep(self.rng.uniform(low_ms, high_ms) / 1000.0)

    def pick_idle_seconds(self):
        low, avg = self.settings["min_idle_ms"], self.settings["avg_idle_ms"]
        return self.rng.uniform(low, 2 * avg - low) * self.rate / 1000.0

    # -- websocket -----------------------------------------------------------

    async def websocket_loop(self):
        url = self.base.replace("http", "ws", 1) + "/api/v4/websocket"
        while True:
            try:
                self.ws = await self.ws_session.ws_connect(
                    url, headers={"Authorization": "Bearer " + self.token}, heartbeat=None, max_msg_size=0,
                    timeout=aiohttp.ClientWSTimeout(ws_receive=None, ws_close=10))
                async for message in self.ws:
                    if message.type == aiohttp.WSMsgType.TEXT:
                        self.rec.ws_events += 1
                    elif message.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                        break
            except asyncio.CancelledError:
                raise
            except Exception:
                pass
            self.ws = None
            self.rec.ws_failures.append(self.rec.now())
            await asyncio.sleep(1 + self.rng.random())       # reconnect, as the client does

    async def send_typing(self, channel_id, parent_id=""):
        if self.ws is None or self.ws.closed:
            return
        self.seq += 1
        try:
            await self.ws.send_str(json.dumps({"action": "user_typing", "seq": self.seq,
                                               "data": {"channel_id": channel_id, "parent_id": parent_id}}))
        except Exception:
            pass

    # -- the page and its parts ------------------------------------------------

    def remember_posts(self, channel_id, body):
        if not isinstance(body, dict):
            return []
        posts = body.get("posts") or {}
        known = self.posts.setdefault(channel_id, {})
        for post_id, post in posts.items():
            known[post_id] = (post.get("create_at", 0), post.get("root_id", ""))
        return [post.get("user_id") for post in posts.values() if post.get("user_id")]

    async def fetch_posts_info(self, user_ids):
        missing = [u for u in dict.fromkeys(user_ids) if u and u not in self.known_users]
        if not missing:
            return
        self.known_users.update(missing)
        await self.call("POST /users/status/ids", "POST", "/users/status/ids", body=missing)
        await self.call("POST /users/ids", "POST", "/users/ids", body=missing)
        for user_id in missing:
            await self.call("GET /users/{id}/image", "GET", "/users/%s/image" % user_id, params={"_": "0"}, raw=True)

    async def view_channel(self, channel_id):
        me = self.user_id
        if self.current:
            await self.call("POST /channels/members/me/view", "POST", "/channels/members/%s/view" % me,
                            body={"channel_id": self.current, "collapsed_threads_supported": True})
        if channel_id not in self.viewed:
            body = await self.call("GET /users/{id}/channels/{id}/posts/unread", "GET",
                                   "/users/%s/channels/%s/posts/unread" % (me, channel_id),
                                   params={"limit_before": "30", "limit_after": "30", "skipFetchThreads": "false",
                                           "collapsedThreads": "true", "collapsedThreadsExtended": "false"})
        else:
            body = await self.call("GET /channels/{id}/posts?since", "GET", "/channels/%s/posts" % channel_id,
                                   params={"since": str(self.viewed[channel_id])})
        await self.fetch_posts_info(self.remember_posts(channel_id, body))
        stats = await self.call("GET /channels/{id}/stats", "GET", "/channels/%s/stats" % channel_id,
                                params={"exclude_files_count": "true" if self.rng.random() >= 0.01 else "false"})
        if isinstance(stats, dict):
            self.member_count[channel_id] = stats.get("member_count", 0)
        channel = self.channels.get(channel_id) or {}
        if channel.get("type") in ("D", "G"):
            category = "direct_channel_show" if channel["type"] == "D" else "group_channel_show"
            await self.call("PUT /users/{id}/preferences", "PUT", "/users/%s/preferences" % me, body=[
                {"user_id": me, "category": category, "name": channel_id, "value": "true"},
                {"user_id": me, "category": "channel_open_time", "name": channel_id,
                 "value": str(int(time.time() * 1000))}])
        await self.call("POST /channels/members/me/view", "POST", "/channels/members/%s/view" % me,
                        body={"channel_id": channel_id, "prev_channel_id": self.current or "",
                              "collapsed_threads_supported": True})
        self.viewed[channel_id] = int(time.time() * 1000)

    async def load_team(self, team_id):
        me = self.user_id
        channels = await self.call("GET /users/{id}/teams/{id}/channels", "GET",
                                   "/users/%s/teams/%s/channels" % (me, team_id), params={"include_deleted": "true"})
        for channel in channels or []:
            self.channels[channel["id"]] = channel
        await self.call("GET /users/{id}/teams/{id}/channels/members", "GET",
                        "/users/%s/teams/%s/channels/members" % (me, team_id))
        await self.call("GET /users/{id}/teams/unread", "GET", "/users/%s/teams/unread" % me,
                        params={"include_collapsed_threads": "true"})
        await self.call("GET /users/{id}/teams/{id}/threads?totalsOnly", "GET",
                        "/users/%s/teams/%s/threads" % (me, team_id),
                        params={"totalsOnly": "true", "threadsOnly": "false"})
        await self.call("GET /users/{id}/teams/{id}/channels/categories", "GET",
                        "/users/%s/teams/%s/channels/categories" % (me, team_id))
        await self.call("POST /users/status/ids", "POST", "/users/status/ids", body=[me])

    async def login(self):
        body = await self.call("POST /users/login", "POST", "/users/login",
                               body={"login_id": self.account["username"], "password": self.data["password"]})
        if body is None or not self.token:
            raise StopUser("login failed")
        self.known_users.add(self.user_id)
        self.ws_task = asyncio.ensure_future(self.websocket_loop())
        me = self.user_id
        # the page load (the tool's Reload)
        await self.call("GET /users", "GET", "/users", params={"page": "0", "per_page": "100"})
        await self.call("GET /users/{id}/preferences", "GET", "/users/%s/preferences" % me)
        await self.call("GET /config/client", "GET", "/config/client", params={"format": "old"})
        await self.call("GET /license/client", "GET", "/license/client", params={"format": "old"})
        await self.call("GET /users/me", "GET", "/users/me")
        await self.call("GET /teams", "GET", "/teams", params={"page": "0", "per_page": "50"})
        teams = await self.call("GET /users/{id}/teams", "GET", "/users/%s/teams" % me)
        await self.call("GET /users/{id}/teams/members", "GET", "/users/%s/teams/members" % me)
        await self.call("GET /users/{id}/teams/unread", "GET", "/users/%s/teams/unread" % me)
        await self.call("GET /users/{id}/status", "GET", "/users/%s/status" % me)
        self.team_ids = [t["id"] for t in teams or []] or [t["id"] for t in self.data["teams"]]
        self.team_id = self.rng.choice(self.team_ids)
        await self.load_team(self.team_id)
        await self.switch_channel()

    # -- the actions ---------------------------------------------------------------

    def team_channels(self):
        return [c for c in self.channels.values()
                if c.get("team_id") == self.team_id and c.get("type") in ("O", "P") and c["id"] != self.current]

    async def switch_channel(self):
        choices = self.team_channels()
        if not choices:
            return
        channel = self.rng.choice(sorted(choices, key=lambda c: c["id"]))
        await self.view_channel(channel["id"])
        self.current = channel["id"]

    async def scroll_channel(self):
        if not self.current or not self.posts.get(self.current):
            return
        channel_id = self.current
        for i in range(self.rng.randint(1, 5)):
            oldest = min(self.posts[channel_id].items(), key=lambda kv: kv[1][0])[0]
            body = await self.call("GET /channels/{id}/posts?before", "GET", "/channels/%s/posts" % channel_id,
                                   params={"before": oldest, "page": "0", "per_page": "30"})
            await self.fetch_posts_info(self.remember_posts(channel_id, body))
            if not (body or {}).get("order"):
                break
            await self.idle(1000, 10000)        # between scrolls: 1 to 10 s

    async def unread_check(self):
        me = self.user_id
        await self.call("GET /users/{id}/teams/{id}/channels", "GET", "/users/%s/teams/%s/channels" % (me, self.team_id),
                        params={"include_deleted": "true"})
        await self.call("GET /users/{id}/teams/{id}/channels/members", "GET",
                        "/users/%s/teams/%s/channels/members" % (me, self.team_id))
        if self.current:
            await self.call("POST /channels/members/me/view", "POST", "/channels/members/%s/view" % me,
                            body={"channel_id": self.current, "collapsed_threads_supported": True})

    async def create_post(self):
        channel_id = self.current
        if not channel_id:
            return
        if self.member_count.get(channel_id, 0) < MAX_NOTIFICATIONS_PER_CHANNEL:
            await self.send_typing(channel_id)
        reply = self.rng.random() < PERCENT_REPLIES
        words = self.rng.randint(1, 47 if reply else 69)     # averages of 24 and 35 words, as the tool
        body = {"channel_id": channel_id, "message": " ".join(self.rng.choice(WORDS) for _ in range(words)),
                "pending_post_id": "%s:%d" % (self.user_id, int(time.time() * 1000))}
        if reply:
            known = self.posts.get(channel_id) or {}
            if not known:
                return
            post_id = self.rng.choice(sorted(known))
            body["root_id"] = known[post_id][1] or post_id
        created = await self.call("POST /posts", "POST", "/posts", body=body)
        if isinstance(created, dict) and created.get("id"):
            self.posts.setdefault(channel_id, {})[created["id"]] = (created.get("create_at", 0),
                                                                    created.get("root_id", ""))

    async def open_direct_channel(self):
        users = self.data["users"]
        other = users[self.rng.randrange(len(users))]
        if other["id"] == self.user_id:
            return
        channel = await self.call("POST /channels/direct", "POST", "/channels/direct", body=[self.user_id, other["id"]])
        if not isinstance(channel, dict):
            return
        self.channels[channel["id"]] = channel
        self.dm_partners.add(other["id"])
        await self.view_channel(channel["id"])
        self.current = channel["id"]
        await self.create_post()

    async def view_global_threads(self):
        path = "/users/%s/teams/%s/threads" % (self.user_id, self.team_id)
        params = {"per_page": "25", "extended": "false", "deleted": "false", "unread": "false", "since": "0",
                  "totalsOnly": "false", "threadsOnly": "true"}
        body = await self.call("GET /users/{id}/teams/{id}/threads", "GET", path, params=params)
        threads = (body or {}).get("threads") or []
        if threads:
            for _ in range(self.rng.randint(1, 3)):
                oldest = threads[-1].get("id")
                await self.idle(1000, 10000)
                body = await self.call("GET /users/{id}/teams/{id}/threads?before", "GET", path,
                                       params=dict(params, before=oldest))
                threads = (body or {}).get("threads") or []
                if not threads:
                    break
        await self.call("GET /users/{id}/teams/{id}/threads?unread", "GET", path, params=dict(params, unread="true"))

    async def search_posts(self):
        terms = " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(1, 4)))
        if self.rng.random() < 0.2:
            terms = '"%s"' % terms
        await self.call("POST /teams/{id}/posts/search", "POST", "/teams/%s/posts/search" % self.team_id, body={
            "terms": terms, "is_or_search": False, "time_zone_offset": 0, "include_deleted_channels": False,
            "page": 0, "per_page": 20})

    async def statuses(self):
        """The periodic action: statuses of the people in view, every 60 s."""
        while True:
            await asyncio.sleep(STATUS_INTERVAL)
            ids = [self.user_id] + sorted(self.dm_partners)
            await self.call("POST /users/status/ids", "POST", "/users/status/ids", body=ids[:200])

    async def run(self):
        names = [a[0] for a in ACTIONS]
        weights = [a[1] for a in ACTIONS]
        periodic = None
        counted = False
        try:
            await self.login()
            self.rec.set_active(1)
            counted = True
            periodic = asyncio.ensure_future(self.statuses())
            while True:
                await asyncio.sleep(self.pick_idle_seconds())
                action = self.rng.choices(names, weights)[0]
                await getattr(self, action)()
        except StopUser:
            pass
        finally:
            if counted:
                self.rec.set_active(-1)
            for task in (periodic, self.ws_task):
                if task is not None:
                    task.cancel()
            if self.ws is not None and not self.ws.closed:
                try:
                    await asyncio.wait_for(self.ws.close(), 2)
                except Exception:
                    pass


# ---------------------------------------------------------------------------
# The ramp

def pick_rate(rng, distribution):
    x, total = rng.random(), 0.0
    for rate, share in distribution:
        total += share
        if x < total:
            return rate
    return distribution[-1][0]


def healthy(summary):
    reasons = []
    if summary["avg_ms"] > AVG_LIMIT_MS:
        reasons.append("avg %.0f ms > %.0f" % (summary["avg_ms"], AVG_LIMIT_MS))
    if summary["p99_ms"] > P99_LIMIT_MS:
        reasons.append("p99 %.0f ms > %.0f" % (summary["p99_ms"], P99_LIMIT_MS))
    if summary["errors_5xx"]:
        reasons.append("%d 5xx/unanswered" % summary["errors_5xx"])
    return reasons


HEADER = ("%5s %6s %6s %7s %7s %7s %8s %5s %5s %5s %6s %5s %5s %5s %5s %5s %6s  %s"
          % ("step", "users", "active", "req/s", "avg ms", "p50 ms", "p99 ms", "5xx", "4xx", "wsErr", "ws ev/s",
             "srv%", "pg%", "gen%", "oth%", "wait%", "cpu/rq", "health"))


def row_text(step):
    s = step
    return ("%5d %6d %6d %7.1f %7.1f %7.1f %8.1f %5d %5d %5d %6.0f %5.0f %5.0f %5.0f %5.0f %5.0f %6.1f  %s"
            % (s["step"], s["users"], s["active"], s["rps"], s["avg_ms"], s["p50_ms"], s["p99_ms"], s["errors_5xx"],
               s["errors_4xx"], s["ws_failures"], s["ws_events_per_s"], s["cpu"]["server"], s["cpu"]["postgres"],
               s["cpu"]["generator"], s["cpu"]["other"], s["cpu"]["wait"], s["cpu_ms_per_request"],
               "ok" if not s["reasons"] else "; ".join(s["reasons"])))


async def ramp(args, data, base, cpu, settings, state):
    """Run the steps; state["rec"] and state["steps"] fill as they go (so an
    interrupted run still has them)."""
    rec = state["rec"] = Recorder()
    steps = state["steps"]
    rng = random.Random(args.seed)
    distribution = RATES[args.rates]
    connector = aiohttp.TCPConnector(limit=args.connections, keepalive_timeout=30)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    tasks = []
    interrupted = False
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as rest, \
            aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0),
                                  timeout=aiohttp.ClientTimeout(total=None, sock_connect=REQUEST_TIMEOUT)) as ws_session:
        accounts = data["users"]
        started_users = 0
        step_index = 0
        ws_events_before = 0
        cpu.percent()
        try:
            while started_users < args.max_users:
                step_index += 1
                target = min(args.max_users, started_users + args.ramp_step)
                step_start = rec.now()
                spread = args.step_seconds * args.arrival_fraction
                new = target - started_users
                for k in range(new):
                    index = started_users + k
                    user = SimUser(index, accounts[index], data, base, rest, ws_session, rec,
                                   random.Random(args.seed * 1000003 + index), pick_rate(rng, distribution), settings)
                    delay = spread * k / max(new, 1)

                    async def start(user=user, delay=delay):
                        await asyncio.sleep(delay)
                        await user.run()
                    tasks.append(asyncio.ensure_future(start()))
                started_users = target
                await asyncio.sleep(max(0.0, step_start + args.step_seconds - rec.now()))
                step_end = rec.now()
                window = [r for r in rec.requests if step_start <= r[0] < step_end]
                summary = summarize(window)
                ws_failures = sum(1 for t in rec.ws_failures if step_start <= t < step_end)
                step = dict(summary, step=step_index, users=target, active=rec.active, start=step_start, end=step_end,
                            rps=summary["requests"] / max(step_end - step_start, 1e-6), ws_failures=ws_failures,
                            ws_events_per_s=(rec.ws_events - ws_events_before) / max(step_end - step_start, 1e-6),
                            cpu=cpu.percent())
                ws_events_before = rec.ws_events
                step["reasons"] = healthy(step)
                step["cpu_ms_per_request"] = ((step["cpu"]["server"] + step["cpu"]["postgres"]) * 10.0
                                              * (step_end - step_start) / max(summary["requests"], 1))
                steps.append(step)
                print(row_text(step), flush=True)
                if step["reasons"] and not args.no_stop:
                    break
        except (KeyboardInterrupt, asyncio.CancelledError):
            interrupted = True
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
    return interrupted


# ---------------------------------------------------------------------------
# Output

def buckets(rec, end):
    """SAMPLE_SECONDS buckets from the start to end (the last step's end)."""
    out = []
    marks = rec.user_marks
    m, active = 0, 0
    t = 0.0
    requests = sorted(rec.requests)
    r = 0
    ws = sorted(rec.ws_failures)
    w = 0
    while t + SAMPLE_SECONDS <= end + 1e-6:
        rows = []
        while r < len(requests) and requests[r][0] < t + SAMPLE_SECONDS:
            rows.append(requests[r])
            r += 1
        while m < len(marks) and marks[m][0] < t + SAMPLE_SECONDS:
            active = marks[m][1]
            m += 1
        failures = 0
        while w < len(ws) and ws[w] < t + SAMPLE_SECONDS:
            failures += 1
            w += 1
        s = summarize(rows)
        out.append({"t": t + SAMPLE_SECONDS, "active": active, "requests": s["requests"],
                    "rps": s["requests"] / SAMPLE_SECONDS, "avg_ms": s["avg_ms"], "p99_ms": s["p99_ms"],
                    "errors_5xx": s["errors_5xx"], "errors_4xx": s["errors_4xx"], "ws_failures": failures})
        t += SAMPLE_SECONDS
    return out


def by_request(rows):
    names = {}
    for row in rows:
        names.setdefault(row[1], []).append(row)
    table = []
    for name, group in names.items():
        s = summarize(group)
        s["name"] = name
        s["total_ms"] = sum(r[3] for r in group)
        table.append(s)
    table.sort(key=lambda s: -s["total_ms"])
    return table


def plot(path, samples, steps, held):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    t = [s["t"] for s in samples]
    fig, (ax_users, ax_lat, ax_err) = plt.subplots(3, 1, sharex=True, figsize=(11, 9))
    ax_users.plot(t, [s["active"] for s in samples], color="tab:blue", label="active users")
    ax_users.set_ylabel("users")
    ax_rps = ax_users.twinx()
    ax_rps.plot(t, [s["rps"] for s in samples], color="tab:gray", alpha=0.6, label="requests/s")
    ax_rps.set_ylabel("requests/s")
    ax_users.set_title("load test: users held %d (average <= %d ms, p99 <= %d ms, no 5xx)"
                       % (held, AVG_LIMIT_MS, P99_LIMIT_MS))
    lines = ax_users.get_legend_handles_labels()
    more = ax_rps.get_legend_handles_labels()
    ax_users.legend(lines[0] + more[0], lines[1] + more[1], loc="upper left")
    ax_lat.plot(t, [s["avg_ms"] for s in samples], label="average", color="tab:green")
    ax_lat.plot(t, [s["p99_ms"] for s in samples], label="p99", color="tab:orange")
    ax_lat.axhline(AVG_LIMIT_MS, color="tab:green", linestyle=":", label="average limit")
    ax_lat.axhline(P99_LIMIT_MS, color="tab:orange", linestyle=":", label="p99 limit")
    ax_lat.set_yscale("log")
    ax_lat.set_ylabel("request time (ms)")
    ax_lat.legend(loc="upper left")
    width = SAMPLE_SECONDS * 0.8
    ax_err.bar(t, [s["errors_5xx"] for s in samples], width=width, color="tab:red", label="5xx / unanswered")
    ax_err.bar(t, [s["errors_4xx"] for s in samples], width=width, color="tab:purple", alpha=0.6,
               bottom=[s["errors_5xx"] for s in samples], label="4xx")
    ax_err.bar(t, [s["ws_failures"] for s in samples], width=width, color="tab:brown", alpha=0.6,
               bottom=[s["errors_5xx"] + s["errors_4xx"] for s in samples], label="websocket failures")
    ax_err.set_ylabel("errors per %d s" % SAMPLE_SECONDS)
    ax_err.set_ylim(bottom=0, top=max([1] + [s["errors_5xx"] + s["errors_4xx"] + s["ws_failures"]
                                             for s in samples]) * 1.1)
    ax_err.set_xlabel("seconds")
    ax_err.legend(loc="upper left")
    for step in steps:
        for ax in (ax_users, ax_lat, ax_err):
            ax.axvline(step["end"], color="black" if not step["reasons"] else "red", alpha=0.15)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def write_outputs(out, rec, steps, held, settings):
    samples = buckets(rec, steps[-1]["end"])
    with open(out / "samples.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(samples[0]) if samples else ["t"])
        writer.writeheader()
        writer.writerows(samples)
    flat = [{k: (v if not isinstance(v, (dict, list)) else json.dumps(v)) for k, v in s.items()} for s in steps]
    with open(out / "steps.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(flat[0]) if flat else ["step"])
        writer.writeheader()
        writer.writerows(flat)
    last_ok = [s for s in steps if not s["reasons"]]
    report = {"settings": settings, "users_held": held, "steps": steps, "samples": samples,
              "requests_all": by_request(rec.requests),
              "requests_last_step": by_request([r for r in rec.requests if steps and steps[-1]["start"] <= r[0]
                                                < steps[-1]["end"]]),
              "requests_last_healthy_step": by_request([r for r in rec.requests if last_ok and last_ok[-1]["start"]
                                                        <= r[0] < last_ok[-1]["end"]])}
    (out / "load_test.json").write_text(json.dumps(report, indent=1))
    plot(out / "load_test.png", samples, steps, held)
    return report


def print_requests(title, table, limit=14):
    print()
    print(title)
    print("  %-48s %7s %8s %8s %8s %5s %5s %7s" % ("request", "count", "avg ms", "p99 ms", "max ms", "5xx", "4xx",
                                                    "share"))
    total = sum(s["total_ms"] for s in table) or 1
    for s in table[:limit]:
        print("  %-48s %7d %8.1f %8.1f %8.1f %5d %5d %6.1f%%" % (s["name"][:48], s["requests"], s["avg_ms"],
                                                               s["p99_ms"], s["max_ms"], s["errors_5xx"],
                                                               s["errors_4xx"], 100.0 * s["total_ms"] / total))


# ---------------------------------------------------------------------------

def start_server(dsn, args, data_dir):
    process, base = bench_ws.start_server(dsn, args.workers, args.max_users * 2, data_dir, extra_env={
        "MM_SQLSETTINGS_MAXOPENCONNS": str(args.db_connections),
        "MM_PYTHONSETTINGS_PASSWORDWORKFACTOR": str(args.password_work_factor),
        "MM_TEAMSETTINGS_MAXUSERSPERTEAM": str(args.max_users + 100)})
    deadline = time.monotonic() + 30
    while listeners(dsn.split("?")[0]) < args.workers and time.monotonic() < deadline:
        time.sleep(0.1)
    return process, base


def calibrate(rounds=5):
    """[Python, sockets]: milliseconds this machine takes for two fixed pieces
    of work, each the best of `rounds`: pure Python (dicts, string formatting,
    JSON) and 10,000 round trips of a small message over loopback TCP (system
    calls and the network stack, most of what the server and the generator
    do besides Python). These machines are shared: the same code runs
    several percent slower on one day than on another, which moves the users
    held by a step. Runs compare fairly only at equal calibration."""
    import socket

    def python_work():
        rows = {}
        for i in range(100000):
            rows["k%d" % (i % 500)] = {"id": i, "name": "user%d" % i, "roles": "system_user"}
        return len(json.loads(json.dumps(rows)))

    def socket_work():
        listener = socket.create_server(("127.0.0.1", 0))
        client = socket.create_connection(listener.getsockname())
        server, _ = listener.accept()
        for sock in (client, server):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            for _ in range(10000):
                client.sendall(b"x" * 200)
                server.recv(4096)
                server.sendall(b"y" * 200)
                client.recv(4096)
        finally:
            for sock in (client, server, listener):
                sock.close()

    def best(work):
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            work()
            times.append((time.perf_counter() - started) * 1000.0)
        return round(min(times), 2)

    return [best(python_work), best(socket_work)]


def load_data(dsn, args, out):
    path = out / "data.json"
    command = [sys.executable, str(ROOT / "scripts" / "load_data.py"), "--dsn", dsn, "--out", str(path),
               "--users", str(args.data_users or args.max_users), "--teams", str(args.teams),
               "--channels", str(args.channels), "--channels-per-user", str(args.channels_per_user),
               "--posts-per-channel", str(args.posts_per_channel),
               "--password-work-factor", str(args.password_work_factor), "--seed", str(args.seed)]
    subprocess.run(command, cwd=str(ROOT), check=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    return json.loads(path.read_text())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--max-users", type=int, default=2000)
    parser.add_argument("--ramp-step", type=int, default=100, help="users added per step")
    parser.add_argument("--step-seconds", type=float, default=60, help="length of a step (its measuring window)")
    parser.add_argument("--arrival-fraction", type=float, default=0.5,
                        help="a step's new users log in spread over this fraction of the step")
    parser.add_argument("--workers", type=int, default=2, help="server gunicorn workers")
    parser.add_argument("--out", help="directory for the plot and samples (default: a new temporary directory)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rates", choices=sorted(RATES), default="default",
                        help="users' idle-time multipliers: the tool's default (1 for all) or its sample spread")
    parser.add_argument("--min-idle-ms", type=int, default=MIN_IDLE_MS)
    parser.add_argument("--avg-idle-ms", type=int, default=AVG_IDLE_MS)
    parser.add_argument("--password-work-factor", type=int, default=1000,
                        help="PBKDF2 iterations of the users' passwords and the server (Mattermost: 600000)")
    parser.add_argument("--teams", type=int, default=2)
    parser.add_argument("--channels", type=int, default=50, help="public channels per team besides the defaults")
    parser.add_argument("--channels-per-user", type=int, default=10)
    parser.add_argument("--posts-per-channel", type=int, default=20)
    parser.add_argument("--data-users", type=int, default=0, help="accounts to create (default --max-users)")
    parser.add_argument("--connections", type=int, default=256, help="HTTP connections of the load generator")
    parser.add_argument("--db-connections", type=int, default=20, help="database pool per server worker")
    parser.add_argument("--no-stop", action="store_true", help="keep ramping after an unhealthy step")
    parser.add_argument("--event-loop", choices=["uvloop", "asyncio"], default="uvloop" if uvloop else "asyncio",
                        help="the generator's event loop (on uvloop it spends 5-10%% less CPU per request)")
    args = parser.parse_args(argv)
    if args.data_users and args.data_users < args.max_users:
        parser.error("--data-users must be at least --max-users")
    if args.event_loop == "uvloop" and uvloop is None:
        parser.error("uvloop is not installed")

    out = pathlib.Path(args.out) if args.out else pathlib.Path(tempfile.mkdtemp(prefix="mm-load-test-"))
    out.mkdir(parents=True, exist_ok=True)
    limit = raise_open_files()
    if limit < args.max_users * 3 + 200:
        print("warning: the open-file limit is %d; %d users need about %d" % (limit, args.max_users,
                                                                              args.max_users * 3 + 200),
              file=sys.stderr)

    def terminate(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGINT, signal.default_int_handler)   # even when started with SIGINT ignored

    settings = {k: v for k, v in vars(args).items()}
    settings.update(out=str(out), actions=ACTIONS, rate_distribution=RATES[args.rates],
                    percent_replies=PERCENT_REPLIES, avg_limit_ms=AVG_LIMIT_MS, p99_limit_ms=P99_LIMIT_MS,
                    error_samples={})
    postgres = process = None
    try:
        postgres = start_postgres()
        dsn = postgres.new_database()
        started = time.monotonic()
        data = load_data(dsn, args, out)
        print("data: %d users, %d teams of %d channels, %d posts in %.1f s; passwords PBKDF2 work factor %d"
              % (len(data["users"]), len(data["teams"]), len(data["teams"][0]["channels"]), data["posts"],
                 time.monotonic() - started, args.password_work_factor), flush=True)
        settings["calibration_ms"] = [calibrate()]
        print("machine: calibration %.2f ms of Python, %.2f ms of loopback round trips (lower is faster)"
              % tuple(settings["calibration_ms"][0]), flush=True)
        process, base = start_server(dsn, args, str(out))
        print("server: %s, %d gevent workers, PostgreSQL %s; output in %s" % (base, args.workers, postgres.bin_dir,
                                                                             out), flush=True)
        print("users: +%d every %.0f s up to %d; actions as mattermost-load-test-ng's simulcontroller, idle %d-%d ms "
              "(avg %d) x rate %s; generator on %s" % (args.ramp_step, args.step_seconds, args.max_users,
                                                       args.min_idle_ms, 2 * args.avg_idle_ms - args.min_idle_ms,
                                                       args.avg_idle_ms, args.rates, args.event_loop),
              flush=True)
        print()
        print(HEADER, flush=True)
        cpu = CpuMeter(process.pid, postgres.data)
        state = {"rec": None, "steps": []}
        try:
            run = uvloop.run if args.event_loop == "uvloop" else asyncio.run
            interrupted = run(ramp(args, data, base, cpu, settings, state))
        except KeyboardInterrupt:
            interrupted = True
        rec, steps = state["rec"], state["steps"]
        settings["calibration_ms"].append(calibrate())
        healthy_steps = [s for s in steps if not s["reasons"]]
        held = 0
        for s in steps:                   # the last step of the unbroken healthy run
            if s["reasons"]:
                break
            held = s["users"]
        if rec is not None and steps:
            report = write_outputs(out, rec, steps, held, settings)
            print_requests("requests, last step (%d users), by total time" % steps[-1]["users"],
                           report["requests_last_step"])
            if healthy_steps and healthy_steps[-1] is not steps[-1]:
                print_requests("requests, last healthy step (%d users)" % healthy_steps[-1]["users"],
                               report["requests_last_healthy_step"])
            if settings["error_samples"]:
                print()
                print("error answers (first of each kind):")
                for key, text in sorted(settings["error_samples"].items())[:20]:
                    print("  %s: %s" % (key, text[:160]))
            print()
            print("plot: %s" % (out / "load_test.png"))
            print("samples: %s, %s, %s" % (out / "samples.csv", out / "steps.csv", out / "load_test.json"))
        if interrupted:
            print("interrupted")
        print("machine: calibration [Python, loopback] ms %s before the run, %s after" % tuple(settings["calibration_ms"]))
        print("users held: %d" % held, flush=True)
    finally:
        if process is not None:
            stop(process)
        if postgres is not None:
            postgres.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
