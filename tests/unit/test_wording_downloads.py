"""app/text.py's words for a download in progress, done and cancelled (app/downloads.py shows them)."""

from looker_pkce.core import wording as text


def test_sizes_are_bytes_then_whole_kb_then_mb_to_a_tenth():
    assert [text.size(n) for n in (0, 1, 1023, 1024, 40 * 1024 + 1023, 1024 * 1024, 3_670_016, 5 * 2**30)] == [
        "0 bytes", "1 byte", "1023 bytes", "1 KB", "40 KB", "1.0 MB", "3.5 MB", "5120.0 MB"]


def test_progress_names_the_file_and_says_how_far_of_how_much_when_the_answer_says():
    assert text.download_progress("a.csv", 12 * 1024, 40 * 1024) == "Downloading a.csv: 12 KB of 40 KB (30 %)"
    assert text.download_progress("a.csv", 500, None) == "Downloading a.csv: 500 bytes"
    assert text.download_progress("a.csv", 900, 800).endswith("(100 %)")  # a length that undersold the body


def test_the_end_says_done_with_the_size_or_cancelled_with_what_had_arrived():
    assert text.download_done("a.csv", 2048) == "Downloaded a.csv (2 KB)."
    assert text.download_cancelled("a.csv", 128) == "Download of a.csv cancelled after 128 bytes."
    assert text.download_cancelled("a.csv", 0) == "Download of a.csv cancelled."
