"""Handlers for the 'brand' operations of the document."""
import flask

from api import config as config_module, errors
from handlers.stub import stub



@stub("UploadBrandImage")
def upload_brand_image(**kwargs):
    """POST /api/v4/brand/image"""


@stub("DeleteBrandImage")
def delete_brand_image(**kwargs):
    """DELETE /api/v4/brand/image"""


BRAND_IMAGE = "brand/image.png"


def get_brand_image():
    """The login page's custom brand image, from the file store."""
    from store.files import FileStore, FileStoreError
    try:
        image = FileStore(config_module.current()["FileSettings"]["Directory"]).read(BRAND_IMAGE)
    except FileStoreError as e:
        raise errors.AppError(500, "api.admin.get_brand_image.storage.app_error",
                              "The file store could not be read.", str(e))
    if image is None:
        raise errors.AppError(404, "app.brand.get_brand_image.not_found.app_error",
                              "No custom brand image has been uploaded.")
    return flask.Response(image, mimetype="image/png")
