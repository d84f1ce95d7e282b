"""One client x one workload, in a fresh process (so memory figures start clean).

Usage: python -m bench.worker CLIENT WORKLOAD URL [--quick]
Last line of stdout on success: "RESULT <json>"; exit status 3 = the client's library is missing,
4 = the workload does not apply to this client, anything else non-zero = the run failed.
"""
from __future__ import annotations

import argparse
import importlib
import json
import sys
import traceback

from bench.common import FULL, QUICK, Missing, Unsupported, raise_nofile
from bench.peers import CLIENTS

EXIT_MISSING = 3
EXIT_UNSUPPORTED = 4


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("client", choices=sorted(CLIENTS))
    ap.add_argument("workload")
    ap.add_argument("url")
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    raise_nofile()
    params = (QUICK if args.quick else FULL)[args.workload]
    try:
        module = importlib.import_module(f"bench.peers.{CLIENTS[args.client]}")
    except ImportError as e:
        print(f"MISSING {e}", file=sys.stderr)
        return EXIT_MISSING
    fn = getattr(module, "WORKLOADS", {}).get(args.workload)
    if fn is None:
        return EXIT_UNSUPPORTED
    try:
        result = fn(args.url, params)
    except Missing as e:
        print(f"MISSING {e}", file=sys.stderr)
        return EXIT_MISSING
    except Unsupported as e:
        print(f"UNSUPPORTED {e}", file=sys.stderr)
        return EXIT_UNSUPPORTED
    except BaseException:  # noqa: BLE001 - report anything (incl. ExceptionGroup) as a failure
        traceback.print_exc()
        return 1
    print("RESULT " + json.dumps(result.to_json()), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
