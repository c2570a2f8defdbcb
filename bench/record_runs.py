#!/usr/bin/python3
"""Puts the latest `make bench` runs into bench/README.md: saves this run's tables (data path and
Leontief work, markdown files made by bench/data_sizes.sh and bench/io_compare.py) as
bench/results/<UTC time>.md and rewrites the block between the README's markers with the last two
runs, newest first (issue 14 asks for two consecutive runs).
Usage: /usr/bin/python3 bench/record_runs.py DATA_SIZES.md IO_COMPARE.md"""
import datetime
import os
import platform
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BEGIN, END = "<!-- make bench: begin -->", "<!-- make bench: end -->"


def machine():
    cores = os.cpu_count()
    load = open("/proc/loadavg").read().split()[0]
    rscript = subprocess.run(["Rscript", "-e", "cat(as.character(packageVersion('data.table')))"],
                             capture_output=True, text=True).stdout.strip()
    import numpy
    import pandas
    return (f"{cores} cores, {platform.machine()}, load average {load} at the end; "
            f"data.table {rscript}, pandas {pandas.__version__}, numpy {numpy.__version__}")


def save_run(data_md, io_md):
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    text = (f"### Run of {stamp}\n\n{machine()}\n\nData path:\n\n{open(data_md).read().strip()}\n\n"
            f"Leontief work:\n\n{open(io_md).read().strip()}\n")
    folder = os.path.join(HERE, "results")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, stamp.replace(" ", "_").replace(":", "") + ".md"), "w") as f:
        f.write(text)


def rewrite_readme():
    folder = os.path.join(HERE, "results")
    runs = sorted(os.listdir(folder), reverse=True)[:2]
    block = "\n".join(open(os.path.join(folder, r)).read() for r in runs)
    path = os.path.join(HERE, "README.md")
    readme = open(path).read()
    head, rest = readme.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    with open(path + ".part", "w") as f:
        f.write(f"{head}{BEGIN}\n{block}\n{END}{tail}")
    os.replace(path + ".part", path)


if __name__ == "__main__":
    save_run(sys.argv[1], sys.argv[2])
    rewrite_readme()
