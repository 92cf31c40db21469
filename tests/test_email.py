"""Password reset and email verification, through a real SMTP server (aiosmtpd)."""
import re

from conftest import PASSWORD, auth, create, login
from store import models


def link_token(message):
    body = message.get_payload(decode=True).decode()
    return re.search(r"token=([0-9a-f]{64})", body).group(1)


def test_password_reset(client, admin, smtp):
    user = create(client, admin)
    who = login(client, user["username"])
    smtp.messages.clear()
    assert client.post("/api/v4/users/password/reset/send", json={"email": user["email"]}).status_code == 200
    assert client.post("/api/v4/users/password/reset/send", json={"email": "nobody@nowhere.io"}).status_code == 200
    assert len(smtp.messages) == 1  # only the real account gets mail; the answer is the same
    message = smtp.messages[0]
    assert message["To"] == user["email"] and "Reset your password" in message["Subject"]
    assert "http://chat.example.com/reset_password_complete?token=" in message.get_payload(decode=True).decode()
    token = link_token(message)
    refused = client.post("/api/v4/users/password/reset", json={"token": token, "new_password": "short"})
    assert refused.get_json()["id"] == "model.user.is_valid.pwd_min_length.app_error"  # the link stays usable
    assert client.post("/api/v4/users/password/reset",
                       json={"token": token, "new_password": "after-reset-1"}).status_code == 200
    login(client, user["username"], "after-reset-1")
    assert client.get("/api/v4/users/me", headers=auth(who)).status_code == 401  # old sessions ended
    assert client.post("/api/v4/users/password/reset",
                       json={"token": token, "new_password": "again-reset-1"}).status_code == 400


def test_expired_reset_token(client, admin, smtp):
    user = create(client, admin)
    client.post("/api/v4/users/password/reset/send", json={"email": user["email"]})
    token = link_token(smtp.messages[-1])
    models.Token.update(create_at=1).where(models.Token.token == token).execute()
    response = client.post("/api/v4/users/password/reset", json={"token": token, "new_password": "whatever-1"})
    assert response.get_json()["id"] == "api.user.reset_password.link_expired.app_error"


def test_email_verification(client, admin, smtp, app):
    user = create(client, admin)
    smtp.messages.clear()
    assert client.post("/api/v4/users/email/verify/send", json={"email": user["email"]}).status_code == 200
    token = link_token(smtp.messages[-1])
    assert client.post("/api/v4/users/email/verify", json={"token": "0" * 64}).status_code == 400
    assert client.post("/api/v4/users/email/verify", json={"token": token}).status_code == 200
    assert models.User.get_by_id(user["id"]).email_verified
    # With RequireEmailVerification, an unverified account cannot log in.
    unverified = create(client, admin)
    app.config["MM_CONFIG"]["EmailSettings"]["RequireEmailVerification"] = True
    try:
        refused = client.post("/api/v4/users/login", json={"login_id": unverified["username"], "password": PASSWORD})
        assert refused.get_json()["id"] == "api.user.login.not_verified.app_error"
        login(client, user["username"])
    finally:
        app.config["MM_CONFIG"]["EmailSettings"]["RequireEmailVerification"] = False
