"""What more than one router needs: the checked question."""

from __future__ import annotations

from bot.api.models import ApiError
from bot.config import ServerSettings


def checked(question: str, server: ServerSettings) -> str:
    """The question stripped, refused when empty or longer than the server allows."""
    question = question.strip()
    if not question:
        raise ApiError(422, "empty_question", "question must not be empty")
    if len(question) > server.max_question_chars:
        raise ApiError(413, "question_too_long", f"question exceeds {server.max_question_chars} characters")
    return question
