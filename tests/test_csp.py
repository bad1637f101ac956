import pytest

pytestmark = pytest.mark.django_db


def test_the_site_forbids_inline_script_and_the_admin_alone_allows_it(client, editor):
    client.force_login(editor)
    site_policy = client.get("/").headers["Content-Security-Policy"]
    assert (
        "script-src 'self'" in site_policy and "unsafe-inline" not in site_policy.split("script-src")[1].split(";")[0]
    )
    admin_policy = client.get("/cms/").headers["Content-Security-Policy"]
    assert "'unsafe-inline'" in admin_policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in site_policy
