"""The forces every test run provisions: owned by the tests, not the demo.

Three, so a test always has another force to be refused by; one with Welsh on. Their
slugs match the tests' Host headers; their names and colours are the tests' own.
"""

from tenants.forces import NewForce

TEST_FORCES = (
    NewForce(
        "avon-and-somerset",
        "Test Avon Constabulary",
        False,
        {"colour": "#0b3d6b", "phone": "01632 960 901", "email": "tmc@avon.example"},
    ),
    NewForce(
        "kent",
        "Test Kent Police",
        False,
        {"colour": "#6b1d5c", "phone": "01632 960 902", "email": "tmc@kent.example"},
    ),
    NewForce(
        "dyfed-powys",
        "Heddlu Prawf Dyfed-Powys Test Police",
        True,
        {
            "colour": "#00594f",
            "phone": "01632 960 903",
            "address": "PO Box 9",
            "address_cy": "Blwch Post 9",
        },
    ),
)
TEST_SLUGS = tuple(force.slug for force in TEST_FORCES)
