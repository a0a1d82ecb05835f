"""SQLAlchemy models, split by domain; importing this package registers every table."""

from monitor.models.base import Base
from monitor.models.catalog import Procedure, Unit
from monitor.models.delivery import ConnectorHealth, Delivery, ReportRun
from monitor.models.dossiers import (
    Apology,
    Dossier,
    Feedback,
    Judgement,
    ProcessingStep,
    StatusObservation,
    SupplementRequest,
)
from monitor.models.sync import ImportedFile, RejectedRecord, SyncCursor, SyncRun
from monitor.models.users import ROLES, ApiToken, User
from monitor.models.violations import STATUSES, Violation, ViolationEvent

__all__ = [
    "ROLES",
    "STATUSES",
    "ApiToken",
    "Apology",
    "Base",
    "ConnectorHealth",
    "Delivery",
    "Dossier",
    "Feedback",
    "ImportedFile",
    "Judgement",
    "Procedure",
    "ProcessingStep",
    "RejectedRecord",
    "ReportRun",
    "StatusObservation",
    "SupplementRequest",
    "SyncCursor",
    "SyncRun",
    "Unit",
    "User",
    "Violation",
    "ViolationEvent",
]
