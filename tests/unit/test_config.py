from decimal import Decimal
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings, read_dotenv

TOKEN = "123456:ABC-def"


def test_defaults_match_the_contract() -> None:
    s = load_settings({}, dotenv=None)
    assert s.telegram_bot_token is None
    assert s.telegram_api_url == "https://api.telegram.org"
    assert s.telegram_local_mode is False
    assert s.telegram_mode == "polling"
    assert s.shortapi_key is None and s.uses_emulator
    assert s.shortapi_url == "https://api.shortapi.ai"
    assert s.public_url is None
    assert (s.web_host, s.web_port) == ("0.0.0.0", 8080)
    assert s.database_path == Path("data/bot.sqlite3")
    assert s.media_dir == Path("data/media")
    assert s.admin_user_ids == s.allowed_user_ids == s.allowed_chat_ids == frozenset()
    assert s.confirm_above_usd == Decimal("1.00")


def test_values_are_cast() -> None:
    s = load_settings(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_LOCAL_MODE": "yes",
            "TELEGRAM_MODE": "webhook",
            "PUBLIC_URL": "https://bot.example.org/",
            "WEB_PORT": "9000",
            "ADMIN_USER_IDS": "1, 2,3",
            "ALLOWED_CHAT_IDS": "-100123",
            "SHORTAPI_KEY": "sk-x",
        },
        dotenv=None,
    )
    assert s.require_token() == TOKEN
    assert s.telegram_local_mode and s.telegram_mode == "webhook"
    assert s.public_url == "https://bot.example.org"
    assert s.web_port == 9000
    assert s.admin_user_ids == {1, 2, 3}
    assert s.allowed_chat_ids == {-100123}
    assert not s.uses_emulator


@pytest.mark.parametrize(
    ("env", "fragment"),
    [
        ({"WEB_PORT": "eighty"}, "WEB_PORT must be a whole number"),
        ({"WEB_PORT": "70000"}, "between 0 and 65535"),
        ({"TELEGRAM_MODE": "push"}, "TELEGRAM_MODE must be polling or webhook"),
        ({"TELEGRAM_MODE": "webhook"}, "needs PUBLIC_URL"),
        ({"PUBLIC_URL": "bot.example.org"}, "PUBLIC_URL must be an http(s) URL"),
        ({"ADMIN_USER_IDS": "1,bob"}, "ADMIN_USER_IDS must be comma-separated numeric ids"),
        ({"TELEGRAM_LOCAL_MODE": "maybe"}, "TELEGRAM_LOCAL_MODE must be true or false"),
        ({"TELEGRAM_BOT_TOKEN": "nonsense"}, "does not look like a BotFather token"),
        ({"CONFIRM_ABOVE_USD": "lots"}, "CONFIRM_ABOVE_USD must be an amount"),
    ],
)
def test_bad_values_give_one_clear_line(env: dict[str, str], fragment: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(env, dotenv=None)
    assert fragment in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_token_is_explained() -> None:
    with pytest.raises(ConfigError, match="TELEGRAM_BOT_TOKEN is not set"):
        load_settings({}, dotenv=None).require_token()


def test_dotenv_is_read_and_environment_wins(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        "# comment\nTELEGRAM_BOT_TOKEN='123:abc'\nexport WEB_PORT=8181\nMEDIA_DIR=\"/m\"\n\n"
    )
    assert read_dotenv(env_file)["TELEGRAM_BOT_TOKEN"] == "123:abc"
    s = load_settings({"WEB_PORT": "8282"}, dotenv=env_file)
    assert s.telegram_bot_token == "123:abc"
    assert s.web_port == 8282
    assert s.media_dir == Path("/m")
