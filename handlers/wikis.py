"""Handlers for the 'wikis' operations of the document."""
from handlers.stub import stub


@stub("ListChannelWikis")
def list_channel_wikis(**kwargs):
    """GET /api/v4/channels/{channel_id}/wikis"""


@stub("CreateWiki")
def create_wiki(**kwargs):
    """POST /api/v4/wikis"""


@stub("GetWiki")
def get_wiki(**kwargs):
    """GET /api/v4/wikis/{wiki_id}"""


@stub("UpdateWiki")
def update_wiki(**kwargs):
    """PATCH /api/v4/wikis/{wiki_id}"""


@stub("DeleteWiki")
def delete_wiki(**kwargs):
    """DELETE /api/v4/wikis/{wiki_id}"""


@stub("GetPageDraftsForWiki")
def get_page_drafts_for_wiki(**kwargs):
    """GET /api/v4/wikis/{wiki_id}/drafts"""


@stub("CreatePageDraft")
def create_page_draft(**kwargs):
    """POST /api/v4/wikis/{wiki_id}/drafts"""


@stub("GetPageDraft")
def get_page_draft(**kwargs):
    """GET /api/v4/wikis/{wiki_id}/drafts/{draft_id}"""


@stub("SavePageDraft")
def save_page_draft(**kwargs):
    """PUT /api/v4/wikis/{wiki_id}/drafts/{draft_id}"""


@stub("DeletePageDraft")
def delete_page_draft(**kwargs):
    """DELETE /api/v4/wikis/{wiki_id}/drafts/{draft_id}"""


@stub("NotifyEditorStopped")
def notify_editor_stopped(**kwargs):
    """POST /api/v4/wikis/{wiki_id}/drafts/{draft_id}/editor_stopped"""


@stub("MovePageDraft")
def move_page_draft(**kwargs):
    """POST /api/v4/wikis/{wiki_id}/drafts/{draft_id}/move"""


@stub("PublishPageDraft")
def publish_page_draft(**kwargs):
    """POST /api/v4/wikis/{wiki_id}/drafts/{draft_id}/publish"""


@stub("MoveWikiToChannel")
def move_wiki_to_channel(**kwargs):
    """POST /api/v4/wikis/{wiki_id}/move"""


@stub("GetWikiPages")
def get_wiki_pages(**kwargs):
    """GET /api/v4/wikis/{wiki_id}/pages"""


@stub("CreatePage")
def create_page(**kwargs):
    """POST /api/v4/wikis/{wiki_id}/pages"""


@stub("GetWikiPage")
def get_wiki_page(**kwargs):
    """GET /api/v4/wikis/{wiki_id}/pages/{page_id}"""


@stub("UpdatePage")
def update_page(**kwargs):
    """PUT /api/v4/wikis/{wiki_id}/pages/{page_id}"""


@stub("DeletePage")
def delete_page(**kwargs):
    """DELETE /api/v4/wikis/{wiki_id}/pages/{page_id}"""


@stub("GetPageActiveEditors")
def get_page_active_editors(**kwargs):
    """GET /api/v4/wikis/{wiki_id}/pages/{page_id}/active_editors"""


@stub("GetPageBreadcrumb")
def get_page_breadcrumb(**kwargs):
    """GET /api/v4/wikis/{wiki_id}/pages/{page_id}/breadcrumb"""


@stub("GetPageComments")
def get_page_comments(**kwargs):
    """GET /api/v4/wikis/{wiki_id}/pages/{page_id}/comments"""


@stub("CreatePageComment")
def create_page_comment(**kwargs):
    """POST /api/v4/wikis/{wiki_id}/pages/{page_id}/comments"""


@stub("ResolvePageComment")
def resolve_page_comment(**kwargs):
    """POST /api/v4/wikis/{wiki_id}/pages/{page_id}/comments/{comment_id}/resolve"""


@stub("UnresolvePageComment")
def unresolve_page_comment(**kwargs):
    """POST /api/v4/wikis/{wiki_id}/pages/{page_id}/comments/{comment_id}/unresolve"""


@stub("CreatePageCommentReply")
def create_page_comment_reply(**kwargs):
    """POST /api/v4/wikis/{wiki_id}/pages/{page_id}/comments/{parent_comment_id}/replies"""


@stub("DuplicatePage")
def duplicate_page(**kwargs):
    """POST /api/v4/wikis/{wiki_id}/pages/{page_id}/duplicate"""


@stub("MovePageToWiki")
def move_page_to_wiki(**kwargs):
    """PUT /api/v4/wikis/{wiki_id}/pages/{page_id}/move"""


@stub("UpdatePageParent")
def update_page_parent(**kwargs):
    """PUT /api/v4/wikis/{wiki_id}/pages/{page_id}/parent"""


@stub("RestorePage")
def restore_page(**kwargs):
    """POST /api/v4/wikis/{wiki_id}/pages/{page_id}/restore"""


@stub("GetPageVersionHistory")
def get_page_version_history(**kwargs):
    """GET /api/v4/wikis/{wiki_id}/pages/{page_id}/version_history"""
