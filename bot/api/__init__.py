"""The HTTP API: create_app(bot) for the routes, serve(bot, host, port) for the API with the UI mounted."""

from bot.api.app import create_app
from bot.api.models import ApiError
from bot.api.reload import reload_in_place
from bot.api.server import build_server, serve

__all__ = ["ApiError", "build_server", "create_app", "reload_in_place", "serve"]
