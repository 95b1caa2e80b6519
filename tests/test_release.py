"""Installing and releasing: the README's install lines are ones that work today, and the
release workflow builds, tests the installed wheel, then publishes with trusted publishing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
README = (ROOT / "README.md").read_text(encoding="utf-8")
GIT_REQUIREMENT = re.compile(r'"mkdocs-playlist-clusters @ git\+https://[^"]+"')


def installs_from_the_index(line: str) -> bool:
    """Whether a line pip-installs this package by name (from PyPI, where no release is yet)."""
    return "pip install" in line and "mkdocs-playlist-clusters" in GIT_REQUIREMENT.sub("", line)


def load(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(p.name for p in WORKFLOWS.glob("*.yml")))
def test_every_workflow_is_valid_yaml_with_jobs(name):
    workflow = load(name)
    assert isinstance(workflow, dict) and workflow["jobs"], name
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), step


def test_release_builds_tests_the_installed_wheel_then_publishes_with_trusted_publishing():
    workflow = load("release.yml")
    # PyYAML reads the key `on` as True.
    assert workflow[True]["push"]["tags"] == ["v*"]
    jobs = workflow["jobs"]
    build_runs = " ".join(step.get("run", "") for step in jobs["build"]["steps"])
    assert "python -m build" in build_runs
    test_runs = " ".join(step.get("run", "") for step in jobs["test"]["steps"])
    assert ".whl" in test_runs and "pytest" in test_runs
    # The checkout's package is moved aside, so the tests import the wheel's.
    assert "mv mkdocs_playlist_clusters" in test_runs
    assert test_runs.index("mv mkdocs_playlist_clusters") < test_runs.index("pytest")
    publish = jobs["publish"]
    assert publish["needs"] == "test" and jobs["test"]["needs"] == "build"
    assert publish["environment"]["name"] == "pypi"
    assert publish["permissions"] == {"id-token": "write"}
    assert workflow["permissions"] == {"contents": "read"}  # nothing else may write
    uses = [step.get("uses", "") for step in publish["steps"]]
    assert any(u.startswith("pypa/gh-action-pypi-publish@") for u in uses)
    assert not any("password" in str(step) for step in publish["steps"])  # no token


def test_readme_installs_from_pypi_only_where_marked_as_after_the_first_release():
    lines = README.splitlines()
    found = [i for i, line in enumerate(lines) if installs_from_the_index(line)]
    assert found, "the README should still say how to install once released"
    for i in found:
        context = " ".join(lines[max(0, i - 2) : i + 1]).lower()
        assert "first release" in context or "after it" in context, lines[i]


def test_readme_gives_a_repository_install_and_says_to_replace_owner():
    repository_line = (
        '"mkdocs-playlist-clusters @ git+https://github.com/OWNER/mkdocs-playlist-clusters"'
    )
    assert repository_line in README
    assert "replace `OWNER`" in README or "replace OWNER" in README


def test_readme_checkout_install_is_what_ci_runs():
    assert 'from a checkout, `pip install ".[material]"`' in README
    publish_runs = [step.get("run", "") for step in load("publish.yml")["jobs"]["build"]["steps"]]
    assert 'pip install ".[material]"' in publish_runs
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert (
        'pip install -e ".[test]" && pytest' in ci
        and 'pip install -e ".[test]" && pytest' in README
    )


def test_changelog_has_the_packages_version():
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    version = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M)
    assert version
    assert "## [Unreleased]" in changelog
    assert f"## [{version.group(1)}]" in changelog
