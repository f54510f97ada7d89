"""Text the views share, pure: JSON laid out for people (in the data's order), durations, and the
spec's Markdown descriptions as plain blocks (never HTML).
Pure: no browser, no I/O; unit-tested on CPython and MicroPython.
"""

import json

TYPE_CHECKING = False  # True for mypy only: no interpreter imports typing here (MicroPython has none)
if TYPE_CHECKING:
    from typing import Any


def pretty(data: "Any", indent: str = "") -> str:
    """JSON with two-space indentation (MicroPython's json.dumps has no indent), in the data's order."""
    inner = indent + "  "
    if isinstance(data, dict) and data:
        items = [inner + json.dumps(str(k)) + ": " + pretty(data[k], inner) for k in data]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(data, list) and data:
        return "[\n" + ",\n".join(inner + pretty(v, inner) for v in data) + "\n" + indent + "]"
    return json.dumps(data)


def seconds(ms: float) -> str:
    return str(int(ms) // 1000) + "." + str(int(ms) % 1000 // 100) + " s"


def _inline(line: str) -> str:
    """A Markdown line's words: * emphasis, code ticks and link targets dropped ([text](url) -> text)."""
    out, i = "", 0
    while i < len(line):
        char = line[i]
        if char == "[" and "](" in line[i:]:
            close = line.index("](", i)
            end = line.find(")", close)
            if end > close:
                out += line[i + 1:close]
                i = end + 1
                continue
        if char not in "*`":  # underscores stay: the spec writes names and LIKE patterns with them
            out += char
        i += 1
    return out


def markdown_blocks(markdown: "str | None") -> "list[tuple[str, str]]":
    """[(kind, text)], kind "heading", "code", "item" or "paragraph": enough of Markdown to read the
    spec's descriptions as written (### headings, ``` fences, - items, paragraphs)."""
    blocks: "list[tuple[str, str]]"
    paragraph: "list[str]"
    code: "list[str]"
    blocks, paragraph, code, fenced = [], [], [], False

    def flush() -> None:
        if paragraph:
            blocks.append(("paragraph", " ".join(paragraph)))
            del paragraph[:]

    for raw in (markdown or "").split("\n"):
        line = raw.strip()
        if line.startswith("```"):
            if fenced:
                blocks.append(("code", "\n".join(code)))
                del code[:]
            else:
                flush()
            fenced = not fenced
        elif fenced:
            code.append(raw)
        elif not line:
            flush()
        elif line.startswith("#"):
            flush()
            blocks.append(("heading", _inline(line.lstrip("#").strip())))
        elif line[:2] in ("- ", "* "):
            flush()
            blocks.append(("item", _inline(line[2:])))
        else:
            paragraph.append(_inline(line))
    flush()
    if code:
        blocks.append(("code", "\n".join(code)))
    return blocks

