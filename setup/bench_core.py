"""Benchmark of crm_smb_core: lead hot paths, My day and the cadence job.

Figures (see shared/BENCH.md):
- lead_create_ms, stage_change_ms and their queries: median over 40 leads on
  the benchmark database, flushed and with tracking written, measured in a
  fresh Odoo process and rolled back;
- the same on a peer database that holds the same data without the suite: a
  copy of the benchmark database (pg_dump and pg_restore) from which the
  suite is uninstalled, kept as <database>_core_peer and made again when the
  lead count differs. Both sides are measured the same way in alternating
  rounds, so load from other work on the machine falls on both; the overhead
  is the difference of the medians over all rounds;
- my_day_5k_median_ms: server time of get_dashboard("salesperson") for a
  salesperson owning 5,000 leads (leads reassigned inside the rolled-back
  benchmark transaction);
- cadence_100k_s: one run of the follow-up job over 100,000 open leads (open
  leads copied in SQL up to that number), and the activities a second run
  adds (must be 0).
"""

import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_logger = logging.getLogger("crm_smb.bench.core")

LEAD_SAMPLES = 40
LEAD_ROUNDS = 3
MY_DAY_LEADS = 5000
MY_DAY_RUNS = 15
CADENCE_LEADS = 100_000


def measure_lead_ops(env, samples=LEAD_SAMPLES):
    """Median time and queries of a lead create and a stage change.

    Plain ORM calls as a user's save would make them; used on both databases.
    """
    cr = env.cr
    team = env["crm.team"].search([], limit=1)
    stages = env["crm.stage"].search(
        [("is_won", "=", False)], order="sequence", limit=2
    )
    user = env.ref("base.user_admin")
    Lead = env["crm.lead"]

    def values(index):
        return {
            "name": f"Bench lead {index}",
            "type": "opportunity",
            "user_id": user.id,
            "team_id": team.id,
            "stage_id": stages[0].id,
            "email_from": f"bench{index}@example.com",
            "expected_revenue": 1000 + index,
        }

    def timed(function):
        env.flush_all()
        cr.flush()
        env.invalidate_all()
        queries = cr.sql_log_count
        started = time.perf_counter()
        result = function()
        env.flush_all()
        cr.flush()
        return (
            result,
            (time.perf_counter() - started) * 1000,
            cr.sql_log_count - queries,
        )

    for index in range(5):  # warm the caches
        Lead.create(values(index)).write({"stage_id": stages[1].id})
    create_ms, create_q, stage_ms, stage_q = [], [], [], []
    for index in range(samples):
        lead, ms, queries = timed(lambda index=index: Lead.create(values(index)))
        create_ms.append(ms)
        create_q.append(queries)
        _result, ms, queries = timed(
            lambda lead=lead: lead.write({"stage_id": stages[1].id})
        )
        stage_ms.append(ms)
        stage_q.append(queries)
    return {
        "create_ms": create_ms,
        "create_queries": create_q,
        "stage_ms": stage_ms,
        "stage_queries": stage_q,
    }


def _pg_env():
    import odoo

    config = odoo.tools.config
    environ = dict(os.environ)
    for key, name in (
        ("PGHOST", "db_host"),
        ("PGPORT", "db_port"),
        ("PGUSER", "db_user"),
        ("PGPASSWORD", "db_password"),
    ):
        if config.get(name):
            environ[key] = str(config[name])
    return environ


