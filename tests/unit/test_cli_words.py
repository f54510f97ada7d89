"""The command line's words that need no Looker (CPython): `register`'s plan counts the allowlist entries it
keeps in good English, and `build --help` says where the publishing guide it points at is found."""

from __future__ import annotations

from pathlib import Path

import pytest

from looker_pkce.cli import main
from looker_pkce.cli.register import plan

ROOT = Path(__file__).resolve().parents[2]


class Admin:
    """What `plan` reads of Looker: no OAuth client app yet, and an allowlist of `entries`."""

    def __init__(self, entries: list[str]):
        self.entries = entries

    def app(self, client_guid: str) -> None:
        return None

    def allowlist(self) -> list[str]:
        return self.entries


@pytest.mark.parametrize("entries,said", [
    ([], "(keeping 0 entries)"), (["https://a.example"], "(keeping 1 entry)"),
    (["https://a.example", "https://b.example"], "(keeping 2 entries)"),
])
def test_register_counts_the_allowlist_entries_it_keeps(entries, said):
    changes = plan(Admin(entries), "my-page", "https://dash.example.com/", "my-page")
    what, method, path, body = changes[-1]
    assert what == "add https://dash.example.com to the embedded domain allowlist " + said
    assert body == {"embed_config": {"domain_allowlist": [*entries, "https://dash.example.com"]}}


def test_build_help_says_where_the_publishing_guide_is(capsys):
    with pytest.raises(SystemExit) as done:
        main(["build", "--help"])
    assert done.value.code == 0
    said = " ".join(capsys.readouterr().out.split())
    assert "docs/PUBLISHING.md in looker-pkce's source, its repository or sdist; not in the wheel" in said, said
    assert (ROOT / "docs" / "PUBLISHING.md").is_file()  # where the help says, in the source
    assert "include docs/PUBLISHING.md" in (ROOT / "MANIFEST.in").read_text().splitlines()  # and in the sdist
