"""The ``dataforce`` command line: orbits of an organization, and the local stand-in server.

    dataforce orbits list
    dataforce orbits get "Default Orbit"
    dataforce orbits create "ML Models" --bucket-secret 0199c455-21ed-7aba-9fe5-5231611220de
    dataforce orbits update "Default Orbit" --name "New Orbit Name"
    dataforce orbits delete 0199c475-8339-70ec-b032-7b3f5d59fdc1
    dataforce serve --port 8000

Only the standard library is imported up front: the SDK (and httpx with it) is imported
when a command runs, so ``dataforce --help`` answers at once. Every error the SDK raises
is printed as one ``error: ...`` line on stderr, never as a traceback, and the API key is
never printed.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import sys
import textwrap
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TextIO

from . import DISTRIBUTION, __version__

if TYPE_CHECKING:
    from dataforce.api import DataForceClient, Orbit

__all__ = ["main"]

PROG = "dataforce"
_WIDTH = 88  # of the descriptions in --help
EXTRA_HINT = f"pip install '{DISTRIBUTION}[local]'"
# Modules of the ``local`` extra (and what they pull in) that the stand-in server needs.
_LOCAL_EXTRA_MODULES = frozenset(
    {"yaml", "jsonschema", "referencing", "jsonschema_specifications", "rpds", "attr"}
)

_MAIN_DESCRIPTION = """\
Command line of the DataForce SDK: manage the orbits of an organization, or run a local
stand-in of the service.

Connection settings come from the environment:
  DFS_API_KEY        API key (preferred over --api-key, which other users of this
                     machine can see in the process list)
  DFS_BASE_URL       service URL (default https://api.dataforce.studio)
  DFS_ORGANIZATION   default organization, ID or name (overridden by --organization)
  DFS_ORBIT          default orbit, ID or name (overridden by --orbit)

The options above can be given before or after the command. Exit status: 0 on success,
1 when the service or the SDK reports an error, 2 on a usage error."""

_MAIN_EPILOG = """\
examples:
  export DFS_API_KEY=dfs_...
  dataforce orbits list
  dataforce --json orbits get "Default Orbit"
  dataforce serve                      # then: DFS_BASE_URL=http://127.0.0.1:8000"""


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=32)


# --------------------------------------------------------------------------- parser


def _add_connection_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """The global options. On sub-commands their default is SUPPRESS, so that an option
    given before the command is not reset by the sub-command's parser."""

    def default(value: object) -> object:
        return value if top else argparse.SUPPRESS

    group = parser.add_argument_group("connection and output options")
    group.add_argument(
        "--organization",
        metavar="ID_OR_NAME",
        default=default(None),
        help="organization to work in, by ID or exact name (default: $DFS_ORGANIZATION, or "
        "the API key's only organization)",
    )
    group.add_argument(
        "--orbit",
        metavar="ID_OR_NAME",
        default=default(None),
        help="default orbit, by ID or exact name (default: $DFS_ORBIT, or the organization's "
        "only orbit): the one 'orbits get' without VALUE shows, 'orbits update' changes and "
        "'orbits delete' refuses to delete",
    )
    group.add_argument(
        "--base-url",
        metavar="URL",
        default=default(None),
        help="service URL (default: $DFS_BASE_URL, else https://api.dataforce.studio)",
    )
    group.add_argument(
        "--api-key",
        metavar="KEY",
        default=default(None),
        help="API key (default: $DFS_API_KEY; prefer the environment variable: a command "
        "line argument is visible to other users in the process list)",
    )
    group.add_argument(
        "--json",
        action="store_true",
        default=default(False),
        help="print JSON (an object or an array of orbits) instead of a table",
    )


def _subparser(
    subparsers: Any, name: str, help_text: str, description: str | None = None
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name,
        help=help_text,
        description=textwrap.fill(description or help_text, _WIDTH),
        formatter_class=_Formatter,
    )
    _add_connection_options(parser, top=False)
    return parser


