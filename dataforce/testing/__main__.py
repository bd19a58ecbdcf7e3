"""``python -m dataforce.testing``: run the local stand-in server in the foreground."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from dataforce.testing import DEFAULT_ORBIT_LIMIT, serve


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dataforce.testing",
        description="Serve an in-memory stand-in for the DataForce orbits API.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default: 8000, 0: any)")
    parser.add_argument("--seed", type=int, default=None, help="reproducible IDs and API key")
    parser.add_argument("--api-key", default=None, help="use this API key")
    parser.add_argument(
        "--orbit-limit",
        type=int,
        default=DEFAULT_ORBIT_LIMIT,
        help=f"orbits per organization (default: {DEFAULT_ORBIT_LIMIT})",
    )
    parser.add_argument(
        "--validate-responses", action="store_true", help="check responses against the spec"
    )
    parser.add_argument(
        "--allow-remote", action="store_true", help="allow binding a non-loopback interface"
    )
    parser.add_argument("--quiet", action="store_true", help="do not log requests")
    args = parser.parse_args(argv)
    try:
        serve(
            args.host,
            args.port,
            seed=args.seed,
            api_key=args.api_key,
            orbit_limit=args.orbit_limit,
            validate_responses=args.validate_responses,
            allow_remote=args.allow_remote,
            log_requests=not args.quiet,
        )
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
