"""Helpers shared by the XBlock test modules (imported as ``tests.xblocks.helpers``)."""

from webob import Request
from workbench.runtime import WorkbenchRuntime

REFLECTION_OLX = (
    '<kulturskole_reflection url_name="week1_reflection" xblock-family="xblock.v1" '
    'display_name="Refleksjon etter samling 1" prompt="Hva overrasket deg?" '
    'guidance="Tenk på én situasjon." min_length="10" max_length="200"/>'
)

HOMEWORK_OLX = (
    '<kulturskole_homework url_name="g2_homework" xblock-family="xblock.v1" '
    'display_name="Hjemmeoppgave før samling 2" gathering_id="samling-2" '
    'gathering_title="Samling 2: Medvirkning" due_text="Innen 12. januar kl. 18" '
    'deliverable="Et kort notat om hva dere observerte." '
    'steps=\'[{"phase": "plan", "text": "Velg en situasjon"}, {"phase": "act", "text": "Prøv det ut"}, '
    '{"phase": "observe", "text": "Noter hva som skjer"}, {"phase": "reflect", "text": "Snakk sammen"}]\' '
    'min_length="0" max_length="300"/>'
)


class Published:
    """Records runtime.publish calls."""

    def __init__(self):
        self.events = []

    def __call__(self, block, event_type, event_data):
        self.events.append((event_type, event_data))

    def of_type(self, event_type):
        """The data of every event of ``event_type``."""
        return [data for kind, data in self.events if kind == event_type]


def as_user(block, user):
    """The same block usage as seen by another user (fresh runtime, as for a new request)."""
    return WorkbenchRuntime(user).get_block(block.scope_ids.usage_id)


def call(block, handler, body=b"", method="POST", headers=None):
    """Call a handler the way the workbench does for an HTTP request; returns the webob response."""
    if not isinstance(body, bytes):
        body = body.encode("utf-8")
    request = Request.blank("/", method=method, body=body if method == "POST" else None,
                            headers=headers or {"Content-Type": "application/json"})
    return block.runtime.handle(block, handler, request)


def view_html(block):
    """The learner view as the runtime wraps it (including the JSON init arguments)."""
    return block.runtime.render(block, "student_view").body_html()
