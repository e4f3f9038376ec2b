"""Runs scim2-tester (python-scim) against a SCIM server and prints every check.

usage: run_scim2_tester.py <base-url> <token> <counts-file>
Writes "<passed> <failed>" to counts-file. Passed: SUCCESS, COMPLIANT, ACCEPTABLE.
Failed: ERROR, CRITICAL and DEVIATION (a SHOULD the server does not follow). SKIPPED
checks (features the server does not advertise) are listed and not counted.
"""

import sys

from httpx2 import Client
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server

PASSED = {Status.SUCCESS, Status.COMPLIANT, Status.ACCEPTABLE}
FAILED = {Status.ERROR, Status.CRITICAL, Status.DEVIATION}


def main() -> int:
    url, token, counts_file = sys.argv[1], sys.argv[2], sys.argv[3]
    client = Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    results = check_server(SyncSCIMClient(client))
    passed = failed = skipped = 0
    for r in results:
        where = f"{r.resource_type}: " if r.resource_type else ""
        line = f"{r.status.name:<10} {where}{r.title}: {r.reason or ''}".rstrip()
        print(line.replace("\n", " | ")[:400])
        if r.status in PASSED:
            passed += 1
        elif r.status in FAILED:
            failed += 1
        else:
            skipped += 1
    print(f"scim2-tester: {passed} passed, {failed} failed, {skipped} skipped")
    with open(counts_file, "w") as f:
        f.write(f"{passed} {failed}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