def _group(subparsers: Any, name: str, help_text: str, description: str) -> Any:
    """A command of actions (``spec diff``, ``contract check``): its actions' subparsers.
    Given no action, the command prints its own help."""
    group = _subparser(subparsers, name, help_text, description)
    group.set_defaults(handler=None, help_parser=group)
    return group.add_subparsers(title=f"{name} commands", metavar="ACTION")


def build_parser() -> argparse.ArgumentParser:
    """The parser of the whole command line."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=_MAIN_DESCRIPTION,
        epilog=_MAIN_EPILOG,
        formatter_class=_Formatter,
    )
    # The distribution's name and version, as pip shows them.
    parser.add_argument("--version", action="version", version=f"{DISTRIBUTION} {__version__}")
    _add_connection_options(parser, top=True)
    parser.set_defaults(handler=None, help_parser=parser)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    orbits = _subparser(
        commands,
        "orbits",
        "list, show, create, update and delete orbits; list an orbit's secrets",
        "Manage the orbits of the organization (--organization / $DFS_ORGANIZATION).",
    )
    orbits.set_defaults(handler=None, help_parser=orbits)
    actions = orbits.add_subparsers(title="orbit commands", metavar="ACTION")

    listing = _subparser(actions, "list", "list the organization's orbits")
    listing.set_defaults(handler=_orbits_list)

    get = _subparser(
        actions,
        "get",
        "show one orbit, by ID or exact name",
        "Show one orbit, by ID or exact (case-sensitive) name. Exits with status 1 when "
        "there is no such orbit, or when several orbits have that name.",
    )
    get.add_argument(
        "value",
        metavar="VALUE",
        nargs="?",
        help="orbit ID or exact name (default: the default orbit, --orbit / $DFS_ORBIT)",
    )
    get.set_defaults(handler=_orbits_get, argument_names={"orbit_value": "VALUE"})

    create = _subparser(actions, "create", "create an orbit in the organization")
    create.add_argument("name", metavar="NAME", help="name of the orbit (1 to 100 characters)")
    create.add_argument(
        "--bucket-secret",
        metavar="ID",
        required=True,
        help="ID of an existing bucket secret of the organization",
    )
    create.set_defaults(handler=_orbits_create, argument_names={"name": "NAME"})

    update = _subparser(
        actions,
        "update",
        "rename an orbit or change its bucket secret",
        "Update an orbit of the organization, by ID or exact name; without ID_OR_NAME, "
        "the default orbit (--orbit / $DFS_ORBIT). Only the options given change. Exits "
        "with status 1 when there is no such orbit, or when several orbits have that name.",
    )
    update.add_argument(
        "orbit_value",
        metavar="ID_OR_NAME",
        nargs="?",
        help="orbit ID or exact name (default: the default orbit, --orbit / $DFS_ORBIT)",
    )
    update.add_argument("--name", metavar="N", help="new name (1 to 100 characters)")
    update.add_argument(
        "--bucket-secret", metavar="ID", help="ID of an existing bucket secret to use"
    )
    update.set_defaults(handler=_orbits_update, command_parser=update)

    secrets = _subparser(
        actions,
        "secrets",
        "list an orbit's secrets (names, never values)",
        "List the secrets of an orbit, by ID; without ORBIT_ID, the default orbit "
        "(--orbit / $DFS_ORBIT). Their values are never printed (--json shows "
        '"[hidden]"): read them with the SDK, dfs.orbits.secrets().',
    )
    secrets.add_argument(
        "orbit_id",
        metavar="ORBIT_ID",
        nargs="?",
        help="orbit ID (default: the default orbit, --orbit / $DFS_ORBIT)",
    )
    secrets.set_defaults(handler=_orbits_secrets, argument_names={"orbit_id": "ORBIT_ID"})

    delete = _subparser(
        actions,
        "delete",
        "delete an orbit by ID (asks for confirmation)",
        "Delete an orbit, with all its collections, models and data. This cannot be "
        "undone. Asks for confirmation on the terminal unless --yes is given; without a "
        "terminal and without --yes nothing is deleted. The default orbit (--orbit / "
        "$DFS_ORBIT) is never deleted.",
    )
    delete.add_argument("orbit_id", metavar="ID", help="ID of the orbit to delete")
    delete.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")
    delete.set_defaults(
        handler=_orbits_delete, command_parser=delete, argument_names={"orbit_id": "ID"}
    )

    serve = commands.add_parser(
        "serve",
        help="run the local stand-in server (needs the 'local' extra)",
        description=textwrap.fill(
            "Run the local stand-in of the DataForce service until Ctrl-C. It prints its "
            "API key, organization and orbit IDs, to use as DFS_API_KEY etc. Needs the "
            f"'local' extra: {EXTRA_HINT}",
            _WIDTH,
        ),
        formatter_class=_Formatter,
    )
    serve.add_argument(
        "--host", default="127.0.0.1", help="interface to listen on (default: %(default)s)"
    )
    serve.add_argument(
        "--port", type=int, default=8000, help="port to listen on (default: %(default)s; 0: any)"
    )
    serve.add_argument(
        "--seed", type=int, default=None, help="make IDs and the API key reproducible"
    )
    serve.add_argument("--quiet", action="store_true", help="do not log each request")
    serve.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow listening on a non-loopback interface (the server has no real security)",
    )
    serve.set_defaults(handler=_serve)

    spec_actions = _group(
        commands,
        "spec",
        "compare the service's OpenAPI document with the SDK's baseline",
        "Maintainer tools for the service's OpenAPI document.",
    )
    spec_diff = _subparser(
        spec_actions,
        "diff",
        "what changed in the service's OpenAPI document since the baseline",
        "Compare the service's current OpenAPI document with the baseline (the document "
        "openapi.yaml was last reconciled with), for the operations the SDK uses and the "
        "schemas they reach; print each change marked breaking or additive. Exit status: "
        "0 no change, 1 changes, 2 usage, fetch or parse error.",
    )
    from . import _spec_diff  # stdlib only at import: --help stays fast

    _spec_diff.add_arguments(spec_diff)
    spec_diff.set_defaults(handler=_spec_diff_command)

    contract_actions = _group(
        commands,
        "contract",
        "check that a running service answers as the SDK's spec says",
        "Contract checks of a running service against the SDK's openapi.yaml.",
    )
    contract_check = _subparser(
        contract_actions,
        "check",
        "send the SDK's operations to the service and check every answer against the spec",
        "Send the SDK's operations to the service (--base-url / $DFS_BASE_URL, key from "
        "$DFS_API_KEY) and check every answer strictly against openapi.yaml: a documented "
        "status, a body valid against its schema with every required property; "
        "undocumented properties are listed as information. Read-only unless --write. "
        "Exit status: 0 everything conforms, 1 something departs, 2 usage or connection "
        f"error. Needs the 'local' extra: {EXTRA_HINT}",
    )
    contract_check.add_argument(
        "--write",
        action="store_true",
        help="also create an orbit (unique name), rename, fetch and delete it, and delete "
        "it again (404); what it created is deleted on the way out, also on Ctrl-C",
    )
    contract_check.set_defaults(handler=_contract_check_command)
    return parser


# --------------------------------------------------------------------------- output


def _timestamp(value: datetime | None) -> str | None:
    if value is None:
        return None
    text = (value.astimezone(UTC) if value.tzinfo is not None else value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _orbit_json(orbit: Orbit) -> dict[str, Any]:
    # Every attribute the spec gives the model, as the service sent it: a field the spec
    # gains is printed after `make generate`, like it is an attribute.
    return orbit.to_dict()


def _printable(value: object) -> str:
    """``value`` as text safe for a terminal: control characters (from the service's
    data) are shown escaped rather than interpreted."""
    if value is None:
        return "-"
    text = str(value)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> str:
    widths = [len(header) for header in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))

    def line(cells: Sequence[str]) -> str:
        parts = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(cells)
        ]
        return "  ".join(parts).rstrip()

    return "\n".join([line(headers), *(line(row) for row in rows)])


def _short_time(value: datetime | None) -> str:
    text = _timestamp(value)
    if text is None:
        return "-"
    # Seconds are precise enough in a table; `get` and --json give the full value.
    date, _, rest = text.partition("T")
    return f"{date} {rest[:8]}Z" if rest else text


def _orbits_table(orbits: Sequence[Orbit]) -> str:
    headers = ("ID", "NAME", "MEMBERS", "COLLECTIONS", "BUCKET SECRET", "CREATED")
    rows = [
        (
            orbit.id,
            _printable(orbit.name),
            _printable(orbit.total_members),
            _printable(orbit.total_collections),
            orbit.bucket_secret_id,
            _short_time(orbit.created_at),
        )
        for orbit in orbits
    ]
    return _table(headers, rows, right={2, 3})


def _readable(value: object) -> str:
    """A field's JSON value as text for a reader: a list as its items, an object as
    ``key: items`` pairs (``permissions``), never a Python repr."""
    if isinstance(value, dict):
        return "; ".join(f"{_printable(k)}: {_readable(v)}" for k, v in value.items()) or "-"
    if isinstance(value, (list, tuple)):
        return ", ".join(_readable(item) for item in value) or "-"
    return _printable(value)


def _members_table(members: Sequence[dict[str, Any]]) -> str:
    headers = ("USER ID", "EMAIL", "NAME", "ROLE")
    rows = [
        (
            _printable(member["user"]["id"]),
            _printable(member["user"]["email"]),
            _printable(member["user"].get("full_name")),
            _printable(member["role"]),
        )
        for member in members
    ]
    return textwrap.indent(_table(headers, rows, right=set()), "  ")


def _orbit_details(orbit: Orbit) -> str:
    fields = _orbit_json(orbit)
    members = fields.pop("members", None)
    width = max(len(name) for name in [*fields, "members"])
    lines = [f"{name.ljust(width)}  {_readable(value)}" for name, value in fields.items()]
    if members is not None:  # an OrbitDetails: its members, one row each
        lines.append(f"{'members'.ljust(width)}  {len(members)}")
        if members:
            lines.append(_members_table(members))
    return "\n".join(lines)


def _emit(args: argparse.Namespace, data: Orbit | Sequence[Orbit]) -> None:
    if isinstance(data, Sequence):
        if args.json:
            _print_json([_orbit_json(orbit) for orbit in data])
        elif data:
            _say(_orbits_table(data))
        else:
            _say("No orbits.")
    elif args.json:
        _print_json(_orbit_json(data))
    else:
        _say(_orbit_details(data))


class _OutputClosedError(Exception):
    """Standard output is closed (the command was started with ``>&-``)."""


def _say(text: str, *, error: bool = False) -> None:
    """Write ``text`` and a newline to stdout (stderr if ``error``). What the stream's
    encoding cannot represent (a lone surrogate in a name from the service, an emoji on a
    Latin-1 terminal) is written as a backslash escape rather than raising."""
    stream = sys.stderr if error else sys.stdout
    if stream is None:
        if error:
            return  # nowhere to say it; the exit status still tells
        raise _OutputClosedError
    line = text + "\n"
    try:
        stream.write(line)
    except UnicodeEncodeError:
        encoding = getattr(stream, "encoding", None) or "utf-8"
        stream.write(line.encode(encoding, "backslashreplace").decode(encoding))


def _print_json(data: object) -> None:
    from ._terminal import json_for_terminal

    text = json.dumps(data, indent=2, ensure_ascii=False)
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        # JSON's own escapes (\uXXXX) keep the output valid JSON in any encoding.
        text = json.dumps(data, indent=2, ensure_ascii=True)
    # The service's data is shown, not run: C1 controls (CSI), DEL and bidi overrides,
    # which json.dumps leaves as they are, become \uXXXX escapes too.
    _say(json_for_terminal(text))


#: The API key of this command (from --api-key or DFS_API_KEY), to keep out of messages.
_keys: list[str] = []


def _redact(text: str) -> str:
    """``text`` without the API key: error messages repeat the service's words, and a
    service (or a proxy) may echo the key back."""
    for key in (*_keys, os.environ.get("DFS_API_KEY") or ""):
        if key and key in text:
            text = text.replace(key, "[redacted]")
    return text


def _fail(message: str, code: int = 1) -> int:
    """Print ``message`` as one ``error:`` line on stderr; return ``code``."""
    one_line = " ".join(line.strip() for line in message.splitlines() if line.strip())
    _say(f"error: {_printable(_redact(one_line))}", error=True)
    return code


# --------------------------------------------------------------------------- commands


def _client(args: argparse.Namespace) -> DataForceClient:
    """A client for the options given, connected to the service. The organization and
    orbit not given as options come from DFS_ORGANIZATION / DFS_ORBIT, which the SDK
    reads: one precedence for both."""
    from dataforce.api import DataForceClient

    return DataForceClient(
        base_url=args.base_url or None,
        api_key=args.api_key or None,
        organization=args.organization or None,
        orbit=args.orbit or None,
    )


def _orbits_list(args: argparse.Namespace) -> int:
    with _client(args) as dfs:
        orbits = dfs.orbits.list()
    _emit(args, orbits)
    return 0


def _orbits_get(args: argparse.Namespace) -> int:
    value: str | None = args.value
    with _client(args) as dfs:
        orbit = dfs.orbits.get(value)
        organization = dfs.organization
    if orbit is None:
        what = "the default orbit" if value is None else f"orbit {value!r}"
        return _fail(f"{what} not found in organization {organization}")
    _emit(args, orbit)
    return 0


def _orbits_create(args: argparse.Namespace) -> int:
    with _client(args) as dfs:
        orbit = dfs.orbits.create(name=args.name, bucket_secret_id=args.bucket_secret)
    _emit(args, orbit)
    return 0


def _orbits_update(args: argparse.Namespace) -> int:
    if args.name is None and args.bucket_secret is None:
        args.command_parser.error("nothing to update: give --name and/or --bucket-secret")
    if args.orbit_value == "":
        args.command_parser.error("ID_OR_NAME must not be empty")
    if args.orbit_value is not None:
        # The SDK updates a client's default orbit: the orbit named here becomes it (and
        # the client resolves it, by ID or exact name, in the organization).
        args.orbit = args.orbit_value
        args.argument_names = {"orbit": "ID_OR_NAME"}
    from dataforce.api import ConfigurationError

    with _client(args) as dfs:
        try:
            orbit = dfs.orbits.update(name=args.name, bucket_secret_id=args.bucket_secret)
        except ConfigurationError as error:
            if error.missing != "orbit":
                raise
            return _fail(
                "which orbit? name it (dataforce orbits update ID_OR_NAME ...) or set a "
                "default orbit with --orbit / DFS_ORBIT (chosen automatically only when the "
                "organization has exactly one orbit)"
            )
    _emit(args, orbit)
    return 0


def _orbits_secrets(args: argparse.Namespace) -> int:
    from dataforce.api import ConfigurationError

    with _client(args) as dfs:
        try:
            secrets = dfs.orbits.secrets(args.orbit_id)
        except ConfigurationError as error:
            if error.missing != "orbit":
                raise
            return _fail("which orbit? give ORBIT_ID, or set a default orbit (--orbit / DFS_ORBIT)")
    shown = [secret.to_dict(hide_secrets=True) for secret in secrets]
    if args.json:
        _print_json(shown)
    elif shown:
        headers = ("ID", "NAME", "TAGS", "CREATED")
        rows = [
            (s.id, _printable(s.name), _readable(s.tags), _short_time(s.created_at))
            for s in secrets
        ]
        _say(_table(headers, rows, right=set()))
    else:
        _say("No secrets.")
    return 0


def _orbits_delete(args: argparse.Namespace) -> int:
    from dataforce.api._validation import is_uuid_text

    orbit_id: str = args.orbit_id
    if not is_uuid_text(orbit_id):
        args.command_parser.error(f"ID must be an orbit ID (a UUID), got {orbit_id!r}")
    orbit_id = orbit_id.lower()
    with _client(args) as dfs:
        # Looked up first: the confirmation names the orbit, and an ID that is not the
        # organization's is refused before anything is deleted.
        orbit = dfs.orbits.get(orbit_id)
        if orbit is None:
            return _fail(f"orbit {orbit_id} not found in organization {dfs.organization}")
        if orbit.id == dfs.orbit:
            return _fail(
                f"refusing to delete orbit {orbit_id} ({orbit.name!r}): it is the "
                "default orbit (--orbit / DFS_ORBIT)"
            )
        if not args.yes and not _confirm(orbit):
            return 1
        dfs.orbits.delete(orbit_id)
    if args.json:
        _print_json({"id": orbit_id, "name": orbit.name, "deleted": True})
    else:
        _say(f"Deleted orbit {orbit_id} ({_printable(orbit.name)!r}).")
    return 0


def _confirm(orbit: Orbit, stdin: TextIO | None = None) -> bool:
    stdin = stdin or sys.stdin
    if stdin is None or not stdin.isatty():
        _fail(
            f"not deleting orbit {orbit.id} without confirmation: stdin is not a terminal "
            "(pass --yes to delete without asking)"
        )
        return False
    print(
        f"Orbit {orbit.id} ({orbit.name!r}) and all its collections, models "
        "and data will be deleted permanently.",
        file=sys.stderr,
    )
    print(f"Delete orbit {orbit.id}? [y/N] ", end="", file=sys.stderr, flush=True)
    answer = stdin.readline()
    if answer.strip().lower() in ("y", "yes"):
        return True
    if not answer:
        print(file=sys.stderr)
    print("Not deleted.", file=sys.stderr)
    return False


def _serve(args: argparse.Namespace) -> int:
    try:
        from dataforce.testing import serve
    except ImportError as error:
        missing = (error.name or "").partition(".")[0]
        if missing in _LOCAL_EXTRA_MODULES:
            return _fail(f"the local server needs the 'local' extra: {EXTRA_HINT}")
        return _fail(f"the local server is not available: {error}")
    from dataforce.testing._serving import is_loopback

    if not args.allow_remote and not is_loopback(args.host):
        # Checked here too, to name this command's option rather than serve()'s argument.
        return _fail(
            f"refusing to listen on {args.host!r}: the local server has no real security, "
            "so it listens on loopback only; pass --allow-remote to override"
        )
    try:
        serve(
            host=args.host,
            port=args.port,
            seed=args.seed,
            allow_remote=args.allow_remote,
            log_requests=not args.quiet,
        )
    except (OSError, ValueError) as error:  # port in use, non-loopback host
        return _fail(f"cannot serve on {args.host}:{args.port}: {error}")
    except KeyboardInterrupt:
        # Ctrl-C is how the server is meant to stop, even when it lands before the
        # server's own handler is in place.
        pass
    return 0


def _spec_diff_command(args: argparse.Namespace) -> int:
    from . import _spec_diff

    try:
        return _spec_diff.main(args)
    except _spec_diff.SpecError as error:
        return _fail(str(error), 2)


def _contract_check_command(args: argparse.Namespace) -> int:
    from dataforce.api import DataForceAPIError

    from . import _contract_check as contract

    report = contract.Report()
    try:
        contract.run(
            report,
            base_url=args.base_url or None,
            api_key=args.api_key or None,
            organization=args.organization or None,
            write=args.write,
        )
    except ImportError as error:
        if (error.name or "").partition(".")[0] in _LOCAL_EXTRA_MODULES:
            return _fail(f"contract check needs the 'local' extra: {EXTRA_HINT}", 2)
        raise
    except contract.UsageError as error:
        code = _fail(str(error), 2)
    except contract.Interrupted as interrupted:
        code = _fail("interrupted: stopped after cleaning up", 128 + interrupted.signum)
    except DataForceAPIError as error:  # no key, cannot connect
        code = _fail(_error_message(error), 2)
    else:
        if args.json:
            _print_json(report.as_json())
        else:
            for line in report.lines():
                _say(_printable(line))
        return 0 if report.conforms else 1
    for left in report.left_behind:
        _say(f"warning: not deleted: {_printable(left)}", error=True)
    return code


# --------------------------------------------------------------------------- entry point


def _error_message(error: Exception) -> str:
    from dataforce.api import (
        APIConnectionError,
        AuthenticationError,
        ConfigurationError,
        PermissionDeniedError,
    )

    message = str(error) or type(error).__name__
    if isinstance(error, AuthenticationError):
        return f"authentication failed (check DFS_API_KEY or --api-key): {message}"
    if isinstance(error, PermissionDeniedError):
        return f"permission denied: {message}"
    if isinstance(error, APIConnectionError):
        return f"cannot reach the service (check DFS_BASE_URL or --base-url): {message}"
    if isinstance(error, ConfigurationError):
        if error.missing == "environment":  # a proxy or TLS variable httpx cannot use
            return message
        if error.missing == "api_key":
            return "no API key: set the DFS_API_KEY environment variable (or pass --api-key)"
        hints = {
            "orbit": ("--orbit", "DFS_ORBIT", "the organization has exactly one orbit"),
            "organization": ("--organization", "DFS_ORGANIZATION", "you have exactly one"),
        }
        if error.missing in hints:
            option, variable, where = hints[error.missing]
            return (
                f"no default {error.missing}: pass {option} ID_OR_NAME or set {variable} "
                f"(it is chosen automatically only when {where})"
            )
        return (
            f"{message} [on the command line: --organization / --orbit, or the "
            "DFS_ORGANIZATION / DFS_ORBIT environment variables]"
        )
    return message


#: The SDK's parameters as this command line names them (each command adds its own
#: positional ones as ``argument_names``).
_OPTION_NAMES = {
    "organization": "--organization",
    "orbit": "--orbit",
    "base_url": "--base-url",
    "api_key": "--api-key",
    "name": "--name",
    "bucket_secret_id": "--bucket-secret",
}


def _run(args: argparse.Namespace) -> int:
    handler: Callable[[argparse.Namespace], int] | None = args.handler
    if handler is None:
        args.help_parser.print_help(sys.stderr)
        return 2
    if handler is _serve:
        return handler(args)
    if getattr(args, "api_key", None):
        _keys.append(args.api_key)
    from dataforce.api import (
        DataForceAPIError,
        InvalidArgumentError,
        InvalidArgumentTypeError,
    )

    try:
        return handler(args)
    except (InvalidArgumentError, InvalidArgumentTypeError) as error:
        # Named as on this command line, not as the SDK's parameter.
        names = {**_OPTION_NAMES, **getattr(args, "argument_names", {})}
        name = names.get(error.argument, error.argument)
        return _fail(f"invalid argument: {name}: {error.problem}", 2)
    except DataForceAPIError as error:
        return _fail(_error_message(error))


def main(argv: list[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit
    status (usage errors and ``--help`` included, rather than raising SystemExit)."""
    try:
        args = build_parser().parse_args(argv)
        code = _run(args)
        if sys.stdout is not None:
            sys.stdout.flush()  # a full disk or closed pipe fails here, inside the try
        return code
    except _OutputClosedError:
        _fail("cannot print the result: standard output is closed")
        return 1
    except BrokenPipeError:
        # Output piped into e.g. `head`, which stopped reading: not an error of ours.
        _silence_stdout()
        return 1
    except (OSError, ValueError) as error:  # ENOSPC, EBADF, "I/O on closed file"
        if not _is_output_failure(error):
            raise
        _silence_stdout()
        _fail(f"cannot print the result: {error}")
        return 1
    except SystemExit as exit:  # argparse: --help, --version, usage errors
        if exit.code is None or isinstance(exit.code, int):
            return exit.code or 0
        print(exit.code, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130


def _is_output_failure(error: OSError | ValueError) -> bool:
    if isinstance(error, ValueError):
        return "closed file" in str(error)
    return error.errno in (errno.EBADF, errno.ENOSPC, errno.EIO, errno.EPIPE)


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's last flush does not fail
    again (and print a traceback) on the way out."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        sys.stdout = None


if __name__ == "__main__":
    raise SystemExit(main())
