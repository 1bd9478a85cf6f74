"""The mixed load of `python -m bench` (the `mixed_load` benchmark): users of each role replay the pages
that role opens all day, against the portal under gunicorn. bench/run.py writes the plan and runs

    python -m locust -f bench/locustfile.py --headless -u N -r N --run-time S --csv PREFIX --host URL

in a subprocess (locust patches the standard library with gevent; the benchmark process stays as it
is), with BENCH_LOCUST_PLAN naming a JSON file:

    {"per_user_rps": null,  # null: no pause between requests (saturating); else each user's rate
     "roles": {"monitor": {"weight": 5, "groups": {"list": 3, "detail": 2},
                           "accounts": [{"headers": {"Cookie": "…"}, "paths": {"list": […], …}}, …]}, …}}

Each request is named by its page group (list, detail, review, dashboard, overview, api), so locust's
statistics give the percentiles per group. Anything but a 200 is a failure: a redirect to the login
page is not a page served.
"""

import itertools
import json
import os
import random
from pathlib import Path
from typing import Any

from locust import FastHttpUser, constant, constant_throughput, task

PLAN = json.loads(Path(os.environ["BENCH_LOCUST_PLAN"]).read_text())


def _role(name: str, spec: dict[str, Any]) -> type[FastHttpUser]:
    accounts = itertools.cycle(spec["accounts"])
    groups = list(spec["groups"])
    weights = [spec["groups"][group] for group in groups]
    rate = PLAN.get("per_user_rps")

    class Role(FastHttpUser):
        weight = spec["weight"]
        wait_time = constant_throughput(rate) if rate else constant(0)

        def on_start(self) -> None:
            self.account = next(accounts)  # the users of a role take its accounts in turn

        @task
        def visit(self) -> None:
            group = random.choices(groups, weights)[0]  # noqa: S311 (a load mix, not a secret)
            path = random.choice(self.account["paths"][group])  # noqa: S311
            with self.client.get(
                path, headers=self.account["headers"], name=group, catch_response=True, allow_redirects=False
            ) as response:
                if response.status_code != 200:
                    response.failure(f"{response.status_code} on {path}")

    Role.__name__ = Role.__qualname__ = f"{name.title()}User"
    return Role


# Locust runs the user classes it finds in this module: one per role of the plan.
for _name, _spec in PLAN["roles"].items():
    globals()[f"{_name.title()}User"] = _role(_name, _spec)
