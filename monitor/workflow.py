"""The explanation workflow (giải trình): a unit head explains a violation, the office accepts or rejects
it. Each change is checked against who may make it and recorded in the audit trail (`ViolationEvent`).

Used by the pages and the JSON API alike, so the rules hold whichever door a person comes through."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from monitor.models import User, Violation, ViolationEvent

MAX_TEXT = 4000
# Which statuses each action starts from: a rejected explanation may be explained again, an accepted
# or resolved violation is closed.
EXPLAINABLE = ("open", "rejected")
REVIEWABLE = ("explained",)


class WorkflowError(ValueError):
    """An action that is not allowed now; `forbidden` says it is about who, not about the state."""

    def __init__(self, message: str, *, forbidden: bool = False) -> None:
        super().__init__(message)
        self.forbidden = forbidden


def can_view(user: User, violation: Violation) -> bool:
    return user.role != "unit_head" or violation.unit_code == user.unit_code


def can_explain(user: User, violation: Violation) -> bool:
    """Only the head of the violation's unit explains it: the office does not speak for a unit."""
    return user.role == "unit_head" and violation.unit_code == user.unit_code


def can_review(user: User) -> bool:
    return user.role in ("office", "admin")


def _text(value: str | None, what: str, *, required: bool) -> str | None:
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise WorkflowError(f"{what} không được để trống")
    if len(cleaned) > MAX_TEXT:
        raise WorkflowError(f"{what} dài quá {MAX_TEXT} ký tự")
    return cleaned or None


def _change(
    session: Session,
    violation: Violation,
    user: User,
    action: str,
    to_status: str,
    comment: str | None,
    now: dt.datetime,
) -> ViolationEvent:
    event = ViolationEvent(
        violation_id=violation.id,
        at=now,
        actor=user.email,
        action=action,
        from_status=violation.status,
        to_status=to_status,
        comment=comment,
    )
    session.add(event)
    violation.status = to_status
    violation.updated_at = now
    session.flush()
    return event


def explain(
    session: Session, violation: Violation, user: User, text: str, now: dt.datetime
) -> ViolationEvent:
    """The unit head's explanation: open (or rejected) → explained."""
    if not can_explain(user, violation):
        raise WorkflowError("Chỉ trưởng phòng của đơn vị vi phạm được giải trình", forbidden=True)
    if violation.status not in EXPLAINABLE:
        raise WorkflowError("Vi phạm này không ở trạng thái chờ giải trình")
    explanation = _text(text, "Nội dung giải trình", required=True)
    violation.explanation = explanation
    violation.review_comment = None
    return _change(session, violation, user, "explained", "explained", explanation, now)


def review(
    session: Session, violation: Violation, user: User, accept: bool, comment: str | None, now: dt.datetime
) -> ViolationEvent:
    """The office's decision on an explanation: explained → accepted or rejected (a rejection says why)."""
    if not can_review(user):
        raise WorkflowError("Chỉ Văn phòng được chấp nhận hoặc không chấp nhận giải trình", forbidden=True)
    if violation.status not in REVIEWABLE:
        raise WorkflowError("Vi phạm này chưa có giải trình chờ xem xét")
    note = _text(comment, "Lý do không chấp nhận" if not accept else "Nhận xét", required=not accept)
    violation.review_comment = note
    status = "accepted" if accept else "rejected"
    return _change(session, violation, user, status, status, note, now)


def accept(
    session: Session, violation: Violation, user: User, comment: str | None, now: dt.datetime
) -> ViolationEvent:
    return review(session, violation, user, True, comment, now)


def reject(
    session: Session, violation: Violation, user: User, comment: str | None, now: dt.datetime
) -> ViolationEvent:
    return review(session, violation, user, False, comment, now)
