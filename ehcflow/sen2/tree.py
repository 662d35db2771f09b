"""The return as plain data, and the XML it is read from and written to.

Every part of the SEN2 machinery speaks one shape, a *tree*: the `Header` and each `Person` as nested
dicts keyed by element name (the guide's spelling, e.g. `SENsetting`). A leaf is the item's text exactly
as in the XML ("2025-01-16", "1", "ASD"); a group that may repeat (`Requests`, `PlanDetail`,
`PlacementDetail`, `SENneed`) is a list of dicts; a group that may not (`Assessment`, `NamedPlan`,
`ActivePlans`) is a dict. Keys starting with `_` are ehcflow's own notes (`_child_id`, `_case_id`,
`_line`) and are never written. An empty item is absent, never "".

The export builds trees from the record and writes them; the validator and the import read trees from a
file; the data-quality page checks trees built from the record without writing a file. Element order
comes from the year's item table (spec.py), so per-year differences are data.

Reading is streamed (one Person in memory at a time) with a parser that refuses a DTD, never resolves
entities, never touches the network and keeps lxml's limits on depth and size (no XML bombs).
"""

from __future__ import annotations

import datetime
import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from ehcflow.sen2 import spec as sen2_spec
from ehcflow.sen2 import xsd as sen2_xsd
from ehcflow.sen2.problems import ERROR, Problem, person_label

MAX_BYTES = 200 * 1024 * 1024  # a county's return is a few tens of MB


class Refused(ValueError):
    """The file cannot be read as a SEN2 return at all: nothing is imported, the message says why."""


# --- writing -----------------------------------------------------------------------------------------

def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def to_element(tree: dict, el: sen2_spec.Element) -> etree._Element:
    """`tree` as an element named `el.name`, children in the year's order, empty items left out."""
    node = etree.Element(el.name)
    for child in el.children:
        value = tree.get(child.name)
        if _empty(value):
            continue
        if child.is_group:
            for item in value if isinstance(value, list) else [value]:
                if not _empty(item):
                    sub = to_element(item, child)
                    if len(sub):
                        node.append(sub)
        else:
            etree.SubElement(node, child.name).text = str(value)
    return node


class Writer:
    """Streams a return to a binary file: the header, then one Person at a time (memory stays flat)."""

    def __init__(self, out, spec: sen2_spec.Spec):
        self.out, self.spec = out, spec
        self.header_el = spec.element("Message/Header")
        self.person_el = spec.element("Message/Persons/Person")
        self.count = 0

    def __enter__(self):
        self._xf_cm = etree.xmlfile(self.out, encoding="UTF-8")
        self._xf = self._xf_cm.__enter__()
        self._xf.write_declaration()
        self._message = self._xf.element("Message")
        self._message.__enter__()
        return self

    def header(self, header: dict) -> None:
        self._xf.write(to_element(header, self.header_el), pretty_print=True)
        self._persons = self._xf.element("Persons")
        self._persons.__enter__()
        self._xf.write("\n")

    def person(self, person: dict) -> None:
        self._xf.write(to_element(person, self.person_el), pretty_print=True)
        self.count += 1

    def __exit__(self, *exc):
        if exc[0] is None:
            self._persons.__exit__(None, None, None)
            self._message.__exit__(None, None, None)
        return self._xf_cm.__exit__(*exc)


def write(out, spec: sen2_spec.Spec, header: dict, persons) -> int:
    with Writer(out, spec) as w:
        w.header(header)
        for p in persons:
            w.person(p)
    return w.count


# --- reading -----------------------------------------------------------------------------------------

def _canonical(tag) -> str:
    if not isinstance(tag, str):
        return ""
    tag = etree.QName(tag).localname
    return sen2_spec.READ_ALIASES.get(tag, tag)


