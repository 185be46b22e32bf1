"""Which municipalities a change touches: the plan behind `kuntasivu build --changed-since REF`.

A file under ``municipalities/<slug>/`` affects that site only. Shared content, the theme, the
generator and the pinned tools affect every site. Files that no build reads (tests, the
receiving service, documentation, CI files) affect none. Anything this module does not know is
taken to affect every site: building too much costs minutes, publishing a stale site costs trust.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

SHARED_INPUTS = {
    "site_src": "shared content",
    "themes": "the theme",
    "plugins": "the generator",
    "mkdocs.yml": "the base configuration",
    "pyproject.toml": "the Python dependencies",
    "package.json": "the npm tools",
    "package-lock.json": "the npm tools",
    "Makefile": "the build commands",
}
"""Top-level paths every site is built from, and how a change there is described."""

NOT_BUILT_FROM = {
    "tests",
    "benchmarks",
    "inbox",
    "schemas",
    "docs",
    ".github",
    ".gitlab-ci.yml",
    ".ci",
    ".vscode",
    ".gitignore",
    ".pre-commit-config.yaml",
    "LICENSE",
}
"""Top-level paths no site is built from; Markdown files at the top level are documentation too."""


class ChangesError(Exception):
    """Git could not tell what changed; the message says how to fix it."""


@dataclass
class Plan:
    """The sites to build, and for each the files that made it so."""

    ref: str
    everything: list[str] = field(default_factory=list)
    """Changed files that affect every site (with why), e.g. 'themes/kunta/base.html (the theme)'."""
    by_site: dict[str, list[str]] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)
    """Municipalities whose folder is gone: nothing to build for them."""
    ignored: list[str] = field(default_factory=list)
    """Changed files no site is built from."""

    def sites(self, available: list[str]) -> list[str]:
        if self.everything:
            return list(available)
        return [slug for slug in available if slug in self.by_site]

    def explain(self, available: list[str]) -> list[str]:
        """Lines that say which sites are built and why."""
        lines: list[str] = []
        if self.everything:
            more = f" and {len(self.everything) - 3} more" if len(self.everything) > 3 else ""
            shown = ", ".join(self.everything[:3]) + more
            lines.append(f"building all {len(available)} sites: changed since {self.ref}: {shown}")
            return lines
        for slug in self.sites(available):
            files = self.by_site[slug]
            more = f" and {len(files) - 3} more" if len(files) > 3 else ""
            lines.append(f"building {slug}: changed since {self.ref}: {', '.join(files[:3])}{more}")
        for slug in self.removed:
            lines.append(f"not building {slug}: its folder was removed since {self.ref}")
        if not self.sites(available):
            why = f" ({len(self.ignored)} changed files that no site is built from)" if self.ignored else ""
            lines.append(f"nothing to build: no site's content, theme or code changed since {self.ref}{why}")
        return lines


def classify(paths: list[str], ref: str, municipalities: Path, root: Path) -> Plan:
    """Sort changed paths (relative to the project folder) into a plan."""
    plan = Plan(ref)
    folder = municipalities.relative_to(root).as_posix() if municipalities.is_relative_to(root) else None
    for path in sorted(set(paths)):
        parts = PurePosixPath(path).parts
        top = parts[0]
        if folder is not None and path.startswith(folder + "/") and len(parts) > len(PurePosixPath(folder).parts) + 1:
            slug = parts[len(PurePosixPath(folder).parts)]
            if (municipalities / slug / "site.yml").is_file():
                plan.by_site.setdefault(slug, []).append(path)
            elif slug not in plan.removed:
                plan.removed.append(slug)
        elif top in SHARED_INPUTS:
            plan.everything.append(f"{path} ({SHARED_INPUTS[top]})")
        elif top in NOT_BUILT_FROM or (len(parts) == 1 and top.endswith(".md")):
            plan.ignored.append(path)
        else:
            plan.everything.append(f"{path} (not known to be outside the build)")
    return plan


def changed_files(root: Path, ref: str) -> list[str]:
    """Files changed between ``ref`` and the working tree (committed, staged, unstaged and new),
    relative to ``root``. Compared with the merge base, so a branch is not charged with what
    happened on ``ref`` after it forked."""
    base = _git(root, "merge-base", ref, "HEAD", what=f"find where HEAD and {ref} meet").strip()
    changed = _git(root, "diff", "--name-only", "--no-renames", "--relative", base, what=f"compare with {ref}")
    untracked = _git(root, "ls-files", "--others", "--exclude-standard", what="list new files")
    return [line for line in (changed + untracked).splitlines() if line]


def plan_changes(root: Path, municipalities: Path, ref: str) -> Plan:
    return classify(changed_files(root, ref), ref, municipalities, root)


def _git(root: Path, *args: str, what: str) -> str:
    try:
        result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=60)
    except FileNotFoundError:
        raise ChangesError("--changed-since needs git, and git is not installed") from None
    if result.returncode != 0:
        detail = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else f"exit {result.returncode}"
        hint = (
            "check the name, and in CI fetch the history (GitHub: actions/checkout with fetch-depth: 0; "
            "GitLab: GIT_DEPTH: 0)"
        )
        raise ChangesError(f"git could not {what}: {detail}; {hint}")
    return result.stdout
