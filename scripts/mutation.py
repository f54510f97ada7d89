"""Mutation testing of the pure code: does tests/unit fail when a rule in the core or the app's logic changes?

    python -m scripts.mutation      # make mutation (minutes: one mutant at a time; not part of make test or CI)

mutmut (requirements.txt) changes one thing at a time in the modules of SCOPE (an operator, a constant,
a condition...) and runs the unit tests that reach the changed function; a mutant the tests do not
notice "survived". Each module must kill MINIMUM of its mutants. A survivor is only left out of the
score when tests/unit/kept_mutants.txt names it with the reason no test should catch it; an entry
that no longer survives is an error too, so the list stays true.

mutmut names a mutant by its file's path, and strips only a leading `src/`: it runs in
build/mutation, where `src` is py/ and `tests` is tests/. It copies both into build/mutation/mutants
and puts that copy first on sys.path in place of py/ (which the editable install adds), so the tests
import the mutated code. Every run starts from a fresh copy.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "build" / "mutation"
KEPT = ROOT / "tests" / "unit" / "kept_mutants.txt"
MINIMUM = 0.80

# the modules mutated, under py/: every module of the core and of the app's logic
SCOPE = [
    "looker_pkce/core/compat.py",
    "looker_pkce/core/errors.py",
    "looker_pkce/core/formats.py",
    "looker_pkce/core/messages.py",
    "looker_pkce/core/oauth.py",
    "looker_pkce/core/ordered.py",
    "looker_pkce/core/layout.py",
    "looker_pkce/core/pkce.py",
    "looker_pkce/core/protocol.py",
    "looker_pkce/core/series.py",
    "looker_pkce/core/session.py",
    "looker_pkce/core/queries.py",
    "looker_pkce/core/tiles.py",
    "looker_pkce/core/wording.py",
    "looker_pkce/core/overrides.py",
    "looker_pkce/core/wall.py",
    "looker_pkce/core/sign_in_again.py",
    "looker_pkce/core/access.py",
    "app/look_rules.py",
    "app/snippets.py",
    "app/text.py",
    "app/traces.py",
]
# tests that read the repository's files (py/, static/vendor) by path or run them in Node: in the
# mutants' copy they would find nothing, and the mutated code never runs in their subprocess anyway
DESELECT = [
    "tests/unit/test_boundaries.py",
    "tests/unit/test_old_import_names.py",
    "tests/unit/test_cli_words.py::test_build_help_says_where_the_publishing_guide_is",
    "tests/unit/test_app_logic.py::test_same_checks_on_micropython",
    "tests/unit/test_app_logic.py::test_the_grids_javascript_formats_numbers_as_formats_py_does",
    "tests/unit/test_protocol.py::test_the_protocol_runs_on_micropython",
    "tests/unit/test_ordered.py::test_the_lean_loaders_tagged_json_reads_as_the_walk_does_in_the_texts_order",
]
CAUGHT = {"killed", "timeout"}  # a mutant that makes a test hang is caught by the test's timeout
# A mutant can make a test wait on the clock rather than spin (a renewal that never ends, a lock never
# granted): it uses no CPU, so mutmut's CPU limit never ends it. Each unit test takes well under a
# second (the slowest, 0.5 s); this bounds such a wait (pytest.ini's 300 s would cost five minutes per mutant).
TEST_TIMEOUT = "10"

CONFIG = """[tool.mutmut]
source_paths = ["src/looker_pkce", "src/app"]
only_mutate = %(only)s
also_copy = ["pytest.ini"]
pytest_add_cli_args_test_selection = ["tests/unit"]
pytest_add_cli_args = %(deselect)s
"""


def quoted(items: list[str]) -> str:
    return "[" + ", ".join('"' + item + '"' for item in items) + "]"


def stage() -> None:
    """build/mutation: src -> py/, tests -> tests/, pytest.ini, and mutmut's settings."""
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    for link, target in (("src", "py"), ("tests", "tests"), ("pytest.ini", "pytest.ini")):
        (WORK / link).symlink_to(ROOT / target)
    # a whole file is left out of collection (it reads the repository as it is imported), a test deselected
    deselect = ["--timeout", TEST_TIMEOUT] + [arg for path in DESELECT
                                              for arg in ("--deselect" if "::" in path else "--ignore", path)]
    (WORK / "pyproject.toml").write_text(CONFIG % {"only": quoted(["src/" + path for path in SCOPE]),
                                                   "deselect": quoted(deselect)})


def mutmut(*args: str) -> subprocess.CompletedProcess:
    # the repository root for the tests' conftest (local_looker, scripts); never py/: the mutants replace it
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([str(Path(sys.executable).parent / "mutmut"), *args], cwd=WORK, env=env,
                          capture_output=True, text=True)


def read_kept() -> dict[str, str]:
    """{mutant name: reason} from KEPT: `name  # reason` a line; blank lines and # comments skipped."""
    kept = {}
    for number, line in enumerate(KEPT.read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        name, _, reason = line.partition("#")
        if not reason.strip():
            sys.exit(f"{KEPT.name}:{number}: {name.strip()} has no reason after '#'")
        kept[name.strip()] = reason.strip()
    return kept


def module_of(mutant: str) -> str:
    """'looker_pkce.core.layout.x_settle__mutmut_3' -> 'looker_pkce.core.layout'; methods are 'module.xǁClassǁname__mutmut_N'."""
    stem = mutant.split(".xǁ")[0] if ".xǁ" in mutant else mutant.rsplit(".x_", 1)[0]
    return stem


def main() -> int:
    stage()
    run = mutmut("run", "--max-children", "1")  # two cores, shared
    if run.returncode != 0:
        print(run.stdout[-3000:] + run.stderr[-3000:])
        return run.returncode
    statuses = {}
    for line in mutmut("results", "--all", "true").stdout.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if name:
            statuses[name] = status
    kept = read_kept()
    problems = [f"{name} is kept in {KEPT.name} but was {statuses.get(name, 'not generated')}"
                for name in kept if statuses.get(name) != "survived"]
    counts: dict[str, Counter] = {}
    for name, status in sorted(statuses.items()):
        counts.setdefault(module_of(name), Counter())["kept" if name in kept else status] += 1
    print(f"{'module':32} {'caught':>7} {'of':>5} {'score':>6}  kept  other")
    for module, count in sorted(counts.items()):
        caught = sum(count[s] for s in CAUGHT)
        total = sum(count.values()) - count["kept"]
        other = ", ".join(f"{n} {s}" for s, n in sorted(count.items()) if s not in CAUGHT | {"kept"})
        print(f"{module:32} {caught:7} {total:5} {caught / total:6.0%}  {count['kept']:4}  {other}")
        if caught < MINIMUM * total:
            problems.append(f"{module}: {caught / total:.0%} of its mutants caught, under {MINIMUM:.0%}")
    survivors = [name for name, status in sorted(statuses.items()) if status not in CAUGHT and name not in kept]
    if survivors:
        print("\nnot caught (in build/mutation, ../../.venv/bin/mutmut show NAME shows the change):")
        print("\n".join(f"  {name}: {statuses[name]}" for name in survivors))
    for problem in problems:
        print("mutation:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
