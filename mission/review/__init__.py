"""The review workflow every department's field records share: draft → submitted → returned or
approved, locked once approved, corrected afterwards as a new revision with a reason.

A department declares a model on `ReviewedRecord` (its author field, its labels) with a manager built
on `ReviewedQuerySet` (its department and path to a region, as every `ScopedQuerySet`); the services,
selectors, permissions, history and the templates `review/_panel.html` and `review/_history.html` do
the rest."""
