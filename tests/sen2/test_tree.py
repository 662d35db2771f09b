"""The reader's edges: how a file is given, and shapes that are not a return at all."""

import pytest

from ehcflow.sen2 import tree, validate
from tests.sen2.test_validate import clean_person, write


def test_a_path_object_is_read(tmp_path):
    path = tmp_path / "return.xml"
    path.write_bytes(write([clean_person()]))
    assert validate.validate_file(path).persons == 1
    assert sum(1 for item in tree.read(path) if item[0] == "person") == 1


@pytest.mark.parametrize("change, message", [
    (lambda x: x.replace(b"<Persons>", b"<Header><CollectionDetails><Year>2026</Year></CollectionDetails></Header>"
                                       b"<Persons>"), "more than one Header"),
    (lambda x: x.replace(b"<Persons>", b"<Extra/><Persons>"), "<Extra> is not part of a SEN2 return"),
    (lambda x: x.replace(b"<Persons>", b"<Persons><Child/>"), "<Child> inside Persons is not a Person"),
])
def test_shapes_that_are_not_a_return_are_refused(change, message):
    report = validate.validate_file(change(write([clean_person()])))
    assert message in report.refused and report.problems == []


def test_a_namespaced_header_is_read_by_element_names():
    xml = write([clean_person()]).replace(b"<Message>", b'<Message xmlns="urn:example">', 1)
    result = next(tree.read(xml, strict=False))[1]
    assert result.year == 2025


@pytest.mark.parametrize("year, written, left_out", [(2023, "GenderCurrent", "Sex"), (2026, "Sex", "GenderCurrent")])
def test_the_years_item_table_decides_which_items_are_written(year, written, left_out):
    from ehcflow.sen2 import spec

    person = {"Surname": "Rivers", "Forename": "Sam", "GenderCurrent": "2", "Sex": "F", "Requests": []}
    element = tree.to_element(person, spec.load(year).element("Message/Persons/Person"))
    assert element.find(written) is not None and element.find(left_out) is None
