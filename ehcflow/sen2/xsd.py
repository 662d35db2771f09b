"""The product's own XSD for each collection year, generated from the item table (spec.py).

The community XSDs are a map, not an oracle (their patterns use ^ and $, which XSD treats as
literal characters; LA codes cut to London; ULN 8 digits). Ours fixes those and is what every
export is checked against. `manage.py sen2_xsd` writes it out for a council's own tools.
"""

from __future__ import annotations

import functools

from lxml import etree

from ehcflow.sen2 import spec as sen2_spec

XS = "http://www.w3.org/2001/XMLSchema"

# Formats of the non-code items. XSD patterns are anchored implicitly: no ^ or $.
PATTERNS = {
    "upn": r"[A-Z][0-9]{11}[0-9A-Z]",      # UPN: letter, 11 digits, check digit or letter (temporary UPN)
    "uln": r"[0-9]{10}",                   # ULN: 10 digits
    "urn": r"[0-9]{6}",                    # GIAS URN: 6 digits
    "ukprn": r"1[0-9]{7}",                 # UK provider reference number: 8 digits starting 1
    "serial": r"[0-9]{3}",
}
STREAMED = ("Message/Header", "Message/Persons/Person")
BUILTIN = {"date": "xs:date", "datetime": "xs:dateTime", "year": "xs:gYear"}


def _x(tag: str) -> str:
    return f"{{{XS}}}{tag}"


def _type_name(el: sen2_spec.Element) -> str:
    if el.type == "code":
        return f"{el.codeset}Type"
    if el.type in BUILTIN:
        return BUILTIN[el.type]
    if el.type == "group":
        return f"{el.name}Type"
    return f"{el.type}Type"


def build(year: int) -> etree._Element:
    """The XSD document for `year` as an element tree."""
    s = sen2_spec.load(year)
    root = etree.Element(_x("schema"), nsmap={"xs": XS}, elementFormDefault="qualified")
    root.append(etree.Comment(f" ehcflow SEN2 schema for the {year} return (reference date "
                              f"{s.reference_date.isoformat()}); generated from ehcflow/sen2/schema/items.csv "))
    etree.SubElement(root, _x("element"), name=s.root.name, type=_type_name(s.root))
    # Header and Person are also global so a streaming reader can check each one as it arrives.
    for path in STREAMED:
        el = s.element(path)
        etree.SubElement(root, _x("element"), name=el.name, type=_type_name(el))
    simple: dict[str, etree._Element] = {}
    complex_done: set[str] = set()

    def simple_type(el: sen2_spec.Element) -> None:
        name = _type_name(el)
        if el.type in BUILTIN or name in simple:
            return
        st = etree.Element(_x("simpleType"), name=name)
        restriction = etree.SubElement(st, _x("restriction"), base="xs:string")
        if el.type == "code":
            for code in s.codes.get(el.codeset, {}):
                etree.SubElement(restriction, _x("enumeration"), value=code)
        elif el.type in PATTERNS:
            etree.SubElement(restriction, _x("pattern"), value=PATTERNS[el.type])
        else:  # free text: never written empty (empty items are omitted)
            etree.SubElement(restriction, _x("minLength"), value="1")
            etree.SubElement(restriction, _x("maxLength"), value="10" if el.type == "postcode" else "100")
        simple[name] = st

    def complex_type(el: sen2_spec.Element) -> None:
        # Groups with the same name in different places (PlanDetail, PlacementDetail) are distinct names.
        name = _type_name(el)
        if name in complex_done:
            return
        complex_done.add(name)
        ct = etree.SubElement(root, _x("complexType"), name=name)
        seq = etree.SubElement(ct, _x("sequence"))
        for c in el.children:
            etree.SubElement(seq, _x("element"), name=c.name, type=_type_name(c), minOccurs=str(c.min),
                             maxOccurs="unbounded" if c.max is None else str(c.max))
            if c.is_group:
                complex_type(c)
            else:
                simple_type(c)

    complex_type(s.root)
    for st in simple.values():
        root.append(st)
    return root


def text(year: int) -> bytes:
    return etree.tostring(build(year), pretty_print=True, xml_declaration=True, encoding="UTF-8")


@functools.cache
def schema(year: int) -> etree.XMLSchema:
    return etree.XMLSchema(build(year))
