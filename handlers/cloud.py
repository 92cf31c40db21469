"""Handlers for the 'cloud' operations of the document."""
from api import errors
from handlers.stub import stub



@stub("GetCloudCustomer")
def get_cloud_customer(**kwargs):
    """GET /api/v4/cloud/customer"""


@stub("UpdateCloudCustomer")
def update_cloud_customer(**kwargs):
    """PUT /api/v4/cloud/customer"""


@stub("UpdateCloudCustomerAddress")
def update_cloud_customer_address(**kwargs):
    """PUT /api/v4/cloud/customer/address"""


@stub("GetEndpointForInstallationInformation")
def get_endpoint_for_installation_information(**kwargs):
    """GET /api/v4/cloud/installation"""


@stub("GetCloudLimits")
def get_cloud_limits(**kwargs):
    """GET /api/v4/cloud/limits"""


@stub("GetPreviewModalData")
def get_preview_modal_data(**kwargs):
    """GET /api/v4/cloud/preview/modal_data"""


@stub("GetCloudProducts")
def get_cloud_products(**kwargs):
    """GET /api/v4/cloud/products"""


@stub("GetSubscription")
def get_subscription(**kwargs):
    """GET /api/v4/cloud/subscription"""


@stub("GetInvoicesForSubscription")
def get_invoices_for_subscription(**kwargs):
    """GET /api/v4/cloud/subscription/invoices"""


@stub("GetInvoiceForSubscriptionAsPdf")
def get_invoice_for_subscription_as_pdf(**kwargs):
    """GET /api/v4/cloud/subscription/invoices/{invoice_id}/pdf"""


@stub("ValidateBusinessEmail")
def validate_business_email(**kwargs):
    """POST /api/v4/cloud/validate-business-email"""


@stub("ValidateWorkspaceBusinessEmail")
def validate_workspace_business_email(**kwargs):
    """POST /api/v4/cloud/validate-workspace-business-email"""


@stub("PostEndpointForCwsWebhooks")
def post_endpoint_for_cws_webhooks(**kwargs):
    """POST /api/v4/cloud/webhook"""


@stub("HostedCustomerSignupAvailable")
def hosted_customer_signup_available(**kwargs):
    """GET /api/v4/hosted_customer/signup_available"""


def check_cws_connection():
    """Mattermost's cloud portal is reached through its Enterprise cloud
    interface; a server without one answers as Team Edition does."""
    raise errors.AppError(400, "api.server.cws.needs_enterprise_edition",
                          "The cloud customer portal is not available on this server.")
