"""Two hosts, one database: two server processes (their own config files, their
own ports, one and two gunicorn workers) on one PostgreSQL database and one
file directory serve the same users.

A session made on one is good on the other; an account made on one logs in
on the other; websockets on both hear every event, whichever host handled the
write (posts through either, in one order and with no gaps in seq, and the
other events: typing, channel viewed, status); a file uploaded on one is
downloaded from the other.
"""
import time

import pytest

from conftest import PASSWORD, running_server
from realserver import EventSocket, RealServer, listeners, wait_until


class Host(RealServer):
    def __init__(self, name, base, process):
        super().__init__(base, process)
        self.name = name


class Socket(EventSocket):
    """A websocket to one host whose events a thread collects."""

    def __init__(self, host, who):
        super().__init__(host, who)
        assert self.hello["event"] == "hello" and self.hello["seq"] == 0
        self.host = host


@pytest.fixture(scope="module")
def hosts(postgres_server, tmp_path_factory):
    """(A, B): A with one worker, B with two, sharing a database and a file directory."""
    dsn = postgres_server.new_database()
    shared_files = tmp_path_factory.mktemp("shared-files")
    env = dict(MM_SQLSETTINGS_DRIVERNAME="postgres", MM_SQLSETTINGS_DATASOURCE=dsn,
               MM_SQLSETTINGS_MAXOPENCONNS="10", MM_PYTHONSETTINGS_PASSWORDWORKFACTOR="1000",
               MM_PYTHONSETTINGS_LOGINRATELIMITMAXBURST="100000", MM_TEAMSETTINGS_ENABLEOPENSERVER="true",
               MM_FILESETTINGS_DIRECTORY=str(shared_files) + "/")
    with running_server(tmp_path_factory.mktemp("host-a"), env, workers=1, timeout=60, quiet=True) as (base_a, pa):
        with running_server(tmp_path_factory.mktemp("host-b"), env, workers=2, timeout=60,
                            quiet=True) as (base_b, pb):
            wait_until(lambda: len(listeners(dsn.split("?")[0])) == 3, 30, "the three workers to listen for events")
            yield Host("A", base_a, pa), Host("B", base_b, pb)


_names = iter(range(1, 10 ** 6))


def _login(host, username, password=PASSWORD):
    response = host.api("POST", "/users/login", json={"login_id": username, "password": password})
    assert response.status_code == 200, response.text
    return {"id": response.json()["id"], "token": response.headers["Token"], "username": username}


@pytest.fixture(scope="module")
def admin(hosts):
    a, _ = hosts
    created = a.api("POST", "/users", json={"username": "hostadmin", "email": "hostadmin@example.com",
                                            "password": PASSWORD})
    assert created.status_code == 201, created.text
    assert "system_admin" in created.json()["roles"]
    return _login(a, "hostadmin")


def _person(host, admin, login_on=None):
    name = "hostuser%d" % next(_names)
    created = host.api("POST", "/users", who=admin,
                       json={"username": name, "email": name + "@example.com", "password": PASSWORD})
    assert created.status_code == 201, created.text
    return _login(login_on or host, name)


def _channel(host, admin, members):
    name = "hteam%d" % next(_names)
    team = host.api("POST", "/teams", who=admin, json={"name": name, "display_name": name, "type": "O"})
    assert team.status_code == 201, team.text
    team_id = team.json()["id"]
    channel = host.api("POST", "/channels", who=admin,
                       json={"team_id": team_id, "name": "c-" + name, "display_name": name, "type": "O"})
    assert channel.status_code == 201, channel.text
    for member in members:
        added = host.api("POST", "/teams/%s/members" % team_id, who=admin, json={"team_id": team_id,
                                                                                 "user_id": member["id"]})
        assert added.status_code == 201, added.text
        added = host.api("POST", "/channels/%s/members" % channel.json()["id"], who=admin,
                         json={"user_id": member["id"]})
        assert added.status_code == 201, added.text
    return team_id, channel.json()["id"]


@pytest.fixture
def sockets():
    opened = []

    def connect(host, who):
        opened.append(Socket(host, who))
        return opened[-1]

    yield connect
    for socket in opened:
        socket.close()


# ---------------------------------------------------------------------------

def test_a_session_made_on_one_host_works_on_the_other(hosts, admin):
    a, b = hosts
    me = b.api("GET", "/users/me", who=admin)
    assert me.status_code == 200, me.text
    assert me.json()["id"] == admin["id"]
    # An account made on A logs in on B, and B's session is good on A.
    person = _person(a, admin, login_on=b)
    assert a.api("GET", "/users/me", who=person).json()["id"] == person["id"]
    # A profile change on B reaches A, which has the user cached, the same way.
    assert b.api("PUT", "/users/me/patch", who=person, json={"nickname": "moved"}).status_code == 200
    wait_until(lambda: a.api("GET", "/users/me", who=person).json()["nickname"] == "moved", 5,
               "A to see the new nickname")
    # Logging out on B ends the session on A too, although A has it cached: B's
    # word reaches A through the bus, within moments.
    assert b.api("POST", "/users/logout", who=person).status_code == 200
    wait_until(lambda: a.api("GET", "/users/me", who=person).status_code == 401, 5, "A to refuse the token")


