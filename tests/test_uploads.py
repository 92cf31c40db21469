"""Resumable uploads: create a session, send the file in pieces, get its FileInfo."""
import io

from PIL import Image

from conftest import PASSWORD, auth, login, unique
from file_world import settings, w  # noqa: F401  (fixtures)
from store import channels as store_channels, models

MB = 1024 * 1024


def start(client, headers, channel_id, filename="doc.txt", file_size=10):
    return client.post("/api/v4/uploads", json={"channel_id": channel_id, "filename": filename,
                                                "file_size": file_size}, headers=headers)


def send(client, headers, upload_id, data, name="blob"):
    return client.post("/api/v4/uploads/" + upload_id, data={"data": (io.BytesIO(data), name)},
                       headers=headers, content_type="multipart/form-data")


def test_create_and_get_upload(client, w):
    response = start(client, w.alice_h, w.public.id, "../x/report.txt", 10)
    assert response.status_code == 201, response.data
    body = response.get_json()
    assert body["type"] == "attachment" and body["user_id"] == w.alice.id and body["channel_id"] == w.public.id
    assert body["filename"] == "report.txt" and body["file_size"] == 10 and body["file_offset"] == 0
    assert "path" not in body
    assert client.get("/api/v4/uploads/" + body["id"], headers=w.alice_h).get_json() == body
    assert client.get("/api/v4/uploads/" + body["id"], headers=w.admin_h).status_code == 200
    other = client.get("/api/v4/uploads/" + body["id"], headers=w.bob_h)
    assert other.status_code == 403 and other.get_json()["id"] == "api.upload.get_upload.forbidden.app_error"
    assert client.get("/api/v4/uploads/" + body["id"]).status_code == 401
    missing = client.get("/api/v4/uploads/" + "d" * 26, headers=w.alice_h)
    assert missing.status_code == 404 and missing.get_json()["id"] == "app.upload.get.app_error"
    assert client.get("/api/v4/uploads/bad", headers=w.alice_h).status_code == 400


def test_create_upload_errors(app, client, w, settings):
    assert start(client, {}, w.public.id).status_code == 401
    assert start(client, w.bob_h, w.private.id).status_code == 403
    assert start(client, w.carol_h, w.public.id).status_code == 403
    assert start(client, w.alice_h, "e" * 26).status_code == 403
    assert client.post("/api/v4/uploads", json={"channel_id": w.public.id}, headers=w.alice_h).status_code == 400
    response = start(client, w.alice_h, w.public.id, file_size=0)
    assert response.status_code == 400 and response.get_json()["id"] == "model.upload_session.is_valid.file_size.app_error"
    response = start(client, w.alice_h, w.public.id, filename="..")
    assert response.get_json()["id"] == "model.upload_session.is_valid.filename.app_error"
    settings["MaxFileSize"] = 100
    response = start(client, w.alice_h, w.public.id, file_size=101)
    assert response.status_code == 413 and response.get_json()["id"] == "api.upload.create.upload_too_large.app_error"
    settings["EnableFileAttachments"] = False
    response = start(client, w.alice_h, w.public.id)
    assert response.status_code == 501 and response.get_json()["id"] == "api.file.attachments.disabled.app_error"
    settings["EnableFileAttachments"] = True
    with app.app_context():
        channel = store_channels.create({"team_id": w.team.id, "type": "O", "name": unique("arch"),
                                         "display_name": "A"}, creator=w.alice)
        models.Channel.update(delete_at=1).where(models.Channel.id == channel.id).execute()
    response = start(client, w.alice_h, channel.id)
    assert response.status_code == 400
    assert response.get_json()["id"] == "app.upload.create.cannot_upload_to_deleted_channel.app_error"
    response = client.post("/api/v4/uploads", json={"type": "import", "filename": "a.zip", "file_size": 5,
                                                    "channel_id": ""}, headers=w.alice_h)
    assert response.status_code == 403


def test_whole_file_in_one_piece(client, w):
    upload = start(client, w.alice_h, w.public.id, "one.txt", 11).get_json()
    assert send(client, w.bob_h, upload["id"], b"hello world").status_code == 403
    assert send(client, {}, upload["id"], b"hello world").status_code == 401
    assert send(client, w.alice_h, "f" * 26, b"hello world").status_code == 404
    response = send(client, w.alice_h, upload["id"], b"hello world")
    assert response.status_code == 200, response.data
    info = response.get_json()
    assert info["name"] == "one.txt" and info["size"] == 11 and info["user_id"] == w.alice.id
    assert info["channel_id"] == w.public.id
    assert client.get("/api/v4/files/" + info["id"], headers=w.alice_h).data == b"hello world"
    # the session is gone once the file is made
    assert client.get("/api/v4/uploads/" + upload["id"], headers=w.alice_h).status_code == 404


