"""Suite-wide settings.

In CI (`CI=true`) Hypothesis runs derandomized: the same examples every run, so a submission's
result does not depend on luck. Locally it explores new examples every run, which is how new
counterexamples are found (then they are fixed and kept as explicit cases).
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI", "").lower() == "true":
    settings.load_profile("ci")