def test_a_self_sign_up_on_one_host_logs_in_on_the_other(hosts, admin):
    a, b = hosts
    name = "selfmade%d" % next(_names)
    created = b.api("POST", "/users", json={"username": name, "email": name + "@example.com", "password": PASSWORD})
    assert created.status_code == 201, created.text
    who = _login(a, name)
    assert b.api("GET", "/users/me", who=who).json()["username"] == name


def test_posts_through_either_host_reach_members_on_both(hosts, admin, sockets):
    a, b = hosts
    members = [_person(a, admin) for _ in range(4)]
    outsider = _person(b, admin)
    _, channel_id = _channel(a, admin, members)
    listening = [sockets(a, members[0]), sockets(b, members[1]), sockets(b, members[2]), sockets(a, members[3]),
                 sockets(b, members[0])]
    outside = sockets(a, outsider)
    posted = []
    for i in range(16):
        via = (a, b)[i % 2]
        response = via.api("POST", "/posts", who=members[i % 4], json={"channel_id": channel_id,
                                                                       "message": "hop %d via %s" % (i, via.name)})
        assert response.status_code == 201, response.text
        posted.append(response.json()["id"])
    for socket in listening:
        assert socket.wait_for(lambda s: len(s.posted_ids()) >= len(posted)), \
            "a socket on %s got %d of %d posts" % (socket.host.name, len(socket.posted_ids()), len(posted))
    time.sleep(0.3)
    orders = set()
    for socket in listening:
        assert sorted(socket.posted_ids()) == sorted(posted)            # each once
        seqs = [e["seq"] for e in socket.events]
        assert seqs == list(range(len(seqs))), seqs                      # no gaps
        orders.add(tuple(socket.posted_ids()))
    assert len(orders) == 1                                              # one order everywhere
    assert outside.posted_ids() == []


def test_other_events_cross_hosts(hosts, admin, sockets):
    a, b = hosts
    writer, reader = _person(a, admin), _person(b, admin)
    _, channel_id = _channel(b, admin, [writer, reader])
    on_b = sockets(b, reader)
    own_on_a = sockets(a, reader)
    writer_on_a = sockets(a, writer)
    # typing, sent on a websocket of A, heard on B (not by the writer).
    writer_on_a.send(1, "user_typing", {"channel_id": channel_id})
    assert on_b.wait_for(lambda s: s.named("typing")), "typing did not reach host B"
    assert on_b.named("typing")[0]["data"]["user_id"] == writer["id"]
    # A post through A leaves the reader with an unread channel; viewing it
    # through B tells the reader's socket on A.
    response = a.api("POST", "/posts", who=writer, json={"channel_id": channel_id, "message": "unread"})
    assert response.status_code == 201
    assert on_b.wait_for(lambda s: s.posted_ids())
    viewed = b.api("POST", "/channels/members/me/view", who=reader, json={"channel_id": channel_id})
    assert viewed.status_code == 200, viewed.text
    assert own_on_a.wait_for(lambda s: s.named("multiple_channels_viewed")), "channel view did not reach host A"
    assert channel_id in own_on_a.named("multiple_channels_viewed")[0]["data"]["channel_times"]
    # A status set through A reaches the reader's socket on B.
    status = a.api("PUT", "/users/%s/status" % reader["id"], who=reader,
                   json={"user_id": reader["id"], "status": "dnd"})
    assert status.status_code == 200, status.text
    assert on_b.wait_for(lambda s: any(e["data"].get("status") == "dnd" for e in s.named("status_change"))), \
        "status_change did not reach host B"
    # A reaction through B reaches the writer on A.
    post_id = response.json()["id"]
    reacted = b.api("POST", "/reactions", who=reader, json={"user_id": reader["id"], "post_id": post_id,
                                                            "emoji_name": "tada"})
    assert reacted.status_code == 200, reacted.text
    assert writer_on_a.wait_for(lambda s: s.named("reaction_added")), "reaction_added did not reach host A"


def test_a_file_uploaded_on_one_host_downloads_from_the_other(hosts, admin):
    a, b = hosts
    owner, reader = _person(a, admin), _person(b, admin)
    _, channel_id = _channel(a, admin, [owner, reader])
    content = b"shared bytes " * 1000
    uploaded = a.api("POST", "/files", who=owner, params={"channel_id": channel_id},
                     files={"files": ("notes.txt", content, "text/plain")})
    assert uploaded.status_code == 201, uploaded.text
    file_id = uploaded.json()["file_infos"][0]["id"]
    posted = b.api("POST", "/posts", who=owner, json={"channel_id": channel_id, "message": "see the file",
                                                      "file_ids": [file_id]})
    assert posted.status_code == 201, posted.text
    assert posted.json()["file_ids"] == [file_id]
    downloaded = b.api("GET", "/files/%s" % file_id, who=reader)
    assert downloaded.status_code == 200, downloaded.text
    assert downloaded.content == content
    assert a.api("GET", "/files/%s" % file_id, who=reader).content == content
