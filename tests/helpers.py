"""Small helpers shared by test modules."""

from __future__ import annotations

import dataclasses
from typing import Any


def with_server_settings(bot: Any, **changes: Any) -> Any:
    """The same bot with other server settings (settings are read when the app is created)."""
    server = bot.settings.server.model_copy(update=changes)
    return dataclasses.replace(bot, settings=bot.settings.model_copy(update={"server": server}))
