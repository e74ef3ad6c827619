"""Redis is not trusted (issue 16, finding 7): it answers only with a password, in every environment
(the embedded one the tests run on too); cached values are JSON, so nothing planted in it runs as code
in a web or worker process; and the values that steer a request (the host's route, a cooperative's
settings) are signed for their key, so a planted or copied value cannot re-route a host."""

import json
import pickle
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.core.cache import cache, caches
from django.core.exceptions import ImproperlyConfigured
from django_redis import get_redis_connection

from config.settings.base import redis_url_authenticated
from cooperatives.routing import route_for_host, routes_forget_local
from tasks.celery import app
from tenants_portal.configuration.selectors import instance_settings_forget, instance_settings_get


class _RunsCode:
    """A pickle that writes a file when unpickled: what an attacker who can write to Redis would plant."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.write_text, (self.marker, "ran"))


def test_redis_refuses_a_client_without_the_password():
    url = redis.connection.parse_url(settings.REDIS_URL)
    assert url["password"]
    without = redis.Redis(host=url["host"], port=url["port"])
    with pytest.raises(redis.AuthenticationError):
        without.ping()
    assert redis.Redis.from_url(settings.REDIS_URL).ping() is True


@pytest.mark.parametrize("url", ["redis://127.0.0.1:6379/0", "redis://user@redis:6379/1", "rediss://host/0"])
def test_settings_refuse_a_redis_url_without_a_password(url):
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL has no password"):
        redis_url_authenticated("REDIS_URL", url)


@pytest.mark.parametrize("url", ["redis://:secret@127.0.0.1:6379/0", "unix:///run/redis.sock?password=secret"])
def test_settings_take_a_redis_url_with_a_password(url):
    assert redis_url_authenticated("REDIS_URL", url) == url


def test_celery_takes_only_json_messages():
    assert (app.conf.task_serializer, app.conf.accept_content) == ("json", ["json"])


def _plant(alias: str, key: str, raw: bytes) -> None:
    get_redis_connection(alias).set(caches[alias].make_key(key), raw)


def test_a_route_planted_or_copied_in_redis_does_not_reroute_a_host(coop_a, coop_b):
    beta = route_for_host(hostname=coop_b.host)  # caches beta's sealed route
    beta_sealed = get_redis_connection("platform").get(caches["platform"].make_key(f"route:{coop_b.host}"))
    planted = json.dumps({"id": beta.id, "schema_name": beta.schema_name, "slug": "alfa", "name": "Alfa",
                          "status": "active"}).encode()
    for raw in (planted, beta_sealed):
        _plant("platform", f"route:{coop_a.host}", raw)
        routes_forget_local()
        assert route_for_host(hostname=coop_a.host).schema_name == "coop_alfa"
        page = coop_a.client().get("/logowanie/")
        assert page.status_code == 200 and "Alfa" in page.content.decode()


@pytest.mark.parametrize("target", ["route", "instance-settings"])
def test_a_pickle_planted_in_redis_runs_no_code_and_breaks_no_page(coop_a, tmp_path, target):
    marker = tmp_path / "ran"
    bomb = pickle.dumps(_RunsCode(marker))
    if target == "route":
        _plant("platform", f"route:{coop_a.host}", bomb)
        routes_forget_local()
    else:
        with coop_a.use():
            instance_settings_forget()
            _plant("default", "instance-settings", bomb)
    page = coop_a.client().get("/logowanie/")
    with coop_a.use():
        policy = instance_settings_get().password_min_length
    assert (page.status_code, policy) == (200, 6)
    assert not marker.exists()


def test_a_cooperatives_settings_copied_under_another_cooperatives_key_are_not_taken(coop_a, coop_b):
    with coop_b.use():
        instance_settings_forget()
        assert instance_settings_get().password_min_length == 12
        beta_sealed = get_redis_connection("default").get(cache.make_key("instance-settings"))
    with coop_a.use():
        instance_settings_forget()
        _plant("default", "instance-settings", beta_sealed)
        assert instance_settings_get().password_min_length == 6
