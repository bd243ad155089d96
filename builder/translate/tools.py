"""Running the language tools (Apertium, hunspell) the same way whatever the caller's locale is.

Both tools read their input through the C library's locale. Under a locale that is not installed
(`LANG=nb_NO.UTF-8` on a machine with only C.UTF-8) or a non-UTF-8 one, hunspell took «ø» for a
word boundary («Løysingar» → «L», «ysingar»: 309 «unknown» words in the real course instead of 0),
and Apertium's pipeline aborted with `locale::facet::_S_create_c_locale name not valid` while its
script still exited 0 with no text. C.UTF-8 is built into glibc (2.35 and later) and so always exists."""

from __future__ import annotations

import os
import subprocess

UTF8_LOCALE = {"LC_ALL": "C.UTF-8"}


def run(args: list[str], text: str) -> subprocess.CompletedProcess:
    """`args` with `text` as UTF-8 input, read back as UTF-8, in an explicit UTF-8 locale."""
    return subprocess.run(args, input=text, capture_output=True, encoding="utf-8", errors="replace",
                          env=os.environ | UTF8_LOCALE, check=False)
