"""Violations, dossiers and units as JSON objects, with the command line's field names
(interfaces.md): pages' exports and the API use them, so a script sees the same shape everywhere."""

from __future__ import annotations

from typing import Any

from monitor.models import Dossier, Unit, Violation
from monitor.timeutil import iso


def violation(v: Violation, dossier_code: str) -> dict[str, Any]:
    return {
        "id": v.id,
        "rule": v.rule,
        "dossier_code": dossier_code,
        "unit_code": v.unit_code,
        "step": v.step or None,
        "status": v.status,
        "detected_at": iso(v.detected_at),
        "details": v.details or {},
    }


def violation_full(v: Violation, dossier_code: str) -> dict[str, Any]:
    """One violation with its explanation and audit trail (the API's detail object)."""
    return {
        **violation(v, dossier_code),
        "resolved_at": iso(v.resolved_at),
        "explanation": v.explanation,
        "review_comment": v.review_comment,
        "events": [
            {
                "at": iso(e.at),
                "actor": e.actor,
                "action": e.action,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "comment": e.comment,
            }
            for e in v.events
        ],
    }


def dossier(d: Dossier) -> dict[str, Any]:
    j = d.judgement  # None until the dossier is first evaluated
    return {
        "code": d.code,
        "unit_code": d.unit_code,
        "procedure_code": d.procedure_code,
        "status": d.status,
        "received_at": iso(d.received_at),
        "due_at": iso(j.base_due_at if j else None),
        "effective_due_at": iso(j.effective_due_at if j else None),
        "statutory_due_at": iso(j.statutory_due_at if j else None),
        "end_at": iso(j.end_at if j else None),
        "supplement_requests": len(d.supplements),
        "paused": j.paused if j else None,
        "due_soon": j.due_soon if j else None,
    }


def unit(u: Unit) -> dict[str, Any]:
    return {"code": u.code, "name": u.name, "parent_code": u.parent_code}
