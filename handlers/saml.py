"""Handlers for the 'SAML' operations of the document."""
from api import errors
from handlers.stub import stub


@stub("UploadSamlIdpCertificate")
def upload_saml_idp_certificate(**kwargs):
    """POST /api/v4/saml/certificate/idp"""


@stub("DeleteSamlIdpCertificate")
def delete_saml_idp_certificate(**kwargs):
    """DELETE /api/v4/saml/certificate/idp"""


@stub("UploadSamlPrivateCertificate")
def upload_saml_private_certificate(**kwargs):
    """POST /api/v4/saml/certificate/private"""


@stub("DeleteSamlPrivateCertificate")
def delete_saml_private_certificate(**kwargs):
    """DELETE /api/v4/saml/certificate/private"""


@stub("UploadSamlPublicCertificate")
def upload_saml_public_certificate(**kwargs):
    """POST /api/v4/saml/certificate/public"""


@stub("DeleteSamlPublicCertificate")
def delete_saml_public_certificate(**kwargs):
    """DELETE /api/v4/saml/certificate/public"""


@stub("GetSamlCertificateStatus")
def get_saml_certificate_status(**kwargs):
    """GET /api/v4/saml/certificate/status"""




@stub("ResetSamlAuthDataToEmail")
def reset_saml_auth_data_to_email(**kwargs):
    """POST /api/v4/saml/reset_auth_data"""


def _saml_not_available():
    # SAML needs Mattermost's Enterprise SAML interface: unlicensed servers answer 501.
    return errors.AppError(501, "api.admin.saml.not_available.app_error",
                           "SAML single sign-on is not available on this server.")


def get_saml_metadata():
    raise _saml_not_available()


def get_saml_metadata_from_idp(body):
    raise _saml_not_available()
