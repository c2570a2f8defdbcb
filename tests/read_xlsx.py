#!/usr/bin/env python3
"""Prints an .xlsx workbook as JSON, read with the standard library only (zipfile + xml), so that
cli_export_test checks what `klaster export` wrote independently of libxlsxwriter:
{"sheets": [names in order], "cells": {sheet: [[{"t": "n"|"s", "v": value}, ...], ...]},
 "frozen": {sheet: true|false}, "bold_header": {sheet: true|false}}."""
import json
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}


def column_index(ref):
    letters = re.match(r"[A-Z]+", ref).group(0)
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def bold_styles(z):
    """Indexes of cell formats (cellXfs) whose font is bold."""
    styles = ET.fromstring(z.read("xl/styles.xml"))
    fonts = styles.find("m:fonts", NS).findall("m:font", NS)
    bold_fonts = {i for i, f in enumerate(fonts) if f.find("m:b", NS) is not None}
    xfs = styles.find("m:cellXfs", NS).findall("m:xf", NS)
    return {i for i, xf in enumerate(xfs) if int(xf.get("fontId", 0)) in bold_fonts}


def shared_strings(z):
    if "xl/sharedStrings.xml" not in z.namelist():
        return []
    root = ET.fromstring(z.read("xl/sharedStrings.xml"))
    return ["".join(t.text or "" for t in si.iter("{%s}t" % NS["m"])) for si in root]


def cell_value(c, strings):
    t = c.get("t")
    if t == "inlineStr":
        return {"t": "s", "v": "".join(x.text or "" for x in c.iter("{%s}t" % NS["m"]))}
    v = c.find("m:v", NS)
    if t == "s":
        return {"t": "s", "v": strings[int(v.text)]}
    if v is None:
        return None
    return {"t": "n", "v": float(v.text)}


def read_sheet(z, path, strings, bold):
    root = ET.fromstring(z.read(path))
    rows = []
    header_bold = True
    for row in root.find("m:sheetData", NS).findall("m:row", NS):
        r = int(row.get("r")) - 1
        while len(rows) <= r:
            rows.append([])
        for c in row.findall("m:c", NS):
            k = column_index(c.get("r"))
            while len(rows[r]) <= k:
                rows[r].append(None)
            rows[r][k] = cell_value(c, strings)
            if r == 0 and int(c.get("s", 0)) not in bold:
                header_bold = False
    pane = root.find("m:sheetViews/m:sheetView/m:pane", NS)
    frozen = pane is not None and pane.get("state") == "frozen" and pane.get("ySplit") == "1"
    return rows, frozen, header_bold


def main():
    z = zipfile.ZipFile(sys.argv[1])
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels.findall("rel:Relationship", NS)}
    strings, bold = shared_strings(z), bold_styles(z)
    out = {"sheets": [], "cells": {}, "frozen": {}, "bold_header": {}}
    for s in wb.find("m:sheets", NS).findall("m:sheet", NS):
        name = s.get("name")
        path = "xl/" + target[s.get("{%s}id" % NS["r"])].lstrip("/").removeprefix("xl/")
        rows, frozen, header_bold = read_sheet(z, path, strings, bold)
        out["sheets"].append(name)
        out["cells"][name] = rows
        out["frozen"][name] = frozen
        out["bold_header"][name] = header_bold
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
