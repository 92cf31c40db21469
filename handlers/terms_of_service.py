"""Handlers for the 'terms of service' operations of the document."""
from api import errors, permissions
from handlers import common
from store import terms


def terms_json(row):
    return {"id": row.id, "create_at": row.create_at, "user_id": row.user_id, "text": row.text}


def get_terms_of_service():
    row = terms.latest()
    if row is None:
        raise errors.AppError(404, "app.terms_of_service.get.no_rows.app_error",
                              "There are no such terms of service.")
    return terms_json(row)


def create_terms_of_service(**kwargs):
    """Custom terms of service need a license that includes them; this server has none."""
    permissions.require(common.session(), "manage_system")
    raise errors.AppError(400, "api.create_terms_of_service.custom_terms_of_service_disabled.app_error",
                          "Custom terms of service need a license this server does not have.")
