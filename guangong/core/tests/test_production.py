"""The production set-up of the README works: static files collect into a manifest, and pages
render with the manifest storage (a page naming a file missing from it would be a 500)."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from guangong.core import crypto

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "guangong"

# What ManifestStaticFilesStorage follows in a CSS or JS file: each must name a real file.
REFERENCE_RES = [
    re.compile(r"""url\(\s*['"]?(?!data:|#|https?:|//)([^'")\s]+)"""),
    re.compile(r"""@import\s+['"]([^'"]+)['"]"""),
    re.compile(r"""sourceMappingURL=([^\s*]+)"""),
]


def our_assets() -> list[Path]:
    return sorted(
        path
        for pattern in ("*/static/**/*.css", "*/static/**/*.js")
        for path in PACKAGE.glob(pattern)
    )


def test_our_css_and_js_name_no_missing_file():
    """A vendored file naming a source map that is not in the repository broke collectstatic."""
    assets = our_assets()
    assert any("bootstrap.bundle.min.js" in str(p) for p in assets)
    missing = []
    for path in assets:
        text = path.read_text(encoding="utf-8")
        for pattern in REFERENCE_RES:
            for reference in pattern.findall(text):
                if "+" in reference:  # a string being built in a script, not a file name
                    continue
                target = (path.parent / reference.split("?")[0].split("#")[0]).resolve()
                if not target.is_file():
                    missing.append(f"{path.relative_to(ROOT)} → {reference}")
    assert missing == []


def test_vendored_scripts_keep_their_licence_header():
    text = (PACKAGE / "core/static/vendor/bootstrap-5.3.8/bootstrap.bundle.min.js").read_text()
    assert text.startswith("/*!\n  * Bootstrap v5.3.8")
    assert "Licensed under MIT" in text.splitlines()[3]


def test_every_static_file_a_template_names_exists():
    named = set()
    for template in PACKAGE.glob("*/templates/**/*.html"):
        named.update(re.findall(r"{% static ['\"]([^'\"]+)['\"] %}", template.read_text()))
    assert "core/guangong.css" in named
    assert [name for name in sorted(named) if finders.find(name) is None] == []


# --- collectstatic and a page, in production mode --------------------------------------------


def production_env(tmp: Path) -> dict[str, str]:
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PYTHONPATH", "VIRTUAL_ENV"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        DJANGO_SETTINGS_MODULE="guangong.settings",
        GUANGONG_ENV="production",
        SECRET_KEY="p" + crypto.generate_key(),
        FIELD_ENCRYPTION_KEYS="k1:" + crypto.generate_key(),
        FIELD_HASH_KEY=crypto.generate_key(),
        ALLOWED_HOSTS="testserver,ggw.example.gov.cn",
        STATIC_ROOT=str(tmp / "static"),
        GUANGONG_VAR_DIR=str(tmp / "var"),
    )
    return env


def run(env: dict[str, str], *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """``guangong collectstatic --noinput`` as the README says, once for this module."""
    tmp = tmp_path_factory.mktemp("production")
    env = production_env(tmp)
    result = run(env, "manage.py", "collectstatic", "--noinput")
    return env, result


def test_collectstatic_succeeds_in_production(collected):
    env, result = collected

    assert result.returncode == 0, result.stderr[-2000:]
    manifest = json.loads((Path(env["STATIC_ROOT"]) / "staticfiles.json").read_text())
    hashed = manifest["paths"]["vendor/bootstrap-5.3.8/bootstrap.bundle.min.js"]
    assert re.fullmatch(r"vendor/bootstrap-5\.3\.8/bootstrap\.bundle\.min\.\w{12}\.js", hashed)
    assert (Path(env["STATIC_ROOT"]) / hashed).is_file()


RENDER = """
from django.test import Client
client = Client()
login = client.get("/accounts/login/")
missing = client.get("/help/no-such-page/")  # public: a 404, not the login
print(login.status_code, missing.status_code)
print(login.content.decode())
print(missing.content.decode())
"""


def test_pages_render_with_the_manifest_storage(collected):
    env, result = collected
    assert result.returncode == 0, result.stderr[-2000:]

    page = run(env, "-c", f"import django; django.setup()\n{RENDER}", timeout=120)

    assert page.returncode == 0, page.stderr[-2000:]
    first, html = page.stdout.split("\n", 1)
    assert first == "200 404"
    # Hashed names from the manifest, for the pages and for the error page alike.
    assert re.search(r"/static/vendor/bootstrap-5\.3\.8/bootstrap\.min\.[0-9a-f]{12}\.css", html)
    assert html.count("bootstrap.min.") >= 2
    assert "登录" in html and "该页面不存在" in html