def test_first_piece_too_small(client, w):
    upload = start(client, w.alice_h, w.public.id, "big.bin", 6 * MB).get_json()
    response = send(client, w.alice_h, upload["id"], b"x" * 1000)
    assert response.status_code == 400
    assert response.get_json()["id"] == "app.upload.upload_data.first_part_too_small.app_error"
    assert client.get("/api/v4/uploads/" + upload["id"], headers=w.alice_h).get_json()["file_offset"] == 0


def test_image_upload_gets_renditions(client, w):
    out = io.BytesIO()
    Image.new("RGB", (240, 100), (1, 2, 3)).save(out, "PNG")
    data = out.getvalue()
    upload = start(client, w.alice_h, w.public.id, "pic.png", len(data)).get_json()
    info = send(client, w.alice_h, upload["id"], data).get_json()
    assert (info["width"], info["height"], info["has_preview_image"]) == (240, 100, True)
    assert info["mini_preview"]
    thumb = client.get("/api/v4/files/%s/thumbnail" % info["id"], headers=w.alice_h)
    assert Image.open(io.BytesIO(thumb.data)).size == (120, 50)


def test_raw_piece_longer_than_rest_refused(client, w):
    upload = start(client, w.alice_h, w.public.id, "r.txt", 4).get_json()
    response = client.post("/api/v4/uploads/" + upload["id"], data=b"12345", headers=w.alice_h,
                           content_type="application/octet-stream")
    assert response.status_code == 400
    assert response.get_json()["id"] == "api.upload.upload_data.invalid_content_length"
    response = client.post("/api/v4/uploads/" + upload["id"], data=b"1234", headers=w.alice_h,
                           content_type="application/octet-stream")
    assert response.status_code == 200 and response.get_json()["size"] == 4


def test_upload_in_several_pieces(app_factory):
    # the pieces are larger than the default JSON body limit this operation gets today
    app = app_factory(ServiceSettings={"MaximumPayloadSizeBytes": 8 * MB})
    client = app.test_client()
    assert client.post("/api/v4/users", json={"username": "boss", "email": "boss@example.com",
                                              "password": PASSWORD}).status_code == 201
    boss = auth(login(client, "boss"))
    team = client.post("/api/v4/teams", json={"name": unique("team"), "display_name": "T", "type": "O"},
                       headers=boss).get_json()
    channel = client.post("/api/v4/channels", json={"team_id": team["id"], "name": unique("c"),
                                                    "display_name": "C", "type": "O"}, headers=boss).get_json()
    data = bytes(range(256)) * (21 * 1024)   # 5.25 MB
    upload = start(client, boss, channel["id"], "long.bin", len(data)).get_json()
    pieces = [data[:5 * MB], data[5 * MB:5 * MB + 1000], data[5 * MB + 1000:]]
    assert send(client, boss, upload["id"], pieces[0]).status_code == 204
    assert client.get("/api/v4/uploads/" + upload["id"], headers=boss).get_json()["file_offset"] == 5 * MB
    assert send(client, boss, upload["id"], pieces[1]).status_code == 204
    response = send(client, boss, upload["id"], pieces[2] + b"extra bytes are not taken")
    assert response.status_code == 200, response.data
    info = response.get_json()
    assert info["size"] == len(data) and info["name"] == "long.bin"
    assert client.get("/api/v4/files/" + info["id"], headers=boss).data == data


def test_uploads_for_user_lists_only_your_own(client, w):
    made = client.post("/api/v4/uploads", headers=w.alice_h,
                       json={"channel_id": w.public.id, "filename": "mine.txt", "file_size": 10})
    assert made.status_code == 201, made.data
    listed = client.get("/api/v4/users/me/uploads", headers=w.alice_h)
    assert listed.status_code == 200 and made.get_json()["id"] in [u["id"] for u in listed.get_json()]
    response = client.get("/api/v4/users/%s/uploads" % w.alice.id, headers=w.bob_h)
    assert response.status_code == 403
    assert response.get_json()["id"] == "api.user.get_uploads_for_user.forbidden.app_error"
    assert client.get("/api/v4/users/bad/uploads", headers=w.alice_h).status_code == 400
    assert client.get("/api/v4/users/me/uploads").status_code == 401
