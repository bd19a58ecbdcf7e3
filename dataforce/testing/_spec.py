"""The packaged ``openapi.yaml``, compiled into routes and JSON Schema validators.

Why validate against the spec instead of hand-written checks: the stand-in exists so that
SDK tests fail when the SDK sends something the service would refuse, and so that the
server itself cannot drift from the document the SDK is generated from. Both sides read the
same file (``dataforce/openapi.yaml``, a symlink to the repository's root spec shipped as
package data), and validation is delegated to ``jsonschema`` (Draft 2020-12, the dialect of
OpenAPI 3.1) with ``referencing`` resolving the spec's ``#/components/...`` references.

What is validated:

* the request's route and method (unknown path: 404, known path with another method: 405);
* path, query and header parameters with scalar schemas, including ``format`` (a
  ``FormatChecker`` is enabled, so ``format: uuid`` is enforced);
* JSON request bodies: presence when required, the media type, JSON syntax and the schema;
* optionally the server's own responses: the status must be documented for the
  operation, the media type must be one the operation documents for that status and the
  body must match its schema (``204``-style responses documented without content must have
  an empty body).

What is not: cookies, security requirements (authentication is the server's own logic),
response headers, non-JSON request bodies beyond their media type, and parameter styles
other than a plain scalar (the spec uses none; compiling such a spec fails loudly).

Errors are reported in the service's (FastAPI's) shape:
``{"type": ..., "loc": ["body", "name"], "msg": ..., "input": ...}``.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any, Final
from urllib.parse import quote, unquote

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from dataforce.api._nesting import deeper_than
from dataforce.testing._ecma_regex import EcmaValidator
from dataforce.testing._fastapi_details import Detail, missing
from dataforce.testing._fastapi_details import details as schema_details

__all__ = ["ApiSpec", "Operation", "Route", "json_pointer", "load_spec"]

SPEC_URI = "urn:dataforce:openapi"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_FORMAT_CHECKER = Draft202012Validator.FORMAT_CHECKER


def _pointer(*segments: str) -> str:
    """A URI-fragment JSON pointer (``referencing`` unquotes fragments before walking them)."""
    escaped = (seg.replace("~", "~0").replace("/", "~1") for seg in segments)
    return "".join("/" + quote(seg, safe="~") for seg in escaped)


json_pointer = _pointer


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str  # "path", "query" or "header"
    required: bool
    scalar_type: str | None  # the first non-null JSON type the schema declares, if any
    validator: Draft202012Validator


@dataclass(frozen=True)
class RequestBodySpec:
    required: bool
    validators: Mapping[str, Draft202012Validator]  # JSON media type -> validator


@dataclass(frozen=True)
class ResponseSpec:
    # media type -> validator of its schema (None when the media type declares no schema)
    media: Mapping[str, Draft202012Validator | None]


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str  # upper case
    template: str
    parameters: tuple[Parameter, ...]
    body: RequestBodySpec | None
    responses: Mapping[str, ResponseSpec]

    def response_for(self, status: int) -> ResponseSpec | None:
        for key in (str(status), f"{status // 100}XX", "default"):
            if key in self.responses:
                return self.responses[key]
        return None

    @property
    def documented_statuses(self) -> frozenset[str]:
        return frozenset(self.responses)


@dataclass(frozen=True)
class Route:
    template: str
    pattern: re.Pattern[str]
    param_names: tuple[str, ...]
    operations: Mapping[str, Operation] = field(default_factory=dict)  # method -> operation

    @property
    def allowed_methods(self) -> tuple[str, ...]:
        return tuple(self.operations)


def _is_json_media(media_type: str) -> bool:
    media_type = media_type.split(";", 1)[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


def _first_type(schema: Any) -> str | None:
    if not isinstance(schema, dict):
        return None
    declared = schema.get("type")
    if isinstance(declared, str):
        return declared
    if isinstance(declared, list):
        return next((t for t in declared if t != "null"), None)
    return None


class ApiSpec:
    """Routes and validators compiled once from an OpenAPI 3.1 document."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        resource = DRAFT202012.create_resource(document)
        self._registry: Registry[Any] = Registry().with_resource(SPEC_URI, resource)
        self.routes: tuple[Route, ...] = tuple(self._compile_routes())
        self.operations: dict[str, Operation] = {
            op.operation_id: op for route in self.routes for op in route.operations.values()
        }

    # -- schemas (for dataforce.testing._shapes) ------------------------------------------

    def resolve(self, node: Any, pointer: str) -> tuple[Any, str]:
        """``node`` (found at ``pointer``) with its local ``$ref``s followed, and its pointer."""
        return self._resolve(node, pointer)

    def validator(self, pointer: str) -> Draft202012Validator:
        """A validator of the schema at ``pointer`` (a JSON pointer into the document)."""
        return self._validator(pointer)

    # -- compilation ---------------------------------------------------------------------

    def _validator(self, pointer: str) -> Draft202012Validator:
        return EcmaValidator(
            {"$ref": f"{SPEC_URI}#{pointer}"},
            registry=self._registry,
            format_checker=_FORMAT_CHECKER,
        )

    def _resolve(self, node: Any, pointer: str) -> tuple[Any, str]:
        """Follow local ``$ref``s of a non-schema object (parameter, response, body)."""
        seen: set[str] = set()
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            if not isinstance(ref, str) or not ref.startswith("#/") or ref in seen:
                raise ValueError(f"unsupported reference {ref!r} at {pointer}")
            seen.add(ref)
            pointer = ref[1:]  # the fragment already is an escaped JSON pointer
            node = self.document
            for raw in unquote(ref[2:]).split("/"):
                node = node[raw.replace("~1", "/").replace("~0", "~")]
        return node, pointer

    def _compile_parameter(self, raw: Any, pointer: str) -> Parameter:
        param, pointer = self._resolve(raw, pointer)
        location = param.get("in")
        if location not in ("path", "query", "header"):
            raise NotImplementedError(f"parameters in {location!r} are not supported ({pointer})")
        schema = param.get("schema", {})
        if _first_type(schema) in ("array", "object") or "content" in param:
            raise NotImplementedError(f"non-scalar parameter {param.get('name')!r} ({pointer})")
        return Parameter(
            name=str(param["name"]),
            location=location,
            required=bool(param.get("required", location == "path")),
            scalar_type=_first_type(schema),
            validator=self._validator(pointer + "/schema"),
        )

    def _compile_operation(
        self, template: str, method: str, path_item: Mapping[str, Any], path_ptr: str
    ) -> Operation:
        op = path_item[method]
        op_ptr = path_ptr + _pointer(method)
        params: dict[tuple[str, str], Parameter] = {}
        for index, raw in enumerate(path_item.get("parameters", [])):
            p = self._compile_parameter(raw, path_ptr + _pointer("parameters", str(index)))
            params[(p.location, p.name.lower() if p.location == "header" else p.name)] = p
        for index, raw in enumerate(op.get("parameters", [])):
            p = self._compile_parameter(raw, op_ptr + _pointer("parameters", str(index)))
            params[(p.location, p.name.lower() if p.location == "header" else p.name)] = p

        body: RequestBodySpec | None = None
        if "requestBody" in op:
            raw_body, body_ptr = self._resolve(op["requestBody"], op_ptr + _pointer("requestBody"))
            validators = {
                media: self._validator(body_ptr + _pointer("content", media, "schema"))
                for media, media_obj in raw_body.get("content", {}).items()
                if _is_json_media(media) and "schema" in media_obj
            }
            if not validators:
                raise NotImplementedError(f"only JSON request bodies are supported ({op_ptr})")
            body = RequestBodySpec(required=bool(raw_body.get("required")), validators=validators)

        responses: dict[str, ResponseSpec] = {}
        for status, raw_resp in op.get("responses", {}).items():
            resp, resp_ptr = self._resolve(raw_resp, op_ptr + _pointer("responses", str(status)))
            media: dict[str, Draft202012Validator | None] = {}
            for media_type, media_obj in (resp.get("content") or {}).items():
                has_schema = isinstance(media_obj, dict) and "schema" in media_obj
                media[media_type.lower()] = (
                    self._validator(resp_ptr + _pointer("content", media_type, "schema"))
                    if has_schema
                    else None
                )
            responses[str(status).upper()] = ResponseSpec(media=media)

        return Operation(
            operation_id=str(op.get("operationId") or f"{method} {template}"),
            method=method.upper(),
            template=template,
            parameters=tuple(params.values()),
            body=body,
            responses=responses,
        )

    def _compile_routes(self) -> Iterable[Route]:
        for template, path_item in self.document.get("paths", {}).items():
            path_ptr = _pointer("paths", template)
            names: list[str] = []
            regex = ""
            for segment in template.strip("/").split("/"):
                match = re.fullmatch(r"\{([^{}/]+)\}", segment)
                if match:
                    names.append(match.group(1))
                    regex += "/([^/]+)"
                else:
                    regex += "/" + re.escape(quote(segment, safe="-._~!$&'()*+,;=:@"))
            operations = {
                method.upper(): self._compile_operation(template, method, path_item, path_ptr)
                for method in HTTP_METHODS
                if method in path_item
            }
            yield Route(template, re.compile(regex), tuple(names), operations)

    # -- requests ------------------------------------------------------------------------

    def match(self, raw_path: str) -> tuple[Route, dict[str, str]] | None:
        """The route for a raw (still percent-encoded) path, with decoded path parameters."""
        for route in self.routes:
            found = route.pattern.fullmatch(raw_path)
            if found:
                values = {
                    n: unquote(v) for n, v in zip(route.param_names, found.groups(), strict=True)
                }
                return route, values
        return None

    def validate_request(
        self,
        operation: Operation,
        path_params: Mapping[str, str],
        query: Mapping[str, list[str]],
        headers: Mapping[str, str],
        body: bytes,
    ) -> tuple[Any, list[Detail]]:
        """Validate one request. Returns the parsed JSON body (or None) and the 422 details."""
        details: list[Detail] = []
        for param in operation.parameters:
            if param.location == "path":
                raw: str | None = path_params.get(param.name)
            elif param.location == "query":
                values = query.get(param.name)
                raw = values[-1] if values else None
            else:
                raw = headers.get(param.name.lower())
            loc_prefix: list[str | int] = [param.location, param.name]
            if raw is None:
                if param.required:
                    details.append(missing(loc_prefix, None))
                continue
            value = _coerce(raw, param.scalar_type)
            details.extend(schema_details(param.validator.iter_errors(value), loc_prefix))

        parsed: Any = None
        if operation.body is not None:
            parsed, body_details = self._validate_body(operation.body, headers, body)
            details.extend(body_details)
        return parsed, details

    def _validate_body(
        self, spec: RequestBodySpec, headers: Mapping[str, str], body: bytes
    ) -> tuple[Any, list[Detail]]:
        if not body:
            if spec.required:
                return None, [missing(["body"], None)]
            return None, []
        content_type = headers.get("content-type", "").split(";", 1)[0].strip().lower()
        # Like the service, a request without a Content-Type is read as JSON.
        if content_type and not _is_json_media(content_type):
            return None, [
                {
                    "type": "model_attributes_type",
                    "loc": ["body"],
                    "msg": "Input should be a valid dictionary or object to extract fields from",
                    "input": body.decode("utf-8", "replace"),
                }
            ]
        if deeper_than(body, UNPARSABLE_DEPTH):
            raise UnparsableBodyError
        try:
            parsed = json.loads(body, parse_constant=_reject_constant)
        except RecursionError:
            raise UnparsableBodyError from None
        except ValueError as exc:
            position = exc.pos if isinstance(exc, json.JSONDecodeError) else 0
            message = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
            return None, [
                {
                    "type": "json_invalid",
                    "loc": ["body", position],
                    "msg": "JSON decode error",
                    "input": {},
                    "ctx": {"error": message},
                }
            ]
        validator = spec.validators.get(content_type) or next(iter(spec.validators.values()))
        return parsed, schema_details(validator.iter_errors(parsed), ["body"])

    # -- responses -----------------------------------------------------------------------

    def validate_response(
        self, operation: Operation, status: int, content_type: str | None, body: bytes
    ) -> list[str]:
        """Problems with a response to ``operation``; an empty list when it conforms."""
        spec = operation.response_for(status)
        if spec is None:
            documented = ", ".join(sorted(operation.documented_statuses))
            return [
                f"status {status} is not documented for {operation.operation_id} "
                f"(documented: {documented})"
            ]
        if not spec.media:
            if body:
                return [f"status {status} is documented without a body, got {len(body)} bytes"]
            return []
        media_type = (content_type or "").split(";", 1)[0].strip().lower()
        if media_type not in spec.media:
            documented = ", ".join(sorted(spec.media))
            return [f"content type {media_type!r} is not documented (documented: {documented})"]
        validator = spec.media[media_type]
        instance: Any
        if _is_json_media(media_type):
            try:
                instance = json.loads(body, parse_constant=_reject_constant)
            except ValueError as exc:
                return [f"body is not valid JSON: {exc}"]
        else:
            try:
                instance = body.decode("utf-8")
            except UnicodeDecodeError as exc:
                return [f"body is not UTF-8 text: {exc}"]
        if validator is None:
            return []
        errors = sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.path)))
        return [f"{error.json_path}: {error.message}" for error in errors]


