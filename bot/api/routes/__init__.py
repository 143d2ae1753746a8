"""The API's routers, one small module per area over the one PolicyBot facade; create_app includes them."""

from bot.api.routes.admin import admin_router
from bot.api.routes.ask import ask_router
from bot.api.routes.chat import chat_router
from bot.api.routes.documents import documents_router
from bot.api.routes.feedback import feedback_router
from bot.api.routes.health import health_router

__all__ = [
    "admin_router",
    "ask_router",
    "chat_router",
    "documents_router",
    "feedback_router",
    "health_router",
]
