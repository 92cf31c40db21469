"""Handlers for the 'LDAP' operations of the document."""
from handlers.stub import stub


@stub("UploadLdapPrivateCertificate")
def upload_ldap_private_certificate(**kwargs):
    """POST /api/v4/ldap/certificate/private"""


@stub("DeleteLdapPrivateCertificate")
def delete_ldap_private_certificate(**kwargs):
    """DELETE /api/v4/ldap/certificate/private"""


@stub("UploadLdapPublicCertificate")
def upload_ldap_public_certificate(**kwargs):
    """POST /api/v4/ldap/certificate/public"""


@stub("DeleteLdapPublicCertificate")
def delete_ldap_public_certificate(**kwargs):
    """DELETE /api/v4/ldap/certificate/public"""


@stub("GetLdapGroups")
def get_ldap_groups(**kwargs):
    """GET /api/v4/ldap/groups"""


@stub("LinkLdapGroup")
def link_ldap_group(**kwargs):
    """POST /api/v4/ldap/groups/{remote_id}/link"""


@stub("MigrateIdLdap")
def migrate_id_ldap(**kwargs):
    """POST /api/v4/ldap/migrateid"""


@stub("SyncLdap")
def sync_ldap(**kwargs):
    """POST /api/v4/ldap/sync"""


@stub("TestLdap")
def test_ldap(**kwargs):
    """POST /api/v4/ldap/test"""


@stub("TestLdapConnection")
def test_ldap_connection(**kwargs):
    """POST /api/v4/ldap/test_connection"""


@stub("TestLdapDiagnostics")
def test_ldap_diagnostics(**kwargs):
    """POST /api/v4/ldap/test_diagnostics"""


@stub("AddUserToGroupSyncables")
def add_user_to_group_syncables(**kwargs):
    """POST /api/v4/ldap/users/{user_id}/group_sync_memberships"""
