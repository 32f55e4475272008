#!/usr/bin/env python3
"""Lists every metric the alert rules and the Grafana dashboards reference and fails when a scrape of a
real server (deploy/check-metrics.sh) lacks one.

usage: check-metrics.py SCRAPE_FILE
A referenced name counts as exported when a sample of that name is in the scrape, or, for a histogram or
summary family named without suffix, when its _count is. Recording rules (names with ':') must be
recorded by the rules themselves.
"""
import glob
import json
import os
import re
import sys

import yaml

DEPLOY = os.path.dirname(os.path.abspath(__file__))

# PromQL words that look like metric names: functions, aggregations, operators, modifiers.
PROMQL_WORDS = set("""
abs absent absent_over_time avg avg_over_time bool bottomk by ceil changes clamp clamp_max clamp_min
count count_over_time count_values day_of_month day_of_week days_in_month delta deriv exp floor group
group_left group_right histogram_quantile holt_winters hour idelta ignoring increase irate label_join
label_replace last_over_time ln log10 log2 max max_over_time min min_over_time minute month offset on or
and unless predict_linear present_over_time quantile quantile_over_time rate resets round scalar sgn sort
sort_desc sqrt stddev stddev_over_time stdvar stdvar_over_time sum sum_over_time time timestamp topk vector
without year inf nan atan2 e
""".split())


def metric_names(expr):
    expr = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)            # string literals
    expr = re.sub(r"\{[^}]*\}", "", expr)                        # label matchers
    expr = re.sub(r"\[[^\]]*\]", "", expr)                       # range selectors
    expr = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", r"\1", expr)
    expr = re.sub(r"\$\{?\w+\}?", "", expr)                      # Grafana variables
    names = set()
    for m in re.finditer(r"(?<![\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\()?", expr):
        word, call = m.group(1), m.group(2)
        if word in PROMQL_WORDS or call:
            continue
        names.add(word)
    return names


def referenced():
    refs = {}
    recorded = set()
    for path in glob.glob(os.path.join(DEPLOY, "prometheus", "*.yml")):
        doc = yaml.safe_load(open(path))
        for group in doc.get("groups", []):
            for rule in group.get("rules", []):
                if "record" in rule:
                    recorded.add(rule["record"])
                where = f"{os.path.relpath(path, DEPLOY)} {rule.get('alert') or rule.get('record')}"
                for name in metric_names(rule["expr"]):
                    refs.setdefault(name, set()).add(where)
    for path in glob.glob(os.path.join(DEPLOY, "grafana", "dashboards", "*.json")):
        dash = json.load(open(path))
        texts = [t.get("expr", "") for p in dash.get("panels", []) for t in p.get("targets", [])]
        for var in dash.get("templating", {}).get("list", []):
            q = var.get("query")
            texts.append(q.get("query", "") if isinstance(q, dict) else str(q or ""))
        for text in texts:
            text = re.sub(r"label_values\(\s*([a-zA-Z_:][\w:]*)\s*,[^)]*\)", r"\1", text)
            for name in metric_names(text):
                refs.setdefault(name, set()).add(os.path.relpath(path, DEPLOY))
    return refs, recorded


def exported(scrape_path):
    names = set()
    for line in open(scrape_path, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        names.add(re.match(r"[a-zA-Z_:][a-zA-Z0-9_:]*", line).group(0))
    return names


def main():
    refs, recorded = referenced()
    names = exported(sys.argv[1])
    missing = []
    for name in sorted(refs):
        if ":" in name:
            ok = name in recorded
        else:
            ok = name in names or f"{name}_count" in names
        print(f"  {'ok     ' if ok else 'MISSING'} {name}  ({', '.join(sorted(refs[name]))})")
        if not ok:
            missing.append(name)
    print(f"check-metrics: {len(refs) - len(missing)} passed, {len(missing)} failed")
    if missing:
        print("metrics referenced by rules/dashboards but not exported: " + ", ".join(missing), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
