"""Name matching: organisation names that differ only by how they write a country."""

from __future__ import annotations

from storyline.extract.linking import NameItem, link
from storyline.extract.names import country_canonical, names_match


def test_a_country_alias_inside_an_organisation_name_is_the_country() -> None:
    assert country_canonical("US Harbour Command") == "united states harbour command"
    assert country_canonical("the United States Harbour Command") == "united states harbour command"
    assert country_canonical("U.K. Space Agency") == country_canonical("UK Space Agency")
    assert names_match("US Harbour Command", "United States Harbour Command", "ORG")
    assert names_match("U.K. Space Agency", "United Kingdom Space Agency", "ORG")
    assert names_match("USA Rowing Federation", "U.S. Rowing Federation", "ORG")


def test_different_bodies_of_one_country_stay_apart() -> None:
    assert not names_match("US Harbour Command", "US Coast Command", "ORG")
    assert not names_match("UK Space Agency", "United States Space Agency", "ORG")
    assert not names_match("Harbour Command", "US Harbour Command", "ORG")  # not the same name


def test_linking_joins_the_alias_forms_only() -> None:
    items = [
        NameItem("United States Harbour Command", "ORG", "d1", 0),
        NameItem("US Harbour Command", "ORG", "d2", 10),
        NameItem("US Coast Command", "ORG", "d2", 50),
        NameItem("U.S. Coast Command", "ORG", "d3", 5),
    ]
    clusters = link(items)
    assert clusters[0] == clusters[1]
    assert clusters[2] == clusters[3]
    assert clusters[0] != clusters[2]


def test_loose_short_forms_link_no_first_names() -> None:
    from storyline.extract.names import first_names_agree

    assert first_names_agree("Beppe", "Giuseppe") and first_names_agree("Sepp", "Josef")
    # "Nino" may be Giovanni or Antonino; "Gigi" is a given name of its own as well as Luigi's
    assert not first_names_agree("Nino", "Giovanni") and not first_names_agree("Nino", "Antonino")
    assert not first_names_agree("Gigi", "Luigi")