def _odoo_shell(odoo_bin, database, script):
    import odoo

    return subprocess.run(
        [
            *(
                sys.executable,
                str(odoo_bin),
                "shell",
                "-c",
                odoo.tools.config["config"],
            ),
            *("-d", database, "--no-http", "--log-level=error"),
        ],
        input=script,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def _lead_count(database):
    return subprocess.run(
        ["psql", "-Atc", "SELECT count(*) FROM crm_lead", database],
        env=_pg_env(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def _make_peer(env, odoo_bin):
    """The benchmark database's data without the suite: copy, then uninstall.

    A template copy needs the source database idle, which it is not while the
    benchmark runs, hence pg_dump and pg_restore.
    """
    source = env.cr.dbname
    peer = f"{source}_core_peer"
    environ = _pg_env()
    exists = subprocess.run(
        [
            "psql",
            "-Atc",
            f"SELECT 1 FROM pg_database WHERE datname = '{peer}'",
            "postgres",
        ],
        env=environ,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists or _lead_count(peer) != _lead_count(source):
        _copy_without_suite(source, peer, odoo_bin, environ)
    return peer


def _copy_without_suite(source, peer, odoo_bin, environ):
    _logger.info("copying %s to %s without the suite", source, peer)
    subprocess.run(["dropdb", "--if-exists", "--force", peer], env=environ, check=True)
    subprocess.run(["createdb", peer], env=environ, check=True)
    with tempfile.TemporaryDirectory() as folder:
        dump = str(Path(folder) / "bench.dump")
        subprocess.run(
            ["pg_dump", "-Fc", "-Z0", "-f", dump, source], env=environ, check=True
        )
        subprocess.run(
            ["pg_restore", "--no-owner", "-j", "2", "-d", peer, dump],
            env=environ,
            check=True,
        )
    _odoo_shell(
        odoo_bin,
        peer,
        "env['ir.module.module'].search([('name', '=', 'crm_smb_core')])"
        ".button_immediate_uninstall()\nenv.cr.commit()\n",
    )


def _lead_samples(database, odoo_bin):
    """Run measure_lead_ops on a database in a fresh Odoo process (rolled
    back): both sides of the comparison run in the same kind of process."""
    path = str(Path(__file__))
    script = (
        "import importlib.util, json\n"
        f"spec = importlib.util.spec_from_file_location('bench_core', {path!r})\n"
        "module = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(module)\n"
        "print('CRM_SMB_LEADS ' + json.dumps(module.measure_lead_ops(env)))\n"
        "env.cr.rollback()\n"
    )
    output = _odoo_shell(odoo_bin, database, script)
    line = next(row for row in output.splitlines() if row.startswith("CRM_SMB_LEADS "))
    return json.loads(line.split(" ", 1)[1])


def _copy_leads(env, count, where):
    """Insert ``count`` copies of leads matching ``where`` (set-based SQL)."""
    if count <= 0:
        return
    env.flush_all()
    env.cr.execute(
        f"""
        WITH src AS (
            SELECT l.*, row_number() OVER (ORDER BY l.id) - 1 AS rn,
                   count(*) OVER () AS total
              FROM crm_lead l WHERE {where})
        INSERT INTO crm_lead (name, type, user_id, team_id, stage_id, company_id,
                              email_from, expected_revenue, probability, active,
                              won_status, lifecycle_stage, priority, create_date,
                              write_date, create_uid, write_uid, date_last_stage_update)
        SELECT src.name, src.type, src.user_id, src.team_id, src.stage_id,
               src.company_id, src.email_from, src.expected_revenue,
               src.probability, TRUE, 'pending', src.lifecycle_stage, src.priority,
               src.create_date, src.write_date, src.create_uid, src.write_uid,
               src.date_last_stage_update
          FROM generate_series(0, %s - 1) AS g(n)
          JOIN src ON src.rn = g.n %% src.total
        """,
        (count,),
    )
    env.invalidate_all()


def _ensure_one_open_lead(env):
    if not env["crm.lead"].search_count([("won_status", "=", "pending")], limit=1):
        env["crm.lead"].create(
            {
                "name": "Bench seed",
                "type": "opportunity",
                "team_id": env["crm.team"].search([], limit=1).id,
                "user_id": env.ref("base.user_admin").id,
                "email_from": "seed@example.com",
                "expected_revenue": 500,
            }
        )


def _my_day(env):
    _ensure_one_open_lead(env)
    group = env.ref("crm_smb_core.group_smb_salesperson")
    env.cr.execute(
        "SELECT user_id FROM crm_lead WHERE user_id IS NOT NULL "
        "GROUP BY user_id ORDER BY count(*) DESC LIMIT 1"
    )
    user = env["res.users"].browse(env.cr.fetchone()[0])
    user.group_ids = [(4, group.id)]
    env.flush_all()
    env.cr.execute("SELECT count(*) FROM crm_lead WHERE user_id = %s", (user.id,))
    owned = env.cr.fetchone()[0]
    if owned < MY_DAY_LEADS:
        env.cr.execute(
            """UPDATE crm_lead SET user_id = %s
                WHERE id IN (SELECT id FROM crm_lead WHERE user_id IS DISTINCT FROM %s
                              ORDER BY id LIMIT %s)""",
            (user.id, user.id, MY_DAY_LEADS - owned),
        )
        env.cr.execute("SELECT count(*) FROM crm_lead WHERE user_id = %s", (user.id,))
        _copy_leads(env, MY_DAY_LEADS - env.cr.fetchone()[0], f"l.user_id = {user.id}")
    env.invalidate_all()
    dashboard = env["crm.smb.dashboard"].with_user(user)
    dashboard.get_dashboard("salesperson")
    times = []
    for _run in range(MY_DAY_RUNS):
        env.invalidate_all()
        started = time.perf_counter()
        dashboard.get_dashboard("salesperson")
        times.append((time.perf_counter() - started) * 1000)
    return {
        "my_day_5k_median_ms": round(statistics.median(times), 1),
        "my_day_5k_p95_ms": round(sorted(times)[int(len(times) * 0.95) - 1], 1),
    }


def _cadence(env):
    _ensure_one_open_lead(env)
    open_leads = env["crm.lead"].search_count([("won_status", "=", "pending")])
    _copy_leads(
        env, CADENCE_LEADS - open_leads, "l.won_status = 'pending' AND l.active"
    )
    open_leads = env["crm.lead"].search_count([("won_status", "=", "pending")])
    call = env.ref("mail.mail_activity_data_call")
    stages = env["crm.stage"].search([("is_won", "=", False)])
    lines = [
        (0, 0, {"trigger": "created", "delay_days": 1, "activity_type_id": call.id})
    ] + [
        (
            0,
            0,
            {
                "trigger": "stage",
                "stage_id": stage.id,
                "delay_days": 3,
                "activity_type_id": call.id,
            },
        )
        for stage in stages
    ]
    cadence = env["crm.smb.cadence"].create({"name": "Bench", "line_ids": lines})
    started = time.perf_counter()
    planned = cadence.line_ids._schedule_followups()
    seconds = time.perf_counter() - started
    rerun = cadence.line_ids._schedule_followups()
    return {
        "cadence_100k_s": round(seconds, 2),
        "cadence_open_leads_count": open_leads,
        "cadence_planned_count": planned,
        "cadence_rerun_new_activities_count": rerun,
    }


def run(env, scale):
    figures = {}
    env.cr.commit()  # the peer copies what is committed (the suite's update)
    peer_db = _make_peer(env, scale["odoo_bin"])
    # Vacuumed like the benchmark database before each addon, so that neither
    # side reads a colder table than the other.
    scale["vacuum"](peer_db)
    samples = {"suite": {}, "peer": {}}
    for _round in range(LEAD_ROUNDS):
        for side, database in (("suite", env.cr.dbname), ("peer", peer_db)):
            for name, values in _lead_samples(database, scale["odoo_bin"]).items():
                samples[side].setdefault(name, []).extend(values)
    suite = {name: statistics.median(v) for name, v in samples["suite"].items()}
    peer = {name: statistics.median(v) for name, v in samples["peer"].items()}
    figures.update(
        {
            "lead_create_ms": round(suite["create_ms"], 2),
            "lead_create_peer_ms": round(peer["create_ms"], 2),
            "lead_create_overhead_pct": round(
                100.0 * (suite["create_ms"] - peer["create_ms"]) / peer["create_ms"], 1
            ),
            "stage_change_ms": round(suite["stage_ms"], 2),
            "stage_change_peer_ms": round(peer["stage_ms"], 2),
            "stage_change_overhead_pct": round(
                100.0 * (suite["stage_ms"] - peer["stage_ms"]) / peer["stage_ms"], 1
            ),
            "lead_create_queries_count": suite["create_queries"],
            "stage_change_queries_count": suite["stage_queries"],
            "extra_queries_count": max(
                suite["create_queries"] - peer["create_queries"],
                suite["stage_queries"] - peer["stage_queries"],
            ),
        }
    )
    figures.update(_my_day(env))
    env.cr.rollback()
    figures.update(_cadence(env))
    env.cr.rollback()
    return figures
