"""Handlers for post and file search. Re-exported by handlers/posts.py and
handlers/teams.py, where the router looks for them.

The search syntax and both engines are in store/search.py. A search only ever
looks at channels the caller is a member of; a team search needs view_team.
"""
import json

import flask

from api import config as config_module, errors, permissions
from handlers import common
from store import file_infos, posts as store_posts, search as store_search

NO_CACHE = {"Cache-Control": "no-cache, no-store, must-revalidate"}


def _invalid_body(kind):
    if kind == "files":
        return errors.AppError(400, "api.post.search_files.invalid_body.app_error",
                               "The file search request body could not be read.")
    return errors.AppError(400, "api.post.search_posts.invalid_body.app_error",
                           "The post search request body could not be read.")


def _int(value, default):
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _bool(value):
    if isinstance(value, str):
        return value.strip().lower() in ("1", "t", "true")
    return value is True


class _Params:
    """A search request body read as Mattermost reads model.SearchParameter."""

    def __init__(self, body, kind):
        if not isinstance(body, dict):
            raise _invalid_body(kind)
        terms = body.get("terms")
        if not isinstance(terms, str) or terms == "":
            raise errors.invalid_param("terms")
        self.terms = terms
        self.is_or_search = _bool(body.get("is_or_search"))
        self.time_zone_offset = _int(body.get("time_zone_offset"), 0)
        self.include_deleted_channels = _bool(body.get("include_deleted_channels"))
        page = _int(body.get("page"), 0)
        per_page = _int(body.get("per_page"), common.PER_PAGE_DEFAULT)
        self.offset, self.limit = common.paging(page, per_page)


def _include_deleted(params):
    return params.include_deleted_channels and bool(
        config_module.current()["TeamSettings"].get("ExperimentalViewArchivedChannels", True))


def _search_posts(body, team_id):
    params = _Params(body, "posts")
    session = common.session()
    if not config_module.current()["ServiceSettings"].get("EnablePostSearch", True):
        raise errors.AppError(501, "store.sql_post.search.disabled",
                              "Searching messages is turned off on this server.",
                              "teamId=%s userId=%s" % (team_id, session.user_id))
    query = store_search.parse(params.terms)
    found = store_search.search_posts(query, session.user_id, team_id, or_terms=params.is_or_search,
                                      include_deleted_channels=_include_deleted(params),
                                      tz_offset=params.time_zone_offset, offset=params.offset,
                                      limit=params.limit)
    result = store_posts.post_list_json(store_posts.posts_json([post for post, _ in found]))
    result["matches"] = {post.id: words for post, words in found if words}
    return result, 200, NO_CACHE


def search_posts(team_id, body=None):
    """POST /api/v4/teams/{team_id}/posts/search"""
    team_id = common.path_id(team_id, "team_id")
    permissions.require_team(common.session(), team_id, "view_team")
    return _search_posts(body, team_id)


def search_posts_in_all_teams(body=None):
    """POST /api/v4/posts/search"""
    return _search_posts(body, "")


def _file_search_body(body):
    """The body of a file search: JSON, as Mattermost's clients send it, or
    the form fields the document describes."""
    if isinstance(body, dict) and body:
        return body
    request = flask.request
    raw = request.get_data(cache=True)
    if request.mimetype != "multipart/form-data" and request.mimetype != "application/x-www-form-urlencoded":
        try:
            return json.loads(raw or b"null")
        except ValueError:
            raise _invalid_body("files")
    form = request.form
    fields = {}
    for name in ("terms", "is_or_search", "include_deleted_channels"):
        if name in form:
            fields[name] = form[name]
    for name in ("time_zone_offset", "page", "per_page"):
        if name in form:
            try:
                fields[name] = int(form[name])
            except ValueError:
                raise _invalid_body("files")
    return fields


def search_files(team_id, body=None, **_):
    """POST /api/v4/teams/{team_id}/files/search"""
    team_id = common.path_id(team_id, "team_id")
    session = common.session()
    permissions.require_team(session, team_id, "view_team")
    params = _Params(_file_search_body(body), "files")
    if not config_module.current()["ServiceSettings"].get("EnableFileSearch", True):
        raise errors.AppError(501, "store.sql_file_info.search.disabled",
                              "Searching files is turned off on this server.",
                              "teamId=%s userId=%s" % (team_id, session.user_id))
    query = store_search.parse(params.terms)
    found = store_search.search_files(query, session.user_id, team_id, or_terms=params.is_or_search,
                                      include_deleted_channels=_include_deleted(params),
                                      tz_offset=params.time_zone_offset, offset=params.offset,
                                      limit=params.limit)
    result = {"order": [info.id for info in found],
              "file_infos": {info.id: file_infos.file_info_json(info) for info in found},
              "next_file_id": "", "prev_file_id": "", "first_inaccessible_file_time": 0}
    return result, 200, NO_CACHE
