#!/usr/bin/env python3
"""Scrape the running demo's /actuator/prometheus and render the dashboard's panels to a PNG.

For machines without Grafana: it draws, from real scraped samples, the panels docker/grafana/dashboards/
eventfd.json shows. It is not Grafana and does not run the dashboard's PromQL: it computes rates and the p99
from the raw samples itself (DashboardQueriesIT runs the dashboard's own queries against a real Prometheus).
The p99 needs the listener-duration histogram, which the demo turns on
(management.metrics.distribution.percentiles-histogram.eventfd.listener.duration).
Usage: snapshot-dashboard.py OUT.png SECONDS name=url [name=url ...]   (needs python3-matplotlib)
"""
import re
import sys
import time
import urllib.request

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

LINE = re.compile(r'^(\w+)\{([^}]*)\} (\S+)$')


def scrape(url):
    samples = {}
    with urllib.request.urlopen(url, timeout=5) as response:
        for line in response.read().decode().splitlines():
            match = LINE.match(line)
            if match and match.group(1).startswith("eventfd_"):
                labels = dict(re.findall(r'(\w+)="([^"]*)"', match.group(2)))
                samples[(match.group(1), labels.get("channel", ""), labels.get("le", ""))] = float(match.group(3))
    return samples


def main():
    out, seconds, targets = sys.argv[1], int(sys.argv[2]), dict(arg.split("=", 1) for arg in sys.argv[3:])
    series = {name: [] for name in targets}
    start = time.time()
    while time.time() - start < seconds:
        for name, url in targets.items():
            series[name].append((time.time() - start, scrape(url)))
        time.sleep(2)

    def rate(name, metric, channel):
        points = series[name]
        xs, ys = [], []
        for (t0, a), (t1, b) in zip(points, points[1:]):
            key = (metric, channel, "")
            if key in a and key in b:
                xs.append(t1)
                ys.append((b[key] - a[key]) / (t1 - t0))
        return xs, ys

    def gauge(name, metric, channel):
        return [t for t, s in series[name]], [s.get((metric, channel, ""), 0) for t, s in series[name]]

    def p99(name, channel):
        points = series[name]
        xs, ys = [], []
        for (t0, a), (t1, b) in zip(points, points[1:]):
            buckets = sorted((float(le), b[k] - a.get(k, 0)) for k in b
                             for (m, c, le) in [k] if m == "eventfd_listener_duration_seconds_bucket" and c == channel
                             and le != "+Inf")
            total = b.get(("eventfd_listener_duration_seconds_count", channel, ""), 0) - a.get(
                ("eventfd_listener_duration_seconds_count", channel, ""), 0)
            if total > 0:
                xs.append(t1)
                ys.append(next((le for le, count in buckets if count >= 0.99 * total), buckets[-1][0]) * 1000)
        return xs, ys

    channels = ["orders.created", "config.changed"]
    panels = [
        ("Signals sent per second", lambda n, c: rate(n, "eventfd_signals_sent_total", c)),
        ("Signals received per second", lambda n, c: rate(n, "eventfd_signals_received_total", c)),
        ("Wake-ups per second", lambda n, c: rate(n, "eventfd_wakeups_total", c)),
        ("Pending count", lambda n, c: gauge(n, "eventfd_pending", c)),
        ("Listener duration p99 (ms)", p99),
        ("Peers", lambda n, c: gauge(n, "eventfd_peers", c)),
    ]
    figure, axes = plt.subplots(3, 2, figsize=(14, 10))
    for axis, (title, values) in zip(axes.flat, panels):
        for name in targets:
            for channel in channels:
                xs, ys = values(name, channel)
                if ys and any(ys):
                    axis.plot(xs, ys, label=f"{channel} {name}")
        axis.set_title(title)
        axis.set_xlabel("seconds")
        axis.legend(fontsize=7)
        axis.grid(alpha=0.3)
    figure.suptitle("eventfd channels: demo orders + 2 billing replicas (scraped from /actuator/prometheus)")
    figure.tight_layout()
    figure.savefig(out, dpi=80)


if __name__ == "__main__":
    main()
