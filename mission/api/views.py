"""The API's building blocks. A department adds an endpoint by subclassing `ValuesListView` in its own
`api/` package and listing it in its `api/urls.py`; nothing here changes."""

import logging
import time
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import ForeignObjectRel, QuerySet
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import AuthenticationFailed, NotAuthenticated, Throttled, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mission.api.authentication import BearerTokenAuthentication
from mission.api.identifiers import PartnerIdentifiers, kind_of
from mission.api.identifiers import for_owner as partner_identifiers
from mission.api.models import ApiToken
from mission.api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, paginate
from mission.api.permissions import DatasetPermission, is_partner, staff_may_read
from mission.api.renderers import ORJSONRenderer
from mission.api.rows import PlainRows, page_statements
from mission.api.services import request_log
from mission.api.throttling import TokenRateThrottle, UnauthenticatedRateThrottle
from mission.choices import reference_version
from mission.replicas import replica_reads
from mission.sensitivity import staff_only

logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    import django_filters

    _Field = serializers.Field[Any, Any, Any, Any]
else:  # DRF's fields take no type arguments at run time
    _Field = serializers.Field

ERROR = inline_serializer(
    "Error",
    {
        "detail": serializers.CharField(help_text="What is wrong, in words."),
        "errors": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            required=False,
            help_text="For invalid requests: the messages per parameter.",
        ),
    },
)
PAGING_PARAMETERS = frozenset({"cursor", "page_size", "fields", "format"})
ERROR_RESPONSES = {400: ERROR, 401: ERROR, 403: ERROR, 429: ERROR}
# The schema declares what the server enforces, so that a generated client sends nothing it refuses.
# An empty value, or one of spaces only, is refused (see check_query): JSON Schema patterns are not
# anchored, so "\S" asks for one character that is not a space.
NON_EMPTY = {"type": "string", "minLength": 1, "pattern": r"\S"}
CURSOR = {"type": "string", "minLength": 1, "pattern": r"^[A-Za-z0-9_-]+={0,2}$"}  # base64url, from `next`
FIELDS = {"type": "string", "minLength": 1, "pattern": r"^[a-z0-9_]+(,[a-z0-9_]+)*$"}
PAGE_SIZE = {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": DEFAULT_PAGE_SIZE}


def check_query(request: Request, known: set[str]) -> None:
    """A strict API catches a partner's typo: unknown or empty parameters are a 400, not ignored."""
    errors = {name: [_("Unknown parameter.")] for name in request.query_params if name not in known}
    for name, values in request.query_params.lists():
        if name in known and any(not v.strip() for v in values):
            errors[name] = [_("Give a value, or leave the parameter out.")]
    if errors:
        raise ValidationError(errors)


class PortalAPIView(APIView):
    """Tokens or staff sessions, dataset scopes, throttling per token, orjson, and a log line per request."""

    authentication_classes = [BearerTokenAuthentication, SessionAuthentication]
    permission_classes = [DatasetPermission]
    throttle_classes = [TokenRateThrottle]
    renderer_classes = [ORJSONRenderer]
    dataset = ""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        self._started = time.perf_counter()
        super().initial(request, *args, **kwargs)

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, (NotAuthenticated, AuthenticationFailed)):
            # DRF throttles only authenticated requests; these are counted per address. Once over the
            # rate they get 429 and no log row, so a flood writes a bounded number of rows.
            throttle = UnauthenticatedRateThrottle()
            if not throttle.allow_request(self.request, self):
                self._unlogged = True
                exc = Throttled(throttle.wait())
        return super().handle_exception(exc)

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        if getattr(self, "_unlogged", False):
            return response
        started = getattr(self, "_started", time.perf_counter())
        auth = getattr(request, "auth", None)
        line = partial(
            request_log,
            token=auth if isinstance(auth, ApiToken) else None,
            user=getattr(request, "_user", None),
            method=request.method or "",
            path=request.path,
            query=request.META.get("QUERY_STRING", ""),
            status=response.status_code,
            duration_ms=int((time.perf_counter() - started) * 1000),
        )
        after_delivery(response, line)
        return response


def after_delivery(response: HttpResponseBase, work: Callable[[], None]) -> None:
    """Run `work` once the response has been delivered: the WSGI server (and the test client) closes
    the response after sending its last byte, and Django runs the response's closers then. The client
    does not wait for it (the request log's round trip was a tenth of a small page's time). Django
    swallows a closer's exception; this logs it."""

    def run() -> None:
        try:
            work()
        except Exception:
            logger.exception("Work after the response failed: %s", getattr(work, "func", work).__name__)

    # Django's list of what `close()` runs (HttpResponseBase, since 3.0); files are closed the same way.
    response._resource_closers.append(run)  # type: ignore[attr-defined]