def from_element(node: etree._Element, el: sen2_spec.Element, path: str, problems: list[Problem],
                 ctx: dict) -> dict:
    """The tree of `node`, checked against the year's element `el`; surprises go to `problems`."""
    tree: dict = {"_line": node.sourceline}
    for child in node:
        name = _canonical(child.tag)
        if not name:
            continue
        spec_child = el.child(name)
        where = f"{path}/{name}"
        if spec_child is None:
            problems.append(Problem("SEN2-S01", ERROR, f"{name} is not an item of the {ctx['year']} return "
                                    f"inside {el.name}.", where, line=child.sourceline, **ctx["who"]))
            continue
        if spec_child.is_group:
            sub = from_element(child, spec_child, where, problems, ctx)
            if spec_child.max == 1:
                if name in tree:
                    problems.append(Problem("SEN2-S02", ERROR, f"{name} appears more than once in {el.name}.",
                                            where, line=child.sourceline, **ctx["who"]))
                    continue
                tree[name] = sub
            else:
                tree.setdefault(name, []).append(sub)
        else:
            text = (child.text or "").strip()
            if name in tree:
                problems.append(Problem("SEN2-S02", ERROR, f"{name} appears more than once in {el.name}.",
                                        where, line=child.sourceline, **ctx["who"]))
                continue
            if text:
                tree[name] = text
    return tree


def _secure_parser_kwargs() -> dict:
    return {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False,
            "remove_comments": True, "remove_pis": True}


@dataclass
class ReadResult:
    year: int | None = None
    spec: sen2_spec.Spec | None = None
    header: dict = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def _open(source):
    if isinstance(source, (str, os.PathLike)):
        return open(source, "rb")
    if isinstance(source, bytes):
        return io.BytesIO(source)
    return source


def _sniff(f) -> None:
    """Refuse a DTD before parsing: SEN2 never has one, and entity declarations are how XML bombs start."""
    start = f.read(4096)
    f.seek(0)
    if not start.strip():
        raise Refused("The file is empty.")
    head = start.upper()
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise Refused("The file declares a DTD or entities. A SEN2 return never does, and such files can "
                      "hide an XML bomb or read other files, so it was refused. Nothing was imported.")


def read(source, *, expected_year: int | None = None, strict: bool = True) -> Iterator:
    """Yield ("header", ReadResult) once, then ("person", tree, index, problems) for each Person.

    Raises Refused for a file that is not a readable SEN2 return (not XML, not SEN2, a year ehcflow does
    not hold, the wrong year, a DTD). With `strict`, each Person is also checked against the product's own
    schema for the year (structure, formats, code sets) and those problems come with it.
    """
    f = _open(source)
    close = f is not source
    try:
        _sniff(f)
        result = ReadResult()
        context = etree.iterparse(f, events=("start", "end"), **_secure_parser_kwargs())
        depth = 0
        header_done = False
        person_el = None
        index = 0
        try:
            for event, node in context:
                if event == "start":
                    depth += 1
                    if depth == 1:
                        if _canonical(node.tag) != "Message":
                            raise Refused(f"This is not a SEN2 return: its outer element is <{_canonical(node.tag)}>,"
                                          " not <Message>.")
                        if node.getroottree().docinfo.doctype:
                            raise Refused("The file declares a DTD; a SEN2 return never does. Nothing was imported.")
                    continue
                depth -= 1
                name = _canonical(node.tag)
                if depth == 1 and name == "Header":
                    if header_done:
                        raise Refused("The file has more than one Header; a SEN2 return has one.")
                    result = _read_header(node, expected_year)
                    person_el = result.spec.element("Message/Persons/Person")
                    header_done = True
                    yield "header", result
                    node.clear()
                elif depth == 2 and name == "Person":
                    if not header_done:
                        raise Refused("The file has no Header before its Persons, so its year cannot be known.")
                    index += 1
                    problems: list[Problem] = []
                    ctx = {"year": result.year, "who": {}}
                    line = node.sourceline
                    tree = from_element(node, person_el, "Person", problems, ctx)
                    who = {"person": index, "person_label": person_label(tree), "upn": tree.get("UPN", "")}
                    problems = [Problem(**{**p.__dict__, **who}) for p in problems]
                    if strict:
                        problems += schema_problems(node, result.year, who, line)
                    yield "person", tree, index, problems
                    node.clear()
                    parent = node.getparent()
                    while parent is not None and node.getprevious() is not None:
                        del parent[0]
                elif depth == 1 and name != "Persons":
                    raise Refused(f"<{name}> is not part of a SEN2 return, which holds a Header and Persons "
                                  f"(line {node.sourceline}).")
                elif depth == 2 and _canonical(node.getparent().tag) == "Persons":
                    raise Refused(f"<{name}> inside Persons is not a Person (line {node.sourceline}).")
                elif depth == 0:
                    if not header_done:
                        raise Refused("This is not a SEN2 return: it has no Header.")
        except etree.XMLSyntaxError as e:
            raise Refused(f"The file is not well-formed XML (line {e.lineno}): {e.msg}") from None
    finally:
        if close:
            f.close()


