"""Limits of the services around the bot that its texts and checks both need. Pure constants."""

from __future__ import annotations

MB = 1024 * 1024
CLOUD_DOWNLOAD_LIMIT = 20 * MB  # Bot API getFile limit without a local server
CLOUD_UPLOAD_LIMIT = 50 * MB  # Bot API upload limit without a local server
MEDIA_LINK_TTL_SECONDS = 6 * 3600  # how long a signed media link works