_TYPES: "list[tuple[tuple[type[models.Field[Any, Any]], ...], type[serializers.Field[Any, Any, Any, Any]]]]" = [
    ((models.AutoField, models.BigAutoField, models.IntegerField, models.ForeignKey), serializers.IntegerField),
    ((models.DateTimeField,), serializers.DateTimeField),
    ((models.DateField,), serializers.DateField),
    ((models.TimeField,), serializers.TimeField),
    ((models.BooleanField,), serializers.BooleanField),
    ((models.FloatField, models.DecimalField), serializers.FloatField),
]


# Values a partner may receive without a declaration: they hold codes, numbers, dates and flags, never
# words someone typed. Text needs a declaration (see `ValuesListView.reference_text_fields`).
_CODED = (
    models.BooleanField,
    models.IntegerField,  # AutoField, BigAutoField and the positive ones too
    models.FloatField,
    models.DecimalField,
    models.DateField,  # DateTimeField too
    models.TimeField,
    models.ForeignKey,  # an id
    models.UUIDField,
)


def _target(
    model: type[models.Model], lookup: str
) -> tuple[type[models.Model], "models.Field[Any, Any] | ForeignObjectRel"]:
    """The model and field that `.values(lookup)` reads."""
    parts = lookup.split("__")
    for part in parts[:-1]:
        model = _related(model, part)
    return model, model._meta.get_field("id" if parts[-1] == "pk" else parts[-1])


def _related(model: type[models.Model], name: str) -> type[models.Model]:
    """The model that the relation `name` of `model` leads to."""
    related = model._meta.get_field(name).related_model
    if related is None or isinstance(related, str):
        raise ImproperlyConfigured(f"{model.__name__}.{name} is not a relation to another model.")
    return related


def _model_of(view: type["ValuesListView"]) -> type[models.Model]:
    if view.model is None:
        raise ImproperlyConfigured(f"{view.__name__} lists fields but names no model.")
    return view.model


def _is_record_model(model: type[models.Model]) -> bool:
    """Records (cases, hearings, anything scoped by region) and users: text typed by people, never
    reference data an administrator maintains for publication."""
    from django.contrib.auth import get_user_model

    from mission.accounts.permissions import ScopedQuerySet

    return model is get_user_model() or isinstance(model._default_manager.get_queryset(), ScopedQuerySet)


def check_partner_fields(view: type["ValuesListView"]) -> None:
    """Partners receive coded values only. Every field a partner may receive is coded by its type
    (choices, numbers, dates, booleans, ids), or text declared in `reference_text_fields`, which must
    come from reference data (not from a record or a user). Anything else must be declared internal
    or restricted on its model (`mission.sensitivity`), which puts it in `staff_only_fields`: a
    free-text field left public fails here, at import, not in a partner's hands."""
    for key, lookup in view.fields.items():
        if key in view.staff_only_fields:
            continue
        model, field = _target(_model_of(view), lookup)
        if key in view.reference_text_fields:
            if _is_record_model(model):
                raise ImproperlyConfigured(
                    f"{view.__name__}.{key} ({lookup}) is text of {model.__name__}, typed into records: "
                    "it cannot be reference text; declare it internal on its model (mission.sensitivity)."
                )
            continue
        if getattr(field, "choices", None) or isinstance(field, _CODED):
            continue
        raise ImproperlyConfigured(
            f"{view.__name__}.{key} ({lookup}) is free text: declare it internal on its model (mission.sensitivity; "
            "partners get coded values only), or list it in reference_text_fields if it is a code or name from "
            "the reference data."
        )


@extend_schema_field(
    {
        "oneOf": [{"type": "string", "minLength": 26, "maxLength": 26}, {"type": "integer"}],
        "description": "For partners, their own identifier of the record (a string); for staff, the database id.",
    }
)
class RecordIdentifierField(_Field):
    """Documents a field that holds a partner's identifier or, for staff, the database id."""


def _doc_field(model: type[models.Model], lookup: str, required: bool) -> "serializers.Field[Any, Any, Any, Any]":
    """A serializer field that documents what `.values(lookup)` returns."""
    nullable = False
    field: models.Field[Any, Any] | ForeignObjectRel | None = None
    for part in lookup.split("__"):
        field = model._meta.get_field("id" if part == "pk" else part)
        nullable = nullable or field.null
        if field.is_relation and part != lookup.split("__")[-1]:
            model = _related(model, part)
    for classes, serializer_class in _TYPES:
        if isinstance(field, classes):
            return serializer_class(allow_null=nullable, required=required)
    choices = getattr(field, "choices", None)
    if choices:
        return serializers.ChoiceField(
            choices=[value for value, _label in choices], allow_null=nullable, allow_blank=True, required=required
        )
    return serializers.CharField(allow_null=nullable, allow_blank=True, required=required)


