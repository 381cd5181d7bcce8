"""Telegram control: commands and approval buttons, for allow-listed chats only."""
