"""The sandbox page shows Telegram's HTML subset and nothing else."""

from __future__ import annotations

from bot.sandbox.render import telegram_html


def test_telegram_tags_are_kept() -> None:
    assert telegram_html("<b>v2</b> · <i>make it rainy</i>") == "<b>v2</b> · <i>make it rainy</i>"
    assert telegram_html("<strong>a</strong><em>b</em><code>c</code>") == (
        "<b>a</b><i>b</i><code>c</code>")
    assert telegram_html("<tg-spoiler>x</tg-spoiler>") == '<span class="spoiler">x</span>'


def test_anything_else_is_text() -> None:
    assert telegram_html("<script>alert(1)</script>") == "alert(1)"
    assert telegram_html('<a href="javascript:alert(1)">x</a>') == "x"
    assert telegram_html("1 &lt; 2 &amp;&amp; <b>3 &gt; 2</b>") == "1 &lt; 2 &amp;&amp; <b>3 &gt; 2</b>"
    assert telegram_html('<img src=x onerror="alert(1)">') == ""


def test_links_keep_only_safe_schemes_and_open_elsewhere() -> None:
    assert telegram_html('<a href="https://t.me/x?a=1&amp;b=2">t</a>') == (
        '<a href="https://t.me/x?a=1&amp;b=2" target="_blank" rel="noopener">t</a>')


def test_unclosed_tags_are_closed() -> None:
    assert telegram_html("<b>bold <i>both") == "<b>bold <i>both</i></b>"
