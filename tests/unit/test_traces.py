"""app/traces.py: the scratchpad's wrapper, and where and why a person's code failed."""

from __future__ import annotations

from app import traces
from looker_pkce.core.errors import LookerError


def run(code):
    namespace = {}
    exec(compile(traces.wrap(code), traces.SOURCE, "exec"), namespace)
    try:
        namespace[traces.ENTRY]().send(None)
    except StopIteration:
        return None
    except Exception as exc:
        return exc
    raise AssertionError("the code awaited")


def test_the_wrapper_indents_the_code_into_an_async_function_that_ends_with_pass():
    assert traces.wrap("a\r\nb") == "async def __scratchpad__():\n    a\n    b\n    pass\n"
    assert run("") is None and run("x = 1") is None


def test_an_error_names_the_persons_own_line_the_innermost_in_their_code():
    exc = run("def f():\n    return 1 / 0\n\nf()")
    assert traces.describe(exc, 4) == {"type": "ZeroDivisionError", "message": "division by zero", "line": 2,
                                       "looker": False}
    assert traces.error_line(run("x = 1\nraise ValueError('no')"), 2) == 2


def test_a_line_outside_the_persons_code_is_not_named():
    exc = run("x = 1\nraise ValueError('no')")
    assert traces.error_line(exc, 1) is None  # beyond the code
    assert traces.error_line(ValueError("never raised"), 5) is None


def test_a_syntax_error_names_its_line_and_says_invalid_syntax_when_it_has_no_message():
    try:
        compile(traces.wrap("x = 1\ny = (\n"), traces.SOURCE, "exec")
    except SyntaxError as exc:
        assert traces.error_line(exc, 2) in (2, 3)
    assert traces.describe(SyntaxError(""), 5) == {"type": "SyntaxError", "message": "invalid syntax", "line": None,
                                                 "looker": False}
    numbered = SyntaxError("bad")
    numbered.lineno = 3
    assert traces.describe(numbered, 5)["line"] == 2
    first = SyntaxError("bad")
    first.lineno = 1  # the wrapper's own line
    assert traces.error_line(first, 5) is None


def test_a_missing_key_is_said_in_words_and_a_library_error_is_marked_as_lookers():
    assert traces.describe(KeyError("k"), 1)["message"] == "no key 'k' in that dict"
    assert traces.describe(KeyError(), 1)["message"] == "no key  in that dict"
    assert traces.describe(LookerError("Looker said no"), 1) == {"type": "LookerError", "message": "Looker said no",
                                                                 "line": None, "looker": True}


def test_the_traceback_text_is_the_interpreters_own():
    exc = run("raise ValueError('shown')")
    written = traces.traceback_text(exc)
    assert written.startswith("Traceback") and "ValueError: shown" in written
    assert 'File "<string>", line 2' in written


def test_an_error_on_the_first_line_of_the_persons_code_names_line_one():
    assert traces.error_line(run("raise ValueError('first')\nx = 1"), 2) == 1
