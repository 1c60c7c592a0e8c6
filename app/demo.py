"""The three demo forces: invented contact details, no real logos."""

from __future__ import annotations

from tenants.provisioning import NewForce

DEMO_FORCES = (
    NewForce(
        "avon-and-somerset",
        "Avon and Somerset Constabulary",
        False,
        {
            "colour": "#0b3d6b",
            "phone": "01632 960 101",
            "email": "trackmycrime@avon-and-somerset.example",
            "address": "PO Box 1, Portishead",
        },
    ),
    NewForce(
        "kent",
        "Kent Police",
        False,
        {
            "colour": "#6b1d5c",
            "phone": "01632 960 202",
            "email": "trackmycrime@kent.example",
            "address": "PO Box 2, Maidstone",
        },
    ),
    NewForce(
        "dyfed-powys",
        "Heddlu Dyfed-Powys Police",
        True,
        {
            "colour": "#00594f",
            "phone": "01632 960 303",
            "email": "trackmycrime@dyfed-powys.example",
            "address": "PO Box 3, Carmarthen",
            "address_cy": "Blwch Post 3, Caerfyrddin",
        },
    ),
)
