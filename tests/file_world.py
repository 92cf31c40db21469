"""The world the file and upload tests share: three people (alice and bob in a
team, carol outside it), a public channel of both and a private one of
alice's; and FileSettings a test may change (restored afterwards)."""
import pytest

from conftest import auth, create, login, unique
from store import channels as store_channels, teams, users


@pytest.fixture(scope="module")
def w(app, admin):
    client = app.test_client()

    class W:
        pass
    w = W()
    with app.app_context():
        for name in ("alice", "bob", "carol"):
            made = create(client, admin)
            setattr(w, name, users.get(made["id"]))
            setattr(w, name + "_h", auth(login(client, made["username"])))
        w.team = teams.create({"display_name": "T", "name": unique("team"), "type": "O"})
        for u in (w.alice, w.bob):
            teams.add_member(w.team, u)
        w.public = store_channels.create({"team_id": w.team.id, "type": "O", "name": unique("pub"),
                                          "display_name": "P"}, creator=w.alice)
        store_channels.add_member(w.public, w.bob)
        w.private = store_channels.create({"team_id": w.team.id, "type": "P", "name": unique("priv"),
                                           "display_name": "Q"}, creator=w.alice)
    w.admin_h = auth(admin)
    return w


@pytest.fixture
def settings(app):
    """FileSettings to change in a test; restored afterwards."""
    section = app.config["MM_CONFIG"]["FileSettings"]
    saved = dict(section)
    yield section
    section.clear()
    section.update(saved)
