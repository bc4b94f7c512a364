import fnmatch
import random
import time

import pytest

from modelcheck.wildcards import InvalidPattern, compile_wildcard


def test_matches_as_fnmatch_does_for_stars_and_question_marks() -> None:
    rng = random.Random(1130)
    for _ in range(3000):
        pattern = "".join(rng.choice("ab*?/") for _ in range(rng.randint(0, 7)))
        text = "".join(rng.choice("ab/") for _ in range(rng.randint(0, 8)))
        assert compile_wildcard(pattern, any_one=True).matches(text) == fnmatch.fnmatchcase(text, pattern), (pattern, text)


def test_question_marks_are_plain_unless_asked_and_escapes_follow_dep5() -> None:
    assert compile_wildcard("a?").matches("a?") and not compile_wildcard("a?").matches("ab")
    assert compile_wildcard(r"a\*b", any_one=True, escapes=True).matches("a*b")
    assert not compile_wildcard(r"a\*b", any_one=True, escapes=True).matches("axb")
    assert compile_wildcard(r"a\\", any_one=True, escapes=True).matches("a\\")
    with pytest.raises(InvalidPattern, match="ends the pattern"):
        compile_wildcard("models\\", escapes=True)
    with pytest.raises(InvalidPattern, match="escapes 'n'"):
        compile_wildcard(r"a\n", escapes=True)


def test_a_pattern_that_backtracks_as_a_regular_expression_is_matched_at_once() -> None:
    start = time.monotonic()
    assert not compile_wildcard("*a" * 60 + "b").matches("a" * 5000)
    assert time.monotonic() - start < 1
