"""Messages for people from the archive's rules, kept with their template.

The archive speaks Indonesian, the site's first language. A `Message` is that Indonesian text
(it is a `str`, so logs, the command line and tests read it as before) and also keeps its
template and values, so the web layer can say it in the reader's language through the
catalogue (`web.i18n.say`). `N_` marks a template for `pybabel extract` (babel.cfg).
"""

from __future__ import annotations

from typing import Any


class Message(str):
    """Indonesian text made from a template and its values (``%(name)s`` placeholders)."""

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, **params: Any) -> Message:
        message = super().__new__(cls, template % params if params else template)
        message.template = template
        message.params = params
        return message


N_ = Message
