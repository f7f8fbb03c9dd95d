"""Reading the built site's HTML in tests, with the standard library's parser."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict, parent: "Node | None"):
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    def text(self) -> str:
        out = []
        for c in self.children:
            out.append(c if isinstance(c, str) else (c.text() if c.tag not in ("script", "style") else ""))
        return "".join(out)

    def clean_text(self) -> str:
        return " ".join(self.text().split())

    def iter(self):
        for c in self.children:
            if isinstance(c, Node):
                yield c
                yield from c.iter()

    def find_all(self, tag: str | None = None, **attrs) -> list["Node"]:
        def match(n: Node) -> bool:
            if tag and n.tag != tag:
                return False
            for k, v in attrs.items():
                k = k.rstrip("_").replace("_", "-")
                have = n.attrs.get(k)
                if v is True:
                    if k not in n.attrs:
                        return False
                elif k == "class":
                    if v not in (have or "").split():
                        return False
                elif have != v:
                    return False
            return True
        return [n for n in self.iter() if match(n)]

    def find(self, tag: str | None = None, **attrs) -> "Node | None":
        found = self.find_all(tag, **attrs)
        return found[0] if found else None


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: (v if v is not None else "") for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, {k: v or "" for k, v in attrs}, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: str) -> Node:
    b = _Builder()
    b.feed(html)
    b.close()
    return b.root


def page(site: Path, path: str) -> Node:
    """The page at a site path like 'levels/eqf-5/'."""
    return parse((site / path / "index.html").read_text("utf-8"))


def table_titles(doc: Node) -> list[str]:
    """The title column of every browse table on the page."""
    return [th.clean_text().removesuffix(" Example").removesuffix(" Withdrawn")
            for table in doc.find_all("table", class_="mc-table")
            for th in table.find_all("th", scope="row")]
