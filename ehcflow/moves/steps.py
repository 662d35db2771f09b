"""The move steps added after the first slice, as the case pages offer them (registered in ehcflow.cases.views).

The first move steps (record a move out, the plan sent, the family told) are listed with the ceasing steps in
`ehcflow.ceasing.steps`. These act on the plan and find the pending move out themselves, so the case page's
lifecycle machinery (default target, refusal, target lookup) serves them unchanged; whether each is possible
is `ehcflow.moves.services.step_refusal`, the same rule the services apply.
"""

from ehcflow.moves import forms as mf
from ehcflow.moves import services as ms

# (slug, title, form, service, target, hint, success, button)
SPECS = [
    ("move-health-notice", "Record the notice to the new health commissioning body", mf.MoveHealthNoticeForm,
     ms.move_health_notice_record, "plan",
     "Where the move changes the health commissioning body, the old body tells the new one on the day of the "
     "move, or within 15 working days beginning with the day it learnt of the move if that is later (SEND "
     "Regulations 2014 reg 16). If the move does not change it, say so and the deadline goes.",
     "Health commissioning body notice recorded", "Save"),
    ("move-cancel", "Cancel the move: the family is not moving", mf.MoveCancelForm, ms.move_cancel, "plan",
     "Only while the plan has not been sent to the other council. The move stays on the record with the "
     "reason; its deadlines go and this council keeps maintaining the plan.", "Move cancelled", "Cancel the move"),
]
SLUGS = frozenset(s[0] for s in SPECS)


def step_kwargs() -> list[dict]:
    """Keyword arguments for `ehcflow.cases.views.Step`, one dict per step."""
    return [{"slug": slug, "title": title, "form_class": form, "service": service, "target": target, "hint": hint,
             "success": success, "button": button}
            for slug, title, form, service, target, hint, success, button in SPECS]
