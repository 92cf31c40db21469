"""Files: uploading (multipart and raw), reading a file, its thumbnail, preview
and info, public links; who may see what; sizes and names kept safe."""
import base64
import hashlib
import io
import os
import re

from PIL import Image

from conftest import unique
from file_world import settings, w  # noqa: F401  (fixtures)
from store import channels as store_channels, models, posts


def png_bytes(width=400, height=300, mode="RGBA"):
    out = io.BytesIO()
    Image.new(mode, (width, height), (200, 30, 30, 255) if mode == "RGBA" else (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def upload(client, headers, channel_id, files, client_ids=None, query=""):
    data = {"channel_id": channel_id} if channel_id is not None else {}
    if client_ids is not None:
        data["client_ids"] = client_ids
    data["files"] = [(io.BytesIO(content), name) for name, content in files]
    return client.post("/api/v4/files" + query, data=data, headers=headers, content_type="multipart/form-data")


def upload_one(client, w, name="notes.txt", content=b"hello files", channel=None, headers=None):
    response = upload(client, headers or w.alice_h, (channel or w.public).id, [(name, content)])
    assert response.status_code == 201, response.data
    return response.get_json()["file_infos"][0]


def attach(app, w, info, channel=None):
    with app.app_context():
        posts.create({"message": "with file", "file_ids": [info["id"]]},
                     store_channels.get((channel or w.public).id), w.alice)


def test_upload_multipart_stores_file_where_mattermost_does(app, client, w):
    response = upload(client, w.alice_h, w.public.id, [("notes.txt", b"hello"), ("data.csv", b"a,b\n1,2\n")],
                      client_ids=["c1", "c2"])
    assert response.status_code == 201, response.data
    body = response.get_json()
    assert body["client_ids"] == ["c1", "c2"]
    first, second = body["file_infos"]
    assert first["name"] == "notes.txt" and first["extension"] == "txt" and first["size"] == 5
    assert first["mime_type"].startswith("text/plain")
    assert first["user_id"] == w.alice.id and first["channel_id"] == w.public.id and first["post_id"] == ""
    assert second["extension"] == "csv"
    with app.app_context():
        row = models.FileInfo.get_by_id(first["id"])
    assert re.fullmatch(r"\d{8}/teams/noteam/channels/%s/users/%s/%s/notes\.txt" % (w.public.id, w.alice.id, first["id"]),
                        row.path)
    directory = app.config["MM_CONFIG"]["FileSettings"]["Directory"]
    with open(os.path.join(directory, row.path), "rb") as f:
        assert f.read() == b"hello"
    assert "path" not in first and "content" not in first




def test_upload_raw_body(client, w):
    response = client.post("/api/v4/files?channel_id=%s&filename=raw.bin&client_id=x1" % w.public.id,
                           data=b"\x00\x01\x02", headers=w.alice_h, content_type="application/octet-stream")
    assert response.status_code == 201, response.data
    body = response.get_json()
    assert body["client_ids"] == ["x1"] and body["file_infos"][0]["size"] == 3
    missing = client.post("/api/v4/files?channel_id=%s" % w.public.id, data=b"abc", headers=w.alice_h,
                          content_type="application/octet-stream")
    assert missing.status_code == 400 and missing.get_json()["id"] == "api.context.invalid_url_param.app_error"
    bad = client.post("/api/v4/files?channel_id=junk&filename=a.txt", data=b"abc", headers=w.alice_h,
                      content_type="application/octet-stream")
    assert bad.status_code == 400


def test_upload_raw_body_of_any_type_keeps_its_bytes(client, w):
    """A raw body sent as text/plain or with no Content-Type is read by the
    routing first; the upload still stores every byte of it."""
    for content_type in ("text/plain", None):
        kwargs = {"content_type": content_type} if content_type else {}
        response = client.post("/api/v4/files?channel_id=%s&filename=note.txt" % w.public.id,
                               data=b'{"a": "some text"}', headers=w.alice_h, **kwargs)
        assert response.status_code == 201, (content_type, response.data)
        info = response.get_json()["file_infos"][0]
        assert info["size"] == 18, content_type
        got = client.get("/api/v4/files/%s" % info["id"], headers=w.alice_h)
        assert got.data == b'{"a": "some text"}'


def test_upload_errors(client, w, settings):
    assert upload(client, {}, w.public.id, [("a.txt", b"a")]).status_code == 401
    # not a member of the private channel, not in the team
    assert upload(client, w.bob_h, w.private.id, [("a.txt", b"a")]).status_code == 403
    assert upload(client, w.carol_h, w.public.id, [("a.txt", b"a")]).status_code == 403
    assert upload(client, w.alice_h, "a" * 26, [("a.txt", b"a")]).status_code == 403
    assert upload(client, w.alice_h, "../../junk", [("a.txt", b"a")]).status_code == 400
    assert upload(client, w.alice_h, None, [("a.txt", b"a")]).status_code == 400
    response = upload(client, w.alice_h, w.public.id, [("a.txt", b"a"), ("b.txt", b"b")], client_ids=["1"])
    assert response.status_code == 400
    assert response.get_json()["id"] == "api.file.upload_file.incorrect_number_of_client_ids.app_error"
    response = upload(client, w.alice_h, w.public.id, [("a.txt", b"a")], query="?channel_id=" + w.private.id)
    assert response.get_json()["id"] == "api.file.upload_file.multiple_channel_ids.app_error"
    settings["EnableFileAttachments"] = False
    response = upload(client, w.alice_h, w.public.id, [("a.txt", b"a")])
    assert response.status_code == 403 and response.get_json()["id"] == "api.file.attachments.disabled.app_error"


def test_upload_size_limit(client, w, settings):
    settings["MaxFileSize"] = 1000
    response = upload(client, w.alice_h, w.public.id, [("big.bin", b"x" * 1001)])
    assert response.status_code == 413
    assert response.get_json()["id"] == "api.file.upload_file.too_large_detailed.app_error"
    assert upload(client, w.alice_h, w.public.id, [("ok.bin", b"x" * 1000)]).status_code == 201


def test_upload_size_limit_raw(client, w, settings):
    settings["MaxFileSize"] = 1000
    response = client.post("/api/v4/files?channel_id=%s&filename=big.bin" % w.public.id, data=b"x" * 1001,
                           headers=w.alice_h, content_type="application/octet-stream")
    assert response.status_code == 413
    assert response.get_json()["id"] == "api.file.upload_file.too_large_detailed.app_error"


def test_raw_upload_of_unknown_length_is_streamed_and_bounded(client, w, settings):
    """A chunked raw body has no Content-Length: the limit stops it while it
    streams. (gunicorn marks such input as terminated; the test client must say so.)"""
    import io
    settings["MaxFileSize"] = 1000
    url = "/api/v4/files?channel_id=%s&filename=stream.bin" % w.public.id
    headers = dict(w.alice_h, **{"Transfer-Encoding": "chunked", "Content-Type": "application/octet-stream"})
    response = client.post(url, input_stream=io.BytesIO(b"y" * 800), headers=headers,
                           environ_overrides={"wsgi.input_terminated": True})
    assert response.status_code == 201, response.data
    assert response.get_json()["file_infos"][0]["size"] == 800
    response = client.post(url, input_stream=io.BytesIO(b"y" * 5000), headers=headers,
                           environ_overrides={"wsgi.input_terminated": True})
    assert response.status_code == 413


def test_upload_to_archived_channel_refused(app, client, w):
    with app.app_context():
        channel = store_channels.create({"team_id": w.team.id, "type": "O", "name": unique("arch"),
                                         "display_name": "A"}, creator=w.alice)
        models.Channel.update(delete_at=1).where(models.Channel.id == channel.id).execute()
    assert upload(client, w.alice_h, channel.id, [("a.txt", b"a")]).status_code == 400


def test_file_names_are_base_names(app, client, w):
    info = upload_one(client, w, name="../../../etc/evil.txt")
    assert info["name"] == "evil.txt"
    info = upload_one(client, w, name="..\\..\\win.txt")
    assert info["name"].endswith("win.txt") and "\\" not in info["name"] and "/" not in info["name"]
    with app.app_context():
        row = models.FileInfo.get_by_id(info["id"])
    assert ".." not in row.path.split("/") and row.path.endswith("/" + info["name"])
    response = upload(client, w.alice_h, w.public.id, [("..", b"a")])
    assert response.status_code == 400


def test_images_get_sizes_thumbnails_and_previews(client, w):
    info = upload_one(client, w, name="pic.png", content=png_bytes(400, 300))
    assert (info["width"], info["height"], info["has_preview_image"]) == (400, 300, True)
    mini = Image.open(io.BytesIO(base64.b64decode(info["mini_preview"])))
    assert mini.format == "JPEG" and mini.size == (16, 16)
    thumb = client.get("/api/v4/files/%s/thumbnail" % info["id"], headers=w.alice_h)
    assert thumb.status_code == 200 and thumb.headers["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(thumb.data)).size == (120, 90)
    preview = client.get("/api/v4/files/%s/preview" % info["id"], headers=w.alice_h)
    assert preview.status_code == 200 and Image.open(io.BytesIO(preview.data)).size == (400, 300)

    wide = upload_one(client, w, name="wide.png", content=png_bytes(3840, 200, "RGB"))
    preview = client.get("/api/v4/files/%s/preview" % wide["id"], headers=w.alice_h)
    assert Image.open(io.BytesIO(preview.data)).size == (1920, 100)

    tall = upload_one(client, w, name="tall.jpg", content=_jpeg(100, 400))
    thumb = client.get("/api/v4/files/%s/thumbnail" % tall["id"], headers=w.alice_h)
    assert Image.open(io.BytesIO(thumb.data)).size == (25, 100)


def _jpeg(width, height, orientation=None):
    out = io.BytesIO()
    image = Image.new("RGB", (width, height), (10, 120, 10))
    if orientation:
        exif = Image.Exif()
        exif[0x0112] = orientation
        image.save(out, "JPEG", exif=exif.tobytes())
    else:
        image.save(out, "JPEG")
    return out.getvalue()


def test_exif_orientation_and_gif(client, w):
    info = upload_one(client, w, name="turned.jpg", content=_jpeg(300, 200, orientation=6))
    assert (info["width"], info["height"]) == (200, 300)
    out = io.BytesIO()
    Image.new("P", (50, 40)).save(out, "GIF")
    gif = upload_one(client, w, name="anim.gif", content=out.getvalue())
    assert (gif["width"], gif["height"]) == (50, 40) and not gif.get("has_preview_image")
    # a file named like an image that is none stays a plain file
    fake = upload_one(client, w, name="fake.png", content=b"not an image")
    assert not fake.get("width") and not fake.get("has_preview_image")
    response = client.get("/api/v4/files/%s/thumbnail" % fake["id"], headers=w.alice_h)
    assert response.status_code == 400
    assert response.get_json()["id"] == "api.file.get_file_thumbnail.no_thumbnail.app_error"
    response = client.get("/api/v4/files/%s/preview" % fake["id"], headers=w.alice_h)
    assert response.get_json()["id"] == "api.file.get_file_preview.no_preview.app_error"


def test_image_resolution_limit(client, w, settings):
    settings["MaxImageResolution"] = 1000
    response = upload(client, w.alice_h, w.public.id, [("pic.png", png_bytes(100, 100))])
    assert response.status_code == 400
    assert response.get_json()["id"] == "api.file.upload_file.large_image_detailed.app_error"


def test_get_file_headers(client, w):
    info = upload_one(client, w, name="n.txt", content=b"plain text")
    response = client.get("/api/v4/files/" + info["id"], headers=w.alice_h)
    assert response.status_code == 200 and response.data == b"plain text"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    page = upload_one(client, w, name="page.html", content=b"<script>alert(1)</script>")
    response = client.get("/api/v4/files/" + page["id"], headers=w.alice_h)
    assert response.headers["Content-Type"].startswith("text/plain")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    pic = upload_one(client, w, name="p.png", content=png_bytes(10, 10))
    response = client.get("/api/v4/files/" + pic["id"], headers=w.alice_h)
    assert response.headers["Content-Disposition"].startswith("inline;")
    response = client.get("/api/v4/files/%s?download=true" % pic["id"], headers=w.alice_h)
    assert response.headers["Content-Disposition"].startswith("attachment;")
    weird = upload_one(client, w, name="a b,c.txt", content=b"x")
    response = client.get("/api/v4/files/" + weird["id"], headers=w.alice_h)
    assert 'filename="a%20b%2Cc.txt"' in response.headers["Content-Disposition"]


def test_who_may_read_a_file(app, client, w):
    info = upload_one(client, w)
    for path in ("", "/info", "/link"):
        assert client.get("/api/v4/files/%s%s" % (info["id"], path)).status_code == 401
    # not attached: only the uploader (and system-wide readers)
    assert client.get("/api/v4/files/" + info["id"], headers=w.alice_h).status_code == 200
    assert client.get("/api/v4/files/" + info["id"], headers=w.bob_h).status_code == 403
    assert client.get("/api/v4/files/%s/info" % info["id"], headers=w.bob_h).status_code == 403
    attach(app, w, info)
    assert client.get("/api/v4/files/" + info["id"], headers=w.bob_h).status_code == 200
    assert client.get("/api/v4/files/%s/info" % info["id"], headers=w.bob_h).status_code == 200
    assert client.get("/api/v4/files/" + info["id"], headers=w.carol_h).status_code == 403
    # a private channel's file
    secret = upload_one(client, w, channel=w.private, content=b"secret")
    attach(app, w, secret, channel=w.private)
    for who in (w.bob_h, w.carol_h):
        for path in ("", "/info", "/thumbnail", "/preview"):
            assert client.get("/api/v4/files/%s%s" % (secret["id"], path), headers=who).status_code == 403
    assert client.get("/api/v4/files/" + secret["id"], headers=w.alice_h).data == b"secret"


def test_missing_and_bad_ids(client, w):
    for path in ("", "/info", "/thumbnail", "/preview"):
        response = client.get("/api/v4/files/%s%s" % ("b" * 26, path), headers=w.alice_h)
        assert response.status_code == 404 and response.get_json()["id"] == "app.file_info.get.app_error"
        assert client.get("/api/v4/files/bad%s" % path, headers=w.alice_h).status_code == 400


def test_get_file_info(client, w):
    info = upload_one(client, w, name="i.txt")
    response = client.get("/api/v4/files/%s/info" % info["id"], headers=w.alice_h)
    assert response.status_code == 200 and response.get_json() == info
    assert response.headers["Cache-Control"] == "max-age=2592000, private"


def test_public_links(app, client, w, settings):
    info = upload_one(client, w, name="shared.txt", content=b"for everyone")
    response = client.get("/api/v4/files/%s/link" % info["id"], headers=w.alice_h)
    assert response.status_code == 403 and response.get_json()["id"] == "api.file.get_public_link.disabled.app_error"
    settings["EnablePublicLink"] = True
    settings["PublicLinkSalt"] = "pepper"
    response = client.get("/api/v4/files/%s/link" % info["id"], headers=w.alice_h)
    assert response.status_code == 400 and response.get_json()["id"] == "api.file.get_public_link.no_post.app_error"
    attach(app, w, info)
    assert client.get("/api/v4/files/%s/link" % info["id"], headers=w.carol_h).status_code == 403
    link = client.get("/api/v4/files/%s/link" % info["id"], headers=w.bob_h).get_json()["link"]
    expected = base64.urlsafe_b64encode(hashlib.sha256(b"pepper" + info["id"].encode()).digest()).rstrip(b"=")
    assert link.endswith("/files/%s/public?h=%s" % (info["id"], expected.decode()))
    public = client.get(link[link.index("/files/"):])
    assert public.status_code == 200 and public.data == b"for everyone"
    wrong = client.get("/files/%s/public?h=nope" % info["id"])
    assert wrong.status_code == 400 and wrong.get_json()["id"] == "api.file.get_file.public_invalid.app_error"
    assert client.get("/files/%s/public?h=x" % ("c" * 26)).status_code == 404
    settings["PublicLinkSalt"] = ""
    link = client.get("/api/v4/files/%s/link" % info["id"], headers=w.bob_h).get_json()["link"]
    assert not link.endswith(base64.urlsafe_b64encode(hashlib.sha256(info["id"].encode()).digest())
                             .rstrip(b"=").decode())
    assert client.get(link[link.index("/files/"):]).status_code == 200
    settings["EnablePublicLink"] = False
    response = client.get(link[link.index("/files/"):])
    assert response.status_code == 403
