"""The OpenAPI 3.0 document of /api/v1/, written by hand next to the routes it describes."""

from __future__ import annotations

from typing import Any

from monitor.models import STATUSES
from monitor.web.labels import VIOLATION_RULES

_NULL_STR = {"type": "string", "nullable": True}
TEXT = {"type": "string", "pattern": "^[^\\x00]*$", "maxLength": 80}  # PostgreSQL text holds no NUL
DAY = {"type": "string", "pattern": "^(19[0-9][0-9]|20[0-9][0-9])-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])$"}
_INSTANT = {"type": "string", "format": "date-time", "nullable": True}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


def _ok(schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": "OK", "content": {"application/json": {"schema": schema}}}


def _page(item: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["total", "limit", "offset", "items"],
        "properties": {
            "total": {"type": "integer"},
            "limit": {"type": "integer"},
            "offset": {"type": "integer"},
            "items": {"type": "array", "items": _ref(item)},
        },
    }


def _q(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


PAGING = [
    _q("limit", {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}, "rows per page"),
    _q("offset", {"type": "integer", "minimum": 0, "maximum": 10_000_000, "default": 0}, "rows to skip"),
]
COMMON = {"401": _error("no valid bearer token"), "400": _error("a bad parameter, named in the message")}


def document() -> dict[str, Any]:
    violation_filters = [
        _q("unit", TEXT, "unit code (a unit head's token: own unit only)"),
        _q("rule", {"type": "string", "enum": list(VIOLATION_RULES)}, "rule code"),
        _q("status", {"type": "string", "enum": list(STATUSES)}, "violation status"),
        _q("from", DAY, "detected on or after this local date (yyyy-mm-dd or dd/mm/yyyy)"),
        _q("to", DAY, "detected on or before this local date (yyyy-mm-dd or dd/mm/yyyy)"),
        _q("q", TEXT, "part of the dossier code"),
        _q("sort", {"type": "string", "enum": ["detected", "unit", "rule", "status", "dossier"]}, "sort key"),
        _q("order", {"type": "string", "enum": ["asc", "desc"]}, "sort direction"),
    ]
    vid = {
        "name": "violation_id",
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 1},
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Dossier monitor API",
            "version": "1.0.0",
            "description": "Theo dõi hồ sơ TTHC đúng hạn: violations, dossiers, units and indicators.",
        },
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}],
        "paths": {
            "/api/v1/violations": {
                "get": {
                    "summary": "Violations, filtered, newest first",
                    "parameters": violation_filters + PAGING,
                    "responses": {"200": _ok(_page("Violation")), **COMMON, "403": _error("another unit")},
                }
            },
            "/api/v1/violations/{violation_id}": {
                "get": {
                    "summary": "One violation with its explanation and audit trail",
                    "parameters": [vid],
                    "responses": {"200": _ok(_ref("ViolationDetail")), **COMMON, "404": _error("not found")},
                }
            },
            "/api/v1/violations/{violation_id}/{action}": {
                "post": {
                    "summary": "Explain (unit head), accept or reject (office)",
                    "parameters": [
                        vid,
                        {
                            "name": "action",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "enum": ["explain", "accept", "reject"]},
                        },
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"text": {"type": "string"}, "comment": {"type": "string"}},
                                }
                            }
                        },
                    },
                    "responses": {
                        "200": _ok(_ref("ViolationDetail")),
                        **COMMON,
                        "403": _error("not allowed"),
                        "404": _error("not found"),
                        "409": _error("not allowed in this status"),
                    },
                }
            },
            "/api/v1/dossiers": {
                "get": {
                    "summary": "Dossiers with their judged fields",
                    "parameters": [
                        _q("unit", TEXT, "unit code"),
                        _q("code", TEXT, "exact dossier code"),
                        _q("due_soon", {"type": "boolean"}, "due soon at the last evaluation"),
                        *PAGING,
                    ],
                    "responses": {"200": _ok(_page("Dossier")), **COMMON, "403": _error("another unit")},
                }
            },
            "/api/v1/dossiers/{code}": {
                "get": {
                    "summary": "One dossier",
                    "parameters": [
                        {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "responses": {"200": _ok(_ref("Dossier")), **COMMON, "404": _error("not found")},
                }
            },
            "/api/v1/units": {
                "get": {
                    "summary": "Units",
                    "responses": {
                        "200": _ok(
                            {
                                "type": "object",
                                "properties": {"items": {"type": "array", "items": _ref("Unit")}},
                            }
                        ),
                        **COMMON,
                    },
                }
            },
            "/api/v1/indicators": {
                "get": {
                    "summary": "The 766 figures of a month per unit (the report's JSON shape)",
                    "parameters": [
                        _q(
                            "month",
                            {"type": "string", "pattern": "^20[0-5][0-9]-(0[1-9]|1[0-2])$"},
                            "YYYY-MM, default the current month",
                        )
                    ],
                    "responses": {"200": _ok(_ref("Indicators")), **COMMON},
                }
            },
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": _schemas(),
        },
    }


def _schemas() -> dict[str, Any]:
    violation = {
        "type": "object",
        "required": ["id", "rule", "dossier_code", "unit_code", "step", "status", "detected_at", "details"],
        "properties": {
            "id": {"type": "integer"},
            "rule": {"type": "string"},
            "dossier_code": {"type": "string"},
            "unit_code": {"type": "string"},
            "step": {"type": "integer", "nullable": True},
            "status": {"type": "string", "enum": list(STATUSES)},
            "detected_at": {"type": "string", "format": "date-time"},
            "details": {"type": "object"},
        },
    }
    event = {
        "type": "object",
        "properties": {
            "at": {"type": "string", "format": "date-time"},
            "actor": {"type": "string"},
            "action": {"type": "string"},
            "from_status": _NULL_STR,
            "to_status": {"type": "string"},
            "comment": _NULL_STR,
        },
    }
    detail = {
        "allOf": [
            _ref("Violation"),
            {
                "type": "object",
                "properties": {
                    "resolved_at": _INSTANT,
                    "explanation": _NULL_STR,
                    "review_comment": _NULL_STR,
                    "events": {"type": "array", "items": event},
                },
            },
        ]
    }
    dossier = {
        "type": "object",
        "required": ["code", "unit_code", "status"],
        "properties": {
            "code": {"type": "string"},
            "unit_code": {"type": "string"},
            "procedure_code": _NULL_STR,
            "status": {"type": "integer"},
            "received_at": _INSTANT,
            "due_at": _INSTANT,
            "effective_due_at": _INSTANT,
            "statutory_due_at": _INSTANT,
            "end_at": _INSTANT,
            "supplement_requests": {"type": "integer"},
            "paused": {"type": "boolean", "nullable": True},
            "due_soon": {"type": "boolean", "nullable": True},
        },
    }
    unit = {
        "type": "object",
        "required": ["code", "name"],
        "properties": {"code": {"type": "string"}, "name": {"type": "string"}, "parent_code": _NULL_STR},
    }
    indicators = {
        "type": "object",
        "required": ["month", "units", "total"],
        "properties": {
            "month": {"type": "string"},
            "units": {"type": "array", "items": {"type": "object"}},
            "total": {"type": "object"},
        },
    }
    return {
        "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
        "Violation": violation,
        "ViolationDetail": detail,
        "Dossier": dossier,
        "Unit": unit,
        "Indicators": indicators,
    }