def _filter_parameters(filterset_class: "type[django_filters.FilterSet]") -> list[OpenApiParameter]:
    import django_filters

    parameters = []
    # A FilterSet may say more than a form label can ("hearings dated on or after…"): what the parameter means.
    descriptions = getattr(filterset_class, "parameter_descriptions", {})
    for name, flt in filterset_class.base_filters.items():
        kind: dict[str, Any] | OpenApiTypes = NON_EMPTY
        if isinstance(flt, django_filters.DateTimeFilter):
            kind = OpenApiTypes.DATETIME
        elif isinstance(flt, django_filters.DateFilter):
            kind = OpenApiTypes.DATE
        elif isinstance(flt, django_filters.NumberFilter):
            kind = OpenApiTypes.INT
        enum = None
        if isinstance(flt, django_filters.ChoiceFilter) and not isinstance(flt, django_filters.ModelChoiceFilter):
            enum = [value for value, _label in flt.extra.get("choices", [])] or None
        parameters.append(
            OpenApiParameter(
                name,
                kind,
                OpenApiParameter.QUERY,
                description=str(descriptions.get(name) or flt.label or name),
                enum=enum,
            )
        )
    return parameters


class ValuesListView(PortalAPIView):
    """A lean list endpoint: rows straight from `.values()` (no model instances, no serializer), filtered
    by a django-filter FilterSet, cursor-paginated on the primary key.

    Subclasses set `dataset`, `model`, `fields` (output name → ORM lookup; must include "id"),
    `reference_text_fields` (text partners may read: codes and names of reference data),
    `filterset_class`, and implement `base_queryset(request)`, which applies the user's scope. Partners
    get coded values only: `check_partner_fields` refuses a declaration that would send them free text.
    """

    model: type[models.Model] | None = None
    fields: dict[str, str] = {}
    # Names never sent to partners: every field whose lookup reaches an internal or restricted field
    # (`mission.sensitivity`, declared on the models), worked out when the class is made.
    staff_only_fields: tuple[str, ...] = ()
    reference_text_fields: tuple[str, ...] = ()
    # Fields holding ids of records (output name → the model): partners get their own identifiers for
    # them (`mission.api.identifiers`), in every list alike, and so do the cursors of these lists.
    identifiers: dict[str, type[models.Model]] = {}
    filterset_class: "type[django_filters.FilterSet] | None" = None
    # Whether `base_queryset` gives every partner the same rows (published ones, reference data): then
    # a partner's page statement is written once and kept (`mission.api.rows`). Leave it off for a
    # scope that depends on who asks.
    partners_share_scope = False
    summary = ""
    extra_schema: dict[str, Any] = {}  # documents what `enrich` adds to each row
    get: Callable[..., Response]  # made by `__init_subclass__` for a subclass that lists fields

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not cls.fields:
            return
        model = _model_of(cls)
        cls.staff_only_fields = staff_only(model, cls.fields)
        check_partner_fields(cls)
        row = inline_serializer(
            f"{cls.__name__.removesuffix('List')}Row",
            {
                **{
                    key: RecordIdentifierField()
                    if key in cls.identifiers
                    # Not required: `?fields=` may leave any out, and partners never get the staff-only ones.
                    else _doc_field(model, lookup, required=False)
                    for key, lookup in cls.fields.items()
                },
                **cls.extra_schema,
            },
        )
        page = inline_serializer(
            f"{cls.__name__.removesuffix('List')}Page",
            {
                "next": serializers.URLField(allow_null=True, help_text="The next page, or null on the last."),
                "results": serializers.ListField(child=row),
            },
        )
        parameters = [
            OpenApiParameter(
                "cursor",
                CURSOR,
                OpenApiParameter.QUERY,
                description="Opaque; from the `next` link of the previous page.",
            ),
            OpenApiParameter(
                "page_size",
                PAGE_SIZE,
                OpenApiParameter.QUERY,
                description=f"Rows per page, 1 to {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE}).",
            ),
            OpenApiParameter(
                "fields",
                FIELDS,
                OpenApiParameter.QUERY,
                description="Comma-separated names of the fields to return (default: all you may see).",
            ),
        ]
        if cls.filterset_class is not None:
            parameters += _filter_parameters(cls.filterset_class)

        def get(self: ValuesListView, request: Request, *args: Any, **kwargs: Any) -> Response:
            with replica_reads():  # after authentication, which reads the primary
                return self.list(request)

        cls.get = extend_schema(
            summary=cls.summary or None,
            description=(cls.__doc__ or "").strip(),
            parameters=parameters,
            responses={200: page, **ERROR_RESPONSES},
            tags=[cls.dataset],
        )(get)

    def base_queryset(self, request: Request) -> QuerySet[Any, Any]:
        raise NotImplementedError

    def visible_fields(self, request: Request) -> list[str]:
        keys = [k for k in self.fields if not (is_partner(request) and k in self.staff_only_fields)]
        asked = request.query_params.get("fields")
        if not asked:
            return keys
        wanted = [k.strip() for k in asked.split(",") if k.strip()]
        unknown = [k for k in wanted if k not in keys]
        if unknown:
            raise ValidationError(
                {
                    "fields": [
                        _("Unknown field: %(names)s. Fields: %(known)s.")
                        % {"names": ", ".join(unknown), "known": ", ".join(keys)}
                    ]
                }
            )
        return ["id", *[k for k in wanted if k != "id"]]

    def check_parameters(self, request: Request) -> None:
        known = set(PAGING_PARAMETERS)
        if self.filterset_class is not None:
            known |= set(self.filterset_class.base_filters)
        check_query(request, known)

    def enrich(self, rows: list[dict[str, Any]], request: Request) -> None:
        """Add what one more query per page can give (e.g. ratings of observations)."""

    def pseudonymise(self, rows: list[dict[str, Any]], partner_ids: PartnerIdentifiers, keys: list[str]) -> None:
        """Replace the ids of records by the partner's identifiers (after `enrich`, which needs the ids)."""
        for key in keys:
            encoded = partner_ids.encode_all(kind_of(self.identifiers[key]), [row[key] for row in rows])
            for row in rows:
                if row[key] is not None:
                    row[key] = encoded[row[key]]

    def page_queryset(self, request: Request, after: int | None) -> QuerySet[Any, Any]:
        """The list in the request's scope, filtered, in primary-key order, after the cursor `after`."""
        queryset = self.base_queryset(request)
        if self.filterset_class is not None and self._filtering(request):
            filterset = self.filterset_class(request.query_params, queryset=queryset, request=request)
            if not filterset.is_valid():
                raise ValidationError(filterset.errors)
            queryset = filterset.qs
        queryset = queryset.order_by("pk")
        return queryset if after is None else queryset.filter(pk__gt=after)

    @staticmethod
    def _filtering(request: Request) -> list[tuple[str, list[str]]]:
        return sorted((k, v) for k, v in request.query_params.lists() if k not in PAGING_PARAMETERS)

    def list(self, request: Request) -> Response:
        self.check_parameters(request)
        keys = self.visible_fields(request)
        lookups = [self.fields[k] for k in keys]
        cursor: dict[str, Callable[..., Any]] = {}
        partner = is_partner(request)
        partner_ids = partner_identifiers(request.user.pk) if partner else None
        if partner_ids is not None and "id" in self.identifiers:
            kind = kind_of(self.identifiers["id"])
            cursor = {"encode": partial(partner_ids.encode, kind), "decode": partial(partner_ids.decode, kind)}

        def rows_after(after: int | None) -> PlainRows:
            return PlainRows(self.page_queryset(request, after), lookups, keys)

        def page(after: int | None, limit: int) -> list[dict[str, Any]]:
            if partner and self.partners_share_scope:
                # Per partner: a filter may hold the partner's own identifier of a record, which the
                # kept statement holds decoded (another partner's same text must not reach it).
                filters = tuple((k, tuple(v)) for k, v in self._filtering(request))
                shape = (type(self), request.user.pk, tuple(keys), filters, reference_version() if filters else "")
                return page_statements.rows(shape, rows_after, after, limit)
            return rows_after(after).page(limit)

        rows, next_url = paginate(request, page, **cursor)
        self.enrich(rows, request)
        if partner_ids is not None:
            self.pseudonymise(rows, partner_ids, [k for k in keys if k in self.identifiers])
        return Response({"next": next_url, "results": rows})


class ApiRootView(PortalAPIView):
    """The datasets your token may read, with their endpoints."""

    permission_classes = []

    @extend_schema(
        responses={
            200: inline_serializer("Root", {"datasets": serializers.ListField(child=serializers.DictField())}),
            **ERROR_RESPONSES,
        },
        tags=["root"],
    )
    def get(self, request: Request) -> Response:
        from mission.api import datasets

        if not request.user or not request.user.is_authenticated:
            raise NotAuthenticated
        token = request.auth if isinstance(request.auth, ApiToken) else None
        shown = [
            {"code": d.code, "label": str(d.label)}
            for d in datasets.all_datasets()
            if (token is None or d.code in token.scopes)
            and (d.partners if is_partner(request) else staff_may_read(request.user, d))
        ]
        return Response({"datasets": shown})
