"""End to end with Mattermost's official JavaScript client.

tests/e2e/js/day.mjs drives a real server (`python -m api.cli serve`) with the
npm package @mattermost/client, unmodified: Client4 for REST and
WebSocketClient for events, on the machine's Node.js, through a day of use
(sign-up, teams, channels, posts, replies, reactions, files, search,
preferences, statuses, DMs and group messages, unreads, edits, threads, custom
emoji, a dropped websocket resuming), asserting on every answer and on the
events each step sends to each user. It runs once on SQLite and once on
PostgreSQL.

The packages come from tests/e2e/js/package-lock.json (`npm ci`), installed
once and reinstalled only when the lock file is newer than the install.

Below that, tests of the server fixes the client led to, on both stores.
"""
import fcntl
import hashlib
import os
import pathlib
import shutil
import subprocess
import tempfile
import threading

import pytest

from conftest import ROOT, auth, create, login, running_server

JS_DIR = ROOT / "tests" / "e2e" / "js"
LOCK_FILE = JS_DIR / "package-lock.json"
INSTALLED_MARKER = JS_DIR / "node_modules" / ".package-lock.json"  # written by npm at the end of an install
API = "/api/v4"


def _installed_is_current():
    return INSTALLED_MARKER.exists() and INSTALLED_MARKER.stat().st_mtime >= LOCK_FILE.stat().st_mtime


@pytest.fixture(scope="session")
def js_client():
    """tests/e2e/js with its node_modules installed from the lock file."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("Node.js end-to-end tests skipped: %s not found on PATH"
                    % " and ".join(n for n, p in (("node", node), ("npm", npm)) if p is None))
    # Concurrent test processes (the stores, or two checkouts' runs) install one at a time.
    lock_path = pathlib.Path(tempfile.gettempdir()) / (
        "mm-e2e-js-%s.lock" % hashlib.sha1(str(JS_DIR).encode()).hexdigest()[:12])
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not _installed_is_current():
            result = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=str(JS_DIR),
                                    capture_output=True, text=True, timeout=300)
            if result.returncode != 0:
                pytest.fail("npm ci in %s failed:\n%s\n%s" % (JS_DIR, result.stdout, result.stderr))
            INSTALLED_MARKER.touch()
    return node


def _drain(stream, lines):
    for line in iter(stream.readline, b""):
        lines.append(line.decode("utf-8", "replace"))


@pytest.fixture(params=["sqlite", "postgres"])
def server_env(request):
    env = {"MM_PYTHONSETTINGS_PASSWORDWORKFACTOR": "1000", "MM_PYTHONSETTINGS_LOGINRATELIMITMAXBURST": "100000"}
    if request.param == "postgres":
        postgres = request.getfixturevalue("postgres_server")
        env.update(MM_SQLSETTINGS_DRIVERNAME="postgres", MM_SQLSETTINGS_DATASOURCE=postgres.new_database())
    return env


def test_a_day_with_the_javascript_client(js_client, server_env, tmp_path):
    with running_server(tmp_path, server_env, timeout=60) as (base, process):
        server_log = []
        drain = threading.Thread(target=_drain, args=(process.stdout, server_log), daemon=True)
        drain.start()
        try:
            result = subprocess.run([js_client, "day.mjs", base], cwd=str(JS_DIR), capture_output=True, text=True,
                                    timeout=120, env=dict(os.environ, NODE_NO_WARNINGS="1"))
        except subprocess.TimeoutExpired as e:
            pytest.fail("day.mjs did not finish in 120 s:\n%s\n--- server log (last 60 lines):\n%s"
                        % (e.stdout or "", "".join(server_log[-60:])))
    if result.returncode != 0:
        pytest.fail("day.mjs failed (exit %d):\n%s\n%s\n--- server log (last 60 lines):\n%s"
                    % (result.returncode, result.stdout, result.stderr, "".join(server_log[-60:])))
    assert "a day of use: every step passed" in result.stdout, result.stdout


# ---------------------------------------------------------------------------
# Fixes the client led to

def test_team_unreads_without_exclude_team(client, admin):
    """Client4.getMyTeamUnreads sends no exclude_team: Mattermost's
    getTeamsUnreadForUser reads it as optional, so the list comes back."""
    user = create(client, admin)
    who = login(client, user["username"])
    team = client.post(API + "/teams", json={"name": "unreads-%s" % user["id"][:8], "display_name": "Unreads",
                                              "type": "O"}, headers=auth(admin)).get_json()
    response = client.post(API + "/teams/%s/members" % team["id"], json={"team_id": team["id"],
                                                                         "user_id": who["user_id"]},
                           headers=auth(admin))
    assert response.status_code == 201, response.data
    for query in ("", "?include_collapsed_threads=false", "?include_collapsed_threads=true"):
        response = client.get(API + "/users/me/teams/unread" + query, headers=auth(who))
        assert response.status_code == 200, response.data
        assert [u["team_id"] for u in response.get_json()] == [team["id"]]
    excluded = client.get(API + "/users/me/teams/unread?exclude_team=" + team["id"], headers=auth(who))
    assert excluded.status_code == 200 and excluded.get_json() == []
