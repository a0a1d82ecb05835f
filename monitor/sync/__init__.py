"""Connector records into the data store: idempotent upserts, sync runs, rejects and cursors."""

from monitor.sync.run import SyncProgress, SyncSummary, http_options, sync_all, sync_connector

__all__ = ["SyncProgress", "SyncSummary", "http_options", "sync_all", "sync_connector"]
