"""Check HTML the way a browser would read it: only the page's own elements and attributes."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# The only elements and attributes the page's own HTML uses.
TAGS = {"div", "p", "ul", "li", "a", "strong", "em", "span", "mark", "details", "summary", "label", "textarea",
        "button", "section", "h2", "h3", "table", "thead", "tbody", "tr", "th", "td", "q", "br"}
ATTRS = {"class", "id", "href", "title", "for", "readonly", "rows", "type", "role", "hidden", "open"}


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


def assert_inert(html: str) -> None:
    """Parsed as a browser would, the HTML holds only the page's own elements and attributes:
    no element, handler or URL from the text survived."""
    p = _Elements()
    p.feed(html)
    p.close()
    for tag, attrs in p.found:
        assert tag in TAGS, (tag, attrs)
        for name, value in attrs:
            assert name in ATTRS or name.startswith("data-"), (tag, name, value)
            if name == "href":
                assert re.fullmatch(r"#src-\d+-\d+", value or ""), value