def _text(node, path: str) -> str:
    """An item's text by element names, whatever namespace the file put them in."""
    steps = "/".join(f"*[local-name()='{step}']" for step in path.split("/"))
    return node.xpath(f"string({steps})")


def _read_header(node, expected_year: int | None) -> ReadResult:
    year_text = _text(node, "CollectionDetails/Year")
    collection = _text(node, "CollectionDetails/Collection").strip()
    if collection and collection != "SEN2":
        raise Refused(f"This is a {collection} return, not SEN2.")
    try:
        year = int(year_text.strip())
    except ValueError:
        raise Refused("The Header has no collection Year, so the return cannot be read.") from None
    try:
        spec = sen2_spec.load(year)
    except sen2_spec.UnsupportedYear as e:
        raise Refused(str(e)) from None
    if expected_year is not None and year != expected_year:
        raise Refused(f"This is the {year} return; the {expected_year} return was expected.")
    result = ReadResult(year=year, spec=spec)
    result.header = from_element(node, spec.element("Message/Header"), "Header", result.problems,
                                 {"year": year, "who": {}})
    result.problems += schema_problems(node, year, {}, node.sourceline, root="Header")
    return result


def _canonicalise(node) -> etree._Element:
    """A copy of `node` with the community spelling (SENSetting) renamed to the guide's, for our schema."""
    copy = etree.fromstring(etree.tostring(node))
    for el in copy.iter():
        if isinstance(el.tag, str):
            el.tag = _canonical(el.tag)
    return copy


def schema_problems(node, year: int, who: dict, line: int | None, root: str = "Person") -> list[Problem]:
    """Structure, formats and code sets of one Person (or the Header), by the product's own XSD."""
    schema = sen2_xsd.schema(year)
    aliased = any(isinstance(el.tag, str) and etree.QName(el.tag).localname in sen2_spec.READ_ALIASES
                  for el in node.iter())
    copy = _canonicalise(node) if aliased or node.nsmap else node
    if schema.validate(copy):
        return []
    out = []
    for err in schema.error_log:
        msg = _plain(err.message)
        out.append(Problem("SEN2-S10", ERROR, msg, root, line=(line or 0) + max(err.line - 1, 0) if line else None,
                           **who))
    return out


def _plain(message: str) -> str:
    """lxml's schema messages, with the XSD jargon softened for a data officer (and long code lists cut)."""
    message = re.sub(r"\{([^{}]{120,})\}", lambda m: "{" + m.group(1)[:100].rsplit(",", 1)[0] + ", ...} "
                     "(the full list is in the code sets of the year)", message)
    message = message.replace("Element '", "Item '").replace("[facet 'enumeration'] ", "")
    message = message.replace("[facet 'pattern'] ", "").replace("is not an element of the set", "is not one of")
    message = message.replace("This element is not expected.", "It is not allowed here, or is out of order.")
    return message.replace("is not accepted by the pattern", "is not in the right format")


def iso(d: datetime.date | None) -> str:
    return d.isoformat() if d else ""


def flag(b: bool | None) -> str:
    return "" if b is None else ("1" if b else "0")
