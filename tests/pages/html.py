"""Read a rendered page the way a person does: the text of the elements with a class."""

from __future__ import annotations

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class _Collector(HTMLParser):
    def __init__(self, css_class: str):
        super().__init__(convert_charrefs=True)
        self.css_class = css_class
        self.depths: list[int] = []  # open matching elements, by the depth they opened at
        self.depth = 0
        self.found: list[list[str]] = []
        self.open: list[list[str]] = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        self.depth += 1
        classes = (dict(attrs).get("class") or "").split()
        if self.css_class in classes:
            self.depths.append(self.depth)
            self.open.append([])

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if self.depths and self.depths[-1] == self.depth:
            self.depths.pop()
            self.found.append(self.open.pop())
        self.depth -= 1

    def handle_data(self, data):
        for parts in self.open:
            parts.append(data)


def texts(html: str, css_class: str) -> list[str]:
    """The whitespace-normalized text of every element carrying ``css_class``, in order of end."""
    collector = _Collector(css_class)
    collector.feed(html)
    return [" ".join("".join(parts).split()) for parts in collector.found]
