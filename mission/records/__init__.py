"""Reviewed records by declaration: a department declares a `RecordType` for each kind of record its
staff log (`records` on its DepartmentConfig), and gets its list, detail, form, review queue, history,
access log, CSV export, API list and aggregates and dashboard figures from the kit. A
record type whose pages need more than the declaration offers (rights' hearings and checklists) uses
the same services and fragments from its own views."""
