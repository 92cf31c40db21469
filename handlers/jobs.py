"""Handlers for the 'jobs' operations of the document."""
from handlers.stub import stub


@stub("GetJobs")
def get_jobs(**kwargs):
    """GET /api/v4/jobs"""


@stub("CreateJob")
def create_job(**kwargs):
    """POST /api/v4/jobs"""


@stub("GetJobsByType")
def get_jobs_by_type(**kwargs):
    """GET /api/v4/jobs/type/{type}"""


@stub("GetJob")
def get_job(**kwargs):
    """GET /api/v4/jobs/{job_id}"""


@stub("CancelJob")
def cancel_job(**kwargs):
    """POST /api/v4/jobs/{job_id}/cancel"""


@stub("DownloadJob")
def download_job(**kwargs):
    """GET /api/v4/jobs/{job_id}/download"""


@stub("UpdateJobStatus")
def update_job_status(**kwargs):
    """PATCH /api/v4/jobs/{job_id}/status"""
