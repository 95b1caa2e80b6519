"""Publishing: the GitHub Pages workflow, and `mkdocs gh-deploy` of the example site.

The wheel is checked by `.ci/check_wheel.sh` (it builds and installs into a fresh venv, which is
too slow for the unit tests); here only its syntax is checked.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from site_building import EXAMPLE_SITE

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"
CHECK_WHEEL = ROOT / ".ci" / "check_wheel.sh"


# --- the GitHub Actions workflow ---------------------------------------------------------------


@pytest.fixture(scope="module")
def workflow() -> dict:
    with WORKFLOW.open(encoding="utf-8") as stream:
        return yaml.safe_load(stream)


def _triggers(workflow: dict) -> dict:
    # YAML 1.1 reads the bare key `on` as the boolean True; GitHub reads it as "on".
    triggers = workflow.get("on", workflow.get(True))
    assert triggers is not None, "the workflow has no 'on' key"
    if isinstance(triggers, str):
        return {triggers: None}
    if isinstance(triggers, list):
        return dict.fromkeys(triggers)
    return triggers


def _steps(workflow: dict, job: str) -> list[dict]:
    steps = workflow["jobs"][job]["steps"]
    assert isinstance(steps, list)
    assert steps, f"job {job} has no steps"
    return steps


def _uses(steps: list[dict], action: str) -> list[dict]:
    return [s for s in steps if s.get("uses", "").split("@")[0] == action]


def _runs(steps: list[dict]) -> list[str]:
    return [s["run"] for s in steps if "run" in s]


def test_workflow_runs_on_push_to_main_and_by_hand(workflow: dict) -> None:
    triggers = _triggers(workflow)
    assert "main" in triggers["push"]["branches"]
    assert "workflow_dispatch" in triggers


def test_workflow_may_deploy_to_pages(workflow: dict) -> None:
    permissions = workflow["permissions"]
    assert permissions["pages"] == "write"
    assert permissions["id-token"] == "write"
    assert permissions.get("contents", "read") == "read"
    assert workflow["concurrency"]["group"] == "pages"


def test_every_step_uses_an_action_or_runs_a_command(workflow: dict) -> None:
    for job_name, job in workflow["jobs"].items():
        assert "runs-on" in job, job_name
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), f"{job_name}: {step}"


def test_every_action_is_pinned_to_a_version(workflow: dict) -> None:
    for job_name, job in workflow["jobs"].items():
        for step in job["steps"]:
            if "uses" in step:
                action, _, ref = step["uses"].partition("@")
                assert action and ref.startswith("v"), f"{job_name}: {step['uses']} is not pinned"


def test_build_job_installs_the_project_and_builds_the_docs_site_strictly(
    workflow: dict,
) -> None:
    steps = _steps(workflow, "build")
    assert _uses(steps, "actions/checkout")
    assert _uses(steps, "actions/setup-python")

    runs = _runs(steps)
    installs = [r for r in runs if "pip install" in r]
    assert installs, "no step pip-installs the project"
    targets = [t.strip("\"'") for r in installs for t in r.split()]
    assert any(t == "." or t.startswith(".[") for t in targets), installs

    builds = [r for r in runs if "mkdocs build" in r]
    assert len(builds) == 1, builds
    assert "--strict" in builds[0]
    # The documentation site, with the example site's playlists as its live example.
    assert "docs/mkdocs.yml" in builds[0]
    # The install comes before the build.
    assert runs.index(installs[0]) < runs.index(builds[0])


def test_build_job_caches_the_plugin_cache_next_to_mkdocs_yml(workflow: dict) -> None:
    (cache,) = _uses(_steps(workflow, "build"), "actions/cache")
    path = cache["with"]["path"]
    assert ".cache" in path
    # cache_dir is relative to mkdocs.yml, which is in docs/.
    assert path.strip().startswith("docs/.cache")
    assert cache["with"]["key"].startswith("mkdocs-material-")


def test_build_job_uploads_the_built_site(workflow: dict) -> None:
    steps = _steps(workflow, "build")
    (upload,) = _uses(steps, "actions/upload-pages-artifact")
    (build,) = [r for r in _runs(steps) if "mkdocs build" in r]
    # `-d ../site` is resolved against docs/ (the folder of mkdocs.yml): site/ at the root.
    assert "-d ../site" in build or "--site-dir ../site" in build
    assert upload["with"]["path"].strip("./") == "site"
    assert steps.index(upload) > max(i for i, s in enumerate(steps) if "run" in s)


def test_deploy_job_deploys_the_build(workflow: dict) -> None:
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    (step,) = _uses(deploy["steps"], "actions/deploy-pages")
    assert deploy["environment"]["url"] == f"${{{{ steps.{step['id']}.outputs.page_url }}}}"


def test_wheel_check_script_is_valid_bash() -> None:
    text = CHECK_WHEEL.read_text(encoding="utf-8")
    assert "set -euo pipefail" in text
    if shutil.which("bash") is None:
        pytest.skip("bash is not on PATH")
    subprocess.run(["bash", "-n", str(CHECK_WHEEL)], check=True)


# --- mkdocs gh-deploy, end to end --------------------------------------------------------------


def _git_bytes(*args: str | Path, cwd: Path, env: dict[str, str]) -> bytes:
    result = subprocess.run(
        ["git", *map(str, args)], cwd=cwd, env=env, capture_output=True, check=False
    )
    command = " ".join(map(str, args))
    assert result.returncode == 0, f"git {command}:\n{result.stderr.decode(errors='replace')}"
    return result.stdout


def _git(*args: str | Path, cwd: Path, env: dict[str, str]) -> None:
    _git_bytes(*args, cwd=cwd, env=env)


def _listing(directory: Path) -> set[str]:
    return {str(p.relative_to(directory)) for p in directory.rglob("*")}


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not on PATH")
def test_gh_deploy_pushes_the_example_site_with_its_playlist_page(
    tmp_path: Path, example_site_copy: Path
) -> None:
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        # Keep the developer's or CI's git configuration (hooks, signing, templates) out of it.
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_TERMINAL_PROMPT": "0",
    }
    site = example_site_copy
    remote = tmp_path / "remote.git"
    _git("init", "--bare", "--quiet", remote, cwd=tmp_path, env=env)

    _git("init", "--quiet", "--initial-branch=main", cwd=site, env=env)
    _git("config", "user.name", "Test", cwd=site, env=env)
    _git("config", "user.email", "test@example.invalid", cwd=site, env=env)
    _git("config", "commit.gpgsign", "false", cwd=site, env=env)
    _git("add", "--all", cwd=site, env=env)
    _git("commit", "--quiet", "-m", "Example site", cwd=site, env=env)
    _git("remote", "add", "origin", remote, cwd=site, env=env)

    before = _listing(EXAMPLE_SITE)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "gh-deploy", "--force", "--strict", "-f", "mkdocs.yml"],
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert _listing(EXAMPLE_SITE) == before, "gh-deploy of the copy wrote into the checkout"
    # The plugin's cache went next to the copy's mkdocs.yml.
    assert any((site / ".cache" / "plugin" / "playlist-clusters").iterdir())

    def on_gh_pages(*args: str) -> bytes:
        return _git_bytes("--git-dir", remote, *args, cwd=tmp_path, env=env)

    published = on_gh_pages("ls-tree", "-r", "--name-only", "gh-pages").decode().splitlines()
    for name in (
        "index.html",
        "playlists/demo-mixtape/index.html",
        "playlists/demo-mixtape-clusters.png",
        ".nojekyll",
    ):
        assert name in published, f"{name} not on gh-pages: {published}"

    page = on_gh_pages("show", "gh-pages:playlists/demo-mixtape/index.html").decode()
    assert "Demo Mixtape" in page
    assert "demo-mixtape-clusters.png" in page
    image = on_gh_pages("show", "gh-pages:playlists/demo-mixtape-clusters.png")
    assert image.startswith(b"\x89PNG\r\n\x1a\n")
