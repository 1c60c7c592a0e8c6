"""app -> tenants -> config, one direction; journeys never import each other
(import-linter contracts in setup.cfg)."""

import configparser
from pathlib import Path

from importlinter.cli import lint_imports

from app.journeys import JOURNEYS

ROOT = Path(__file__).resolve().parents[2]


def test_import_contracts_hold(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert lint_imports(config_filename="setup.cfg") == 0


def test_every_journey_is_in_the_independence_contract():
    """A journey added to app.journeys but not to the contract could import the others."""
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    contract = config["importlinter:contract:journeys"]
    assert contract["type"] == "independence"
    assert contract["modules"].split() == list(JOURNEYS)
