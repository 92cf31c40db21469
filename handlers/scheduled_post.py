"""Handlers for the 'scheduled_post' operations of the document.

Mattermost gates every scheduled-post route twice before reading anything of
the request: ServiceSettings.ScheduledPosts must be on (else 400
api.scheduled_posts.feature_disabled), and the server must hold a license
(else 400 api.scheduled_posts.license_error). This server runs as an
unlicensed Team Edition, so with the default configuration every route
answers the license error, as Mattermost's does.
"""
import re

import flask

from api import client_config, config as config_module, errors
from handlers import common

# Mattermost's routes take only these characters in their ids; anything else
# matches no route at all.
_ROUTE_ID = re.compile(r"[A-Za-z0-9]+\Z")


def _route(*values):
    if not all(isinstance(v, str) and _ROUTE_ID.match(v) for v in values):
        raise errors.unknown_url(flask.request.path)


def _require_enabled():
    """Mattermost's requireScheduledPostsEnabled."""
    if not config_module.current()["ServiceSettings"].get("ScheduledPosts", True):
        raise errors.AppError(400, "api.scheduled_posts.feature_disabled",
                              "Scheduled posts are turned off on this server (ServiceSettings.ScheduledPosts).")
    if client_config.unlicensed()["IsLicensed"] != "true":
        raise errors.AppError(400, "api.scheduled_posts.license_error",
                              "Scheduled posts need a license this server does not have.")


def create_scheduled_post(body=None):
    """POST /api/v4/posts/schedule"""
    common.session()
    _require_enabled()


def update_scheduled_post(scheduled_post_id, body=None):
    """PUT /api/v4/posts/schedule/{scheduled_post_id}"""
    common.session()
    _route(scheduled_post_id)
    _require_enabled()


def delete_scheduled_post(scheduled_post_id):
    """DELETE /api/v4/posts/schedule/{scheduled_post_id}"""
    common.session()
    _route(scheduled_post_id)
    _require_enabled()


def get_user_scheduled_posts(team_id, include_direct_channels=False, **_):
    """GET /api/v4/posts/scheduled/team/{team_id}"""
    common.session()
    _route(team_id)
    _require_enabled()
