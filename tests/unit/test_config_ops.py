"""Operations settings: LOG_FORMAT, METRICS_TOKEN, MEDIA_RETENTION_DAYS."""

import pytest

from bot.config import ConfigError, load_settings


def test_log_format_defaults_to_text_and_accepts_json() -> None:
    assert load_settings({}, dotenv=None).log_format == "text"
    assert load_settings({"LOG_FORMAT": "JSON"}, dotenv=None).log_format == "json"
    with pytest.raises(ConfigError, match="LOG_FORMAT must be text or json"):
        load_settings({"LOG_FORMAT": "xml"}, dotenv=None)


def test_metrics_token_is_optional() -> None:
    assert load_settings({}, dotenv=None).metrics_token is None
    assert load_settings({"METRICS_TOKEN": " t0k "}, dotenv=None).metrics_token == "t0k"


def test_media_retention_days() -> None:
    assert load_settings({}, dotenv=None).media_retention_days == 30
    assert load_settings({"MEDIA_RETENTION_DAYS": "0"}, dotenv=None).media_retention_days == 0
    with pytest.raises(ConfigError, match="MEDIA_RETENTION_DAYS must be a whole number"):
        load_settings({"MEDIA_RETENTION_DAYS": "a month"}, dotenv=None)
