"""Handlers for the 'plugins' operations of the document."""
from api import config as config_module, errors
from handlers.stub import stub


@stub("UploadPlugin")
def upload_plugin(**kwargs):
    """POST /api/v4/plugins"""


@stub("GetPlugins")
def get_plugins(**kwargs):
    """GET /api/v4/plugins"""


@stub("InstallPluginFromUrl")
def install_plugin_from_url(**kwargs):
    """POST /api/v4/plugins/install_from_url"""


@stub("InstallMarketplacePlugin")
def install_marketplace_plugin(**kwargs):
    """POST /api/v4/plugins/marketplace"""


@stub("GetMarketplacePlugins")
def get_marketplace_plugins(**kwargs):
    """GET /api/v4/plugins/marketplace"""


@stub("GetMarketplaceVisitedByAdmin")
def get_marketplace_visited_by_admin(**kwargs):
    """GET /api/v4/plugins/marketplace/first_admin_visit"""


@stub("ReattachPlugin")
def reattach_plugin(**kwargs):
    """POST /api/v4/plugins/reattach"""


@stub("GetPluginStatuses")
def get_plugin_statuses(**kwargs):
    """GET /api/v4/plugins/statuses"""



@stub("RemovePlugin")
def remove_plugin(**kwargs):
    """DELETE /api/v4/plugins/{plugin_id}"""


@stub("GetPluginAccessControl")
def get_plugin_access_control(**kwargs):
    """GET /api/v4/plugins/{plugin_id}/access_control"""


@stub("SetPluginAccessControl")
def set_plugin_access_control(**kwargs):
    """PUT /api/v4/plugins/{plugin_id}/access_control"""


@stub("DetachPlugin")
def detach_plugin(**kwargs):
    """POST /api/v4/plugins/{plugin_id}/detach"""


@stub("DisablePlugin")
def disable_plugin(**kwargs):
    """POST /api/v4/plugins/{plugin_id}/disable"""


@stub("EnablePlugin")
def enable_plugin(**kwargs):
    """POST /api/v4/plugins/{plugin_id}/enable"""


def get_webapp_plugins():
    """Manifests of the active plugins with a web app part. This server runs no
    plugins, so with plugins enabled the list is empty."""
    if not config_module.current()["PluginSettings"]["Enable"]:
        raise errors.AppError(501, "app.plugin.disabled.app_error", "Plugins are turned off on this server.")
    return []