#: How deep a request body may nest before it counts as one the service's JSON parser
#: cannot read (CPython's parser recurses per level, up to its recursion limit, 1000 by
#: default, some of which the framework's own frames use): fixed here, so the stand-in
#: answers the same whichever Python runs it (3.12+ parse deeper).
UNPARSABLE_DEPTH: Final = 500


class UnparsableBodyError(Exception):
    """A request body the JSON parser cannot read at all (nested beyond
    :data:`UNPARSABLE_DEPTH`): FastAPI answers it itself, before any route, with a 400."""


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _coerce(raw: str, scalar_type: str | None) -> Any:
    """Read a parameter's text as the JSON type its schema declares, when it can be."""
    try:
        if scalar_type == "integer":
            return int(raw)
        if scalar_type == "number":
            return float(raw)
    except ValueError:
        return raw
    if scalar_type == "boolean" and raw.lower() in ("true", "false"):
        return raw.lower() == "true"
    return raw


@functools.cache
def load_spec() -> ApiSpec:
    """The packaged spec, parsed and compiled once per process."""
    text = (files("dataforce") / "openapi.yaml").read_text(encoding="utf-8")
    document = yaml.safe_load(text)
    if not isinstance(document, dict):
        raise ValueError("dataforce/openapi.yaml is not an OpenAPI document")
    return ApiSpec(document)
