"""Conversational video editing bot: Telegram in, Kling O3 on ShortAPI out."""
