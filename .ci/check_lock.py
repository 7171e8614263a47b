"""Fail when setup.cfg and the dependency locks (requirements/*.lock) disagree.

`make install` installs requirements/test.lock with --require-hashes and then the project
itself with --no-deps, so a requirement added to setup.cfg but not locked would only show
up as an ImportError somewhere in the tests. This check names it instead, and says how to
regenerate the locks. Standard library only, plus `packaging` (pip's vendored copy when the
interpreter has no other): it runs before anything is installed.
"""

from __future__ import annotations

import configparser
import re
import sys
from pathlib import Path

try:
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
except ImportError:  # a fresh venv: only pip is there
    from pip._vendor.packaging.requirements import Requirement
    from pip._vendor.packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
RUNTIME_LOCK = ROOT / "requirements" / "runtime.lock"
TEST_LOCK = ROOT / "requirements" / "test.lock"
INSTALLER = ROOT / "requirements" / "installer.in"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.MULTILINE)
HOW = "regenerate the locks with `make lock` (README: Dependencies and the lock)"


def pins(path: Path) -> dict[str, str]:
    """name → version of every ``name==version`` line of a lock."""
    return {canonicalize_name(n): v for n, v in PIN.findall(path.read_text(encoding="utf-8"))}


def declared() -> tuple[list[Requirement], list[Requirement]]:
    """setup.cfg's install_requires and its test extra."""
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg", encoding="utf-8")

    def parse(text: str) -> list[Requirement]:
        lines = [line.split("#", 1)[0].strip() for line in text.splitlines()]
        return [Requirement(line) for line in lines if line]

    runtime = parse(config.get("options", "install_requires", fallback=""))
    test = parse(config.get("options.extras_require", "test", fallback=""))
    return runtime, test


def problems() -> list[str]:
    found: list[str] = []
    for lock in (RUNTIME_LOCK, TEST_LOCK):
        if not lock.exists():
            return [f"{lock.relative_to(ROOT)} is missing"]
    runtime_pins, test_pins = pins(RUNTIME_LOCK), pins(TEST_LOCK)
    runtime, test = declared()
    installer = [
        Requirement(line.strip())
        for line in INSTALLER.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    wanted = [(r, RUNTIME_LOCK, runtime_pins) for r in runtime + installer]
    wanted += [(r, TEST_LOCK, test_pins) for r in runtime + test + installer]
    for requirement, lock, locked in wanted:
        name = canonicalize_name(requirement.name)
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        where = lock.relative_to(ROOT)
        if name not in locked:
            found.append(
                f"{where} does not pin {requirement.name} (setup.cfg asks for {requirement})"
            )
        elif not requirement.specifier.contains(locked[name], prereleases=True):
            found.append(
                f"{where} pins {requirement.name}=={locked[name]}, setup.cfg asks for {requirement}"
            )
    for name, version in sorted(runtime_pins.items()):
        if test_pins.get(name) != version:
            found.append(
                f"{RUNTIME_LOCK.relative_to(ROOT)} pins {name}=={version} but"
                f" {TEST_LOCK.relative_to(ROOT)} has {test_pins.get(name, 'nothing')}:"
                " the image would run other versions than the tests"
            )
    return found


def main() -> int:
    found = problems()
    if not found:
        print("dependency locks agree with setup.cfg")
        return 0
    print("setup.cfg and the dependency locks disagree:", file=sys.stderr)
    for problem in found:
        print(f"  - {problem}", file=sys.stderr)
    print(f"Fix: {HOW}.", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
