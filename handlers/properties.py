"""Handlers for the 'properties' operations of the document."""
from handlers.stub import stub


@stub("SearchPropertyFields")
def search_property_fields(**kwargs):
    """POST /api/v4/properties/groups/{group_name}/fields/search"""


@stub("GetSystemPropertyValues")
def get_system_property_values(**kwargs):
    """GET /api/v4/properties/groups/{group_name}/system/values"""


@stub("UpdateSystemPropertyValues")
def update_system_property_values(**kwargs):
    """PATCH /api/v4/properties/groups/{group_name}/system/values"""


@stub("CreatePropertyField")
def create_property_field(**kwargs):
    """POST /api/v4/properties/groups/{group_name}/{object_type}/fields"""


@stub("GetPropertyFields")
def get_property_fields(**kwargs):
    """GET /api/v4/properties/groups/{group_name}/{object_type}/fields"""


@stub("UpdatePropertyField")
def update_property_field(**kwargs):
    """PATCH /api/v4/properties/groups/{group_name}/{object_type}/fields/{field_id}"""


@stub("DeletePropertyField")
def delete_property_field(**kwargs):
    """DELETE /api/v4/properties/groups/{group_name}/{object_type}/fields/{field_id}"""


@stub("GetPropertyValues")
def get_property_values(**kwargs):
    """GET /api/v4/properties/groups/{group_name}/{object_type}/values/{target_id}"""


@stub("UpdatePropertyValues")
def update_property_values(**kwargs):
    """PATCH /api/v4/properties/groups/{group_name}/{object_type}/values/{target_id}"""
