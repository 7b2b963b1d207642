"""The HTTP service: CDS Hooks discovery, service calls and feedback, a plain JSON check, and health.

Handlers are ``async def`` and compute synchronously: an answer takes about a millisecond of CPU, and
running requests one at a time on the event loop means the shared index memo is never touched by two
requests at once (see :mod:`ketinteract.service.privacy`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import Annotated, Any, Literal

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from ketinteract._version import __version__
from ketinteract.compiled import CompiledIndex
from ketinteract.contract import NOT_ADVICE
from ketinteract.enums import Route, Severity
from ketinteract.errors import KetinteractError
from ketinteract.query import run_check
from ketinteract.service import schemas
from ketinteract.service.guard import Guard
from ketinteract.service.hooks import SERVICES, HookService, read_hook, request_texts, respond
from ketinteract.service.outcome import (
    ISSUE_BY_STATUS,
    MAX_BODY_BYTES,
    MAX_MEDICATIONS,
    ServiceError,
    operation_outcome,
)
from ketinteract.service.privacy import forgetting

LOG = logging.getLogger("ketinteract.service")

CORS_ALLOW_HEADERS = ("Authorization", "Content-Type", "Accept")
CORS_EXPOSE_HEADERS = ("Origin", "Accept", "Content-Location", "Location", "X-Requested-With")
"""The headers the CDS Hooks documentation's CORS guidance lists for services called from a browser."""


def _outcome(status: int, code: str, message: str, expression: str | None = None) -> JSONResponse:
    return JSONResponse(operation_outcome(code, message, expression), status_code=status)


def _parse_json(body: bytes) -> Any:
    if not body.strip():
        raise ServiceError(400, "structure", "the request body is empty; expected JSON")
    try:
        return json.loads(body)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else "not UTF-8 JSON, or nested too deeply"
        raise ServiceError(400, "structure", f"the request body is not valid JSON ({reason})") from None


def _service(service_id: str) -> HookService:
    service = SERVICES.get(service_id)
    if service is None:
        raise ServiceError(404, "not-found", f"no CDS service with id {service_id[:80]!r}; see GET /cds-services")
    return service


def _install_errors(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def service_error(request: Request, exc: ServiceError) -> JSONResponse:
        return _outcome(exc.status, exc.code, exc.message, exc.expression)

    @app.exception_handler(KetinteractError)
    async def usage_error(request: Request, exc: KetinteractError) -> JSONResponse:
        return _outcome(400, "invalid", exc.message)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ()))
        return _outcome(400, "invalid", f"{where}: {first.get('msg', 'invalid request')}", where or None)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = ISSUE_BY_STATUS.get(exc.status_code, "processing")
        response = _outcome(exc.status_code, code, str(exc.detail))
        if exc.headers:
            response.headers.update(exc.headers)
        return response


