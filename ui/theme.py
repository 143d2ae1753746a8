"""The page's colours: Gradio's default theme, made to meet WCAG 2.2 AA contrast (tests/contrast.js checks)."""

from __future__ import annotations

import gradio as gr


def page_theme() -> gr.themes.Base:
    """Gradio's default look with text colours that meet WCAG 2.2 AA (4.5:1): its subdued grey (1.9:1 on
    white) and orange labels and buttons (2.8:1) are one shade darker; dark mode keeps its own."""
    return gr.themes.Default(primary_hue="orange").set(
        body_text_color_subdued="*neutral_600",
        body_text_color_subdued_dark="*neutral_400",
        color_accent="*primary_700",
        button_primary_background_fill="*primary_700",
        button_primary_background_fill_hover="*primary_800",
        button_primary_background_fill_dark="*primary_700",
        button_primary_background_fill_hover_dark="*primary_800",
    )
