"""Typed settings, read only from the environment. Imports nothing of app/ or tenants/."""

from config.settings import (
    DevelopmentSettings,
    ProductionSettings,
    Settings,
    SettingsError,
    TestSettings,
    load_settings,
)

__all__ = [
    "DevelopmentSettings",
    "ProductionSettings",
    "Settings",
    "SettingsError",
    "TestSettings",
    "load_settings",
]