def create_app(
    index: CompiledIndex,
    *,
    log_requests: bool = False,
    cors_origins: Sequence[str] = ("*",),
    max_body: int = MAX_BODY_BYTES,
) -> FastAPI:
    """The ASGI app answering from ``index``. Nothing about a request is kept after its answer."""
    app = FastAPI(
        title="ketinteract",
        version=__version__,
        summary="Evidence-graded drug interactions as a CDS Hooks 2.0 service.",
        description=NOT_ADVICE,
        # The interactive docs pages load scripts from a CDN; an offline tool serves the schema only.
        docs_url=None,
        redoc_url=None,
    )
    _install_errors(app)
    findings = len(index.finding_ids())

    @app.get("/cds-services", response_model=schemas.Discovery, tags=["CDS Hooks"])
    async def discovery() -> JSONResponse:
        """CDS Hooks discovery: the order-sign and order-select services and what they prefetch."""
        return JSONResponse({"services": [s.discovery() for s in SERVICES.values()]})

    @app.post(
        "/cds-services/{service_id}",
        tags=["CDS Hooks"],
        response_model=schemas.CardsResponse,
        responses=schemas.ERRORS,
        openapi_extra=schemas.request_body(schemas.HookRequest),
    )
    async def call_service(
        service_id: str,
        request: Request,
        among_current: Annotated[bool, Query(description="Also answer pairs among current medications alone.")] = False,
        cards: Annotated[
            Literal["actionable", "all"],
            Query(description="actionable: no card for findings of no effect or no action needed; all: a card each."),
        ] = "actionable",
    ) -> JSONResponse:
        """A hook call: cards for every interaction between a draft order and another draft order or a
        current medication, and a card naming each medication that could not be matched."""
        service = _service(service_id)
        hook = read_hook(service, _parse_json(await request.body()), among_current=among_current, cards=cards)
        with forgetting(index, request_texts([*hook.new, *hook.current])):
            response, matches = respond(index, hook)
            if log_requests:  # medication names reach the log only when the operator asked for them
                matched = "; ".join(
                    f"{m.medication.label} -> {','.join(d['id'] for d in m.drugs) or '?'}" for m in matches
                )
                LOG.info("%s: %d new, %d current: %s", service.id, len(hook.new), len(hook.current), matched)
        return JSONResponse(response)

    @app.post(
        "/cds-services/{service_id}/feedback",
        tags=["CDS Hooks"],
        responses=schemas.ERRORS,
        openapi_extra=schemas.request_body(schemas.FeedbackRequest),
    )
    async def feedback(service_id: str, request: Request) -> JSONResponse:
        """Card feedback: checked and acknowledged, never stored (it may describe a patient's care)."""
        _service(service_id)
        body = _parse_json(await request.body())
        try:
            items = schemas.FeedbackRequest.model_validate(body).feedback
        except ValueError as exc:
            raise ServiceError(400, "invalid", f"not a CDS Hooks feedback request: {_first_error(exc)}") from None
        LOG.info("feedback for %s: %d item(s)", service_id, len(items))
        return JSONResponse({"received": len(items)})

    @app.get("/check", tags=["JSON"], responses=schemas.ERRORS)
    async def check(
        drug: Annotated[list[str], Query(description="A drug name (repeat for each drug, at least two).")],
        context: Annotated[list[str] | None, Query(description="Only this clinical context (repeatable).")] = None,
        route: Annotated[Route | None, Query(description="Keep findings that hold for this route.")] = None,
        min_severity: Annotated[Severity | None, Query(description="Hide findings below this severity.")] = None,
    ) -> Response:
        """The same JSON document as ``ketinteract check --format json`` for the named drugs."""
        if len(drug) > MAX_MEDICATIONS:
            raise ServiceError(413, "too-costly", f"at most {MAX_MEDICATIONS} drug names; got {len(drug)}")
        with forgetting(index, drug):
            answer = run_check(index, drug, context or [], route, min_severity)
        # Byte for byte what ``check --format json`` prints when piped.
        return Response(answer.json + "\n", media_type="application/json")

    @app.get("/health", tags=["Service"], response_model=schemas.Health)
    async def health() -> JSONResponse:
        """Liveness, with the version and the table the service answers from."""
        return JSONResponse(
            {"status": "ok", "version": __version__, "table_version": index.table_version, "findings": findings}
        )

    _documented_bodies(app)
    app.add_middleware(Guard, max_body=max_body, log_requests=log_requests)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(cors_origins),
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=list(CORS_ALLOW_HEADERS),
        expose_headers=list(CORS_EXPOSE_HEADERS),
        # Browser-based CDS clients (the CDS Hooks sandbox) calling a service on localhost need this.
        allow_private_network=True,
    )
    return app


def _documented_bodies(app: FastAPI) -> None:
    """Add the request-body schemas to the OpenAPI components (the hook handlers read bodies themselves)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = generate()
            # FastAPI documents a 422 for every handler with parameters; this service answers 400.
            for operation in (op for path in document["paths"].values() for op in path.values()):
                operation.get("responses", {}).pop("422", None)
            found = document.setdefault("components", {}).setdefault("schemas", {})
            for unused in ("HTTPValidationError", "ValidationError"):
                found.pop(unused, None)
            found.update(schemas.components())
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _first_error(exc: ValueError) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        found = errors()
        if found:
            where = ".".join(str(p) for p in found[0].get("loc", ()))
            return f"{where}: {found[0].get('msg', '')}"
    return "invalid"
