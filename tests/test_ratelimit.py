"""Rate limits as RateLimitSettings configure them."""
from api.ratelimit import Limiter


def test_bucket_allows_burst_then_refuses():
    limiter = Limiter(per_sec=1, max_burst=3, size=10)
    results = [limiter.take("k")[0] for _ in range(4)]
    assert results == [True, True, True, False]
    assert limiter.take("other")[0]


def test_bucket_store_is_bounded():
    limiter = Limiter(per_sec=1, max_burst=1, size=2)
    for key in ("a", "b", "c"):
        limiter.take(key)
    assert len(limiter._buckets) == 2


def test_limits_and_headers(app_factory):
    app = app_factory(RateLimitSettings={"Enable": True, "PerSec": 1, "MaxBurst": 3})
    client = app.test_client()
    responses = [client.get("/api/v4/system/ping") for _ in range(5)]
    assert [r.status_code for r in responses[:3]] == [200, 200, 200]
    assert responses[0].headers["X-Ratelimit-Limit"] == "1"
    assert responses[0].headers["X-Ratelimit-Remaining"] == "2"
    refused = responses[-1]
    assert refused.status_code == 429
    assert refused.get_data(as_text=True) == "limit exceeded"
    assert int(refused.headers["X-Ratelimit-Reset"]) >= 1


def test_off_by_default(client):
    response = client.get("/api/v4/system/ping")
    assert "X-Ratelimit-Limit" not in response.headers


def test_login_is_always_limited(app_factory):
    client = app_factory(PythonSettings={"LoginRateLimitPerSec": 5, "LoginRateLimitMaxBurst": 10}).test_client()
    statuses = [client.post("/api/v4/users/login", json={"login_id": "nobody", "password": "x"}).status_code
                for _ in range(12)]
    assert statuses[:10] == [401] * 10
    assert 429 in statuses[10:]
