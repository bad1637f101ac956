"""Notifications other apps may listen to; progress itself imports none of them."""

from django.dispatch import Signal

# Sent once the transaction that recorded a completion has committed.
# Keyword arguments: learner_id, step_id, course_id, passed.
step_completed = Signal()
