#!/usr/bin/env python3
"""Benchmark driver: runs each addon's benchmark and records the figures.

Each ``setup/bench_<key>.py`` defines ``run(env, scale) -> dict`` returning flat
figures named as ``shared/BENCH.md`` asks (the unit is the last word of the
name). This driver prepares the benchmark database at the requested scale with
``generate_demo.py``, calls every ``run`` in its own transaction (rolled back,
so benchmarks do not see each other's data), and merges the figures into
``bench/results.json`` with the machine, Odoo series and date.

``scale`` holds the sizes asked for (``contacts``, ``leads``), ``odoo_bin``,
``registry``, the planted duplicate pairs (``truth``) and ``vacuum``, the
function that vacuums a database by name before it is measured.
"""

import argparse
import importlib.util
import json
import logging
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

SETUP_DIR = Path(__file__).resolve().parent
REPO_DIR = SETUP_DIR.parent
RESULTS = REPO_DIR / "bench" / "results.json"
KEYS = ("core", "dedup", "roi", "integrations")

_logger = logging.getLogger("crm_smb.bench")


def machine():
    with open("/proc/meminfo") as meminfo:
        kib = int(meminfo.readline().split()[1])
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(kib / 1024**2, 1),
        "cpu": platform.processor() or platform.machine(),
        "python": platform.python_version(),
    }


def load(key):
    path = SETUP_DIR / f"bench_{key}.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location(f"crm_smb_bench_{key}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def odoo_install_seconds(config, database, modules, odoo_bin):
    """Wall time of a fresh install with demo data, as a consultant sees it."""
    subprocess.run(["dropdb", "--if-exists", "--force", database], check=True)
    started = time.monotonic()
    subprocess.run(
        [
            *(sys.executable, odoo_bin, "-c", config, "-d", database),
            *("-i", modules, "--with-demo", "--stop-after-init", "--log-level=warn"),
        ],
        check=True,
    )
    seconds = time.monotonic() - started
    subprocess.run(["dropdb", "--if-exists", "--force", database], check=True)
    return round(seconds, 1)


def merge(figures):
    RESULTS.parent.mkdir(exist_ok=True)
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    for key, values in figures.items():
        results.setdefault(key, {}).update(values)
    results["machine"] = machine()
    results["odoo"] = "19.0"
    results["when"] = datetime.now(UTC).date().isoformat()
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")


def vacuum(database):
    """VACUUM ANALYZE the database, as autovacuum keeps a live one: freshly
    generated rows, and the dead ones a rolled-back benchmark leaves, would
    otherwise slow the next measurement (hint bits, visibility map, stale
    statistics) and compare a cold database with Odoo's own reads."""
    import psycopg2

    from odoo.sql_db import connection_info_for

    _name, params = connection_info_for(database)
    conn = psycopg2.connect(**params)
    try:
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
    finally:
        conn.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--odoo-bin", required=True)
    parser.add_argument("--only", help="comma-separated keys: " + ",".join(KEYS))
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--leads", type=int, default=200_000)
    parser.add_argument(
        "--install", action="store_true", help="also time installs with demo data"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="[bench] %(message)s")

    import odoo
    from odoo.modules.registry import Registry

    spec = importlib.util.spec_from_file_location(
        "generate_demo", SETUP_DIR / "generate_demo.py"
    )
    generate_demo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate_demo)

    figures = {}
    if args.install:
        scratch = args.database + "_install"
        crm = odoo_install_seconds(args.config, scratch, "crm", args.odoo_bin)
        suite = odoo_install_seconds(
            args.config,
            scratch,
            "crm,crm_smb_core,crm_smb_dedup,crm_smb_roi,crm_smb_integrations",
            args.odoo_bin,
        )
        figures["suite"] = {
            "install_crm_demo_s": crm,
            "install_crm_and_suite_demo_s": suite,
            "install_suite_overhead_s": round(suite - crm, 1),
        }
        _logger.info("install with demo: crm %s s, crm and suite %s s", crm, suite)

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    registry = Registry(args.database)
    scale = {
        "contacts": args.contacts,
        "leads": args.leads,
        "odoo_bin": args.odoo_bin,
        "vacuum": vacuum,
    }
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        count = env["res.partner"].search_count([("ref", "=like", "SMB-%")])
        truth_file = Path(odoo.tools.config["data_dir"]) / f"{args.database}.truth"
        if count < args.contacts:
            _logger.info(
                "generating %s contacts and %s leads", args.contacts, args.leads
            )
            started = time.monotonic()
            truth = generate_demo.generate(env, args.contacts, args.leads)
            seconds = time.monotonic() - started
            generate_demo.write_truth(truth, truth_file)
            figures["suite"] = {
                **figures.get("suite", {}),
                f"generate_{args.contacts // 1000}k_contacts_"
                f"{args.leads // 1000}k_leads_s": round(seconds, 1),
            }
    with open(truth_file) as handle:
        scale["truth"] = [tuple(line.strip().split(",")) for line in handle][1:]

    keys = args.only.split(",") if args.only else KEYS
    for key in keys:
        module = load(key)
        if module is None:
            _logger.info("%s: no benchmark", key)
            continue
        vacuum(args.database)
        started = time.monotonic()
        try:
            with registry.cursor() as cr:
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                figures[key] = module.run(env, dict(scale, registry=registry))
                cr.rollback()
        except Exception:
            _logger.exception("%s: benchmark failed; other figures are kept", key)
            continue
        _logger.info("%s: %s (%.0f s)", key, figures[key], time.monotonic() - started)
        # Written after each addon, so a long run keeps what it measured.
        merge(
            {
                key: figures[key],
                **({"suite": figures["suite"]} if "suite" in figures else {}),
            }
        )
    merge(figures)
    print(json.dumps(figures, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
