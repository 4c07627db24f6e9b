#!/usr/bin/python3
"""report_check — read an akwatch report back with independent readers (openpyxl, csv, json)
and compare it with `akwatch list --format json`. Prints one line per check: "0 desc" for a
pass, "1 desc" (plus "# detail" lines) for a failure; the shell test turns them into TAP.

  report_check.py xlsx FILE LIST.jsonl      workbook structure, formats, every Leaks and
                                            Locations cell against the list
  report_check.py csv DIR LIST.jsonl        the csv folder: same rows as the list
  report_check.py json FILE LIST.jsonl      the json document: same rows as the list
  report_check.py same XLSX DIR JSON        the three formats carry the same rows (all sheets)
"""
import csv
import datetime
import json
import os
import sys

SHEETS = ["Summary", "Leaks", "Locations", "Suspicious calls", "Alerts", "Whitelist",
          "Audit log"]
SHEET_KEYS = ["summary", "leaks", "locations", "calls", "alerts", "whitelist", "audit"]

# English header -> key, for the sheets compared against the list (C locale).
LEAK_HEADERS = {
    "ID": "id", "Severity": "severity", "Confidence": "confidence", "Status": "status",
    "Handled as": "handled_as",
    "AccessKey ID": "ak_id", "Secret (masked)": "secret_masked", "Kind": "kind",
    "Rule": "rule", "Description": "description", "Provider": "provider", "Console": "console",
    "Owned": "owned", "Verified": "verified",
    "Verified at (UTC)": "verified_at", "Verification": "verification",
    "Repository": "repo", "Path": "path", "Locations": "n_locations",
    "First seen (UTC)": "first_seen", "Last seen (UTC)": "last_seen", "Note": "note",
    "Fingerprint": "fingerprint",
}
LOC_HEADERS = {
    "Leak ID": "leak_id", "AccessKey ID": "ak_id", "Severity": "severity",
    "Platform": "platform", "Repository": "repo", "Path": "path", "Line": "line",
    "Column": "column", "Commit": "commit", "URL": "url", "Author": "author",
    "Committed at (UTC)": "committed_at", "Found at (UTC)": "found_at",
    "Matching line (masked)": "snippet",
}
TIME_KEYS = {"first_seen", "last_seen", "verified_at", "committed_at", "found_at", "added_at", "at",
             "time", "created", "sent_at", "value"}
SEV_FILL = {"critical": "E0301E", "high": "F4A460", "medium": "FFEB84", "low": "D9D9D9"}

failures = 0


def check(cond, desc, *detail):
    global failures
    print(("0 " if cond else "1 ") + desc)
    if not cond:
        failures += 1
        for d in detail:
            print("# " + str(d)[:300])
    return cond


def norm(v):
    """One spelling per value across readers: None for empty, ISO Z for times."""
    if v is None or v == "":
        return None
    if isinstance(v, datetime.datetime):
        return v.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def clean(v):
    """The export's documented text cleaning: invalid UTF-8 bytes (already U+FFFD after a
    lenient decode) and C0 controls other than TAB, LF, CR become U+FFFD."""
    if isinstance(v, str):
        return "".join("\ufffd" if ord(c) < 0x20 and c not in "\t\n\r" else c for c in v)
    return v


def load_list(path):
    # lenient: the list passes a snippet's invalid UTF-8 through; each bad byte -> U+FFFD
    with open(path, encoding="utf-8", errors="replace") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return {int(r["id"]): r for r in rows}


def expected_leak(r):
    """The Leaks row the list implies (first location = oldest = locations[0])."""
    locs = r.get("locations") or []
    want = {k: r.get(k) for k in LEAK_HEADERS.values()}
    want["owned"] = bool(r.get("owned"))
    want["n_locations"] = r.get("n_locations", len(locs))
    if "repo" not in r:
        want["repo"] = locs[0].get("repo") if locs else None
    if "path" not in r:
        want["path"] = locs[0].get("path") if locs else None
    return {k: clean(norm(v)) for k, v in want.items()}


def expected_locations(list_rows):
    out = []
    for lid in sorted(list_rows):
        r = list_rows[lid]
        for loc in r.get("locations") or []:
            want = {k: clean(norm(loc.get(k))) for k in LOC_HEADERS.values()}
            want.update(leak_id=lid, ak_id=norm(r.get("ak_id")), severity=r.get("severity"))
            out.append(want)
    return out


def comparable_keys(list_rows, keys):
    """Keys the list carries for every leak (others are derived or only in the report)."""
    rows = list(list_rows.values())
    return [k for k in keys if rows and all(k in r for r in rows)]


def sheet_dicts(ws, headers):
    rows = list(ws.iter_rows(values_only=True))
    head = [headers.get(h, h) for h in rows[0]]
    return head, [dict(zip(head, (norm(v) for v in row))) for row in rows[1:]]


def loc_sort(d):
    return (d["leak_id"], d.get("found_at") or "", d.get("path") or "", d.get("line") or 0)


def check_xlsx(path, list_path):
    import openpyxl
    wb = openpyxl.load_workbook(path)
    lst = load_list(list_path)
    check(wb.sheetnames == SHEETS, "xlsx: sheets " + ", ".join(SHEETS), wb.sheetnames)
    for ws in wb.worksheets:
        ncol, nrow = ws.max_column, ws.max_row
        check(all(ws.cell(1, c).font.b for c in range(1, ncol + 1)),
              f"xlsx {ws.title}: header row bold")
        check(ws.freeze_panes == "A2", f"xlsx {ws.title}: header row frozen", ws.freeze_panes)
        last = openpyxl.utils.get_column_letter(ncol)
        check(ws.auto_filter.ref == f"A1:{last}{nrow}", f"xlsx {ws.title}: autofilter on all rows",
              ws.auto_filter.ref)
        widths = [ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width
                  for c in range(1, ncol + 1)]
        heads = [len(str(ws.cell(1, c).value)) for c in range(1, ncol + 1)]
        check(all(w and w >= h for w, h in zip(widths, heads)),
              f"xlsx {ws.title}: every column width set, header fits", widths)

    # Leaks: every cell against the list
    head, got = sheet_dicts(wb["Leaks"], LEAK_HEADERS)
    check(set(head) == set(LEAK_HEADERS.values()), "xlsx Leaks: the documented columns", head)
    check(len(got) == len(lst), f"xlsx Leaks: one row per leak ({len(lst)})", len(got))
    keys = set(comparable_keys(lst, LEAK_HEADERS.values())) | {"n_locations", "owned", "repo",
                                                                "path"}
    bad = []
    for row in got:
        want = expected_leak(lst.get(row["id"], {"id": row["id"]}))
        for k in keys:
            if row.get(k) != want.get(k):
                bad.append((row["id"], k, row.get(k), want.get(k)))
    rest = sorted(set(head) - keys)
    check(not bad and len(got) == len(lst) and len(keys) >= 18,
          f"xlsx Leaks: every cell of the {len(keys)} columns the list carries equals it "
          f"({len(got) * len(keys)} cells; {', '.join(rest) or 'none'} checked against json)",
          *bad[:5])
    ws = wb["Leaks"]
    tcols = [i for i, h in enumerate(head) if h in ("first_seen", "last_seen")]
    check(all(isinstance(ws.cell(r, c + 1).value, datetime.datetime)
              for r in range(2, ws.max_row + 1) for c in tcols),
          "xlsx Leaks: first/last seen are date-time cells")
    check(ws.cell(2, head.index("first_seen") + 1).number_format == "yyyy-mm-dd hh:mm:ss",
          "xlsx Leaks: date format yyyy-mm-dd hh:mm:ss")
    sev_col = head.index("severity") + 1
    fills = {}
    for r in range(2, ws.max_row + 1):
        fills[ws.cell(r, sev_col).value] = (ws.cell(r, sev_col).fill.fgColor.rgb or "")[-6:]
    check(all(SEV_FILL.get(s) == f for s, f in fills.items()) and fills,
          "xlsx Leaks: severity cells coloured (critical red, high orange, medium yellow, low grey)",
          fills)
    check(all(isinstance(ws.cell(r, head.index("owned") + 1).value, bool)
              for r in range(2, ws.max_row + 1)), "xlsx Leaks: owned is a boolean cell")

    # Locations: every cell against the list's locations
    head, got = sheet_dicts(wb["Locations"], LOC_HEADERS)
    want = expected_locations(lst)
    if want and all("url" in loc for r in lst.values() for loc in r.get("locations") or []):
        loc_keys = [k for k in LOC_HEADERS.values()
                    if all(k in loc for r in lst.values() for loc in r.get("locations") or [])]
        loc_keys += ["leak_id", "ak_id", "severity"]
        g = sorted(({k: d.get(k) for k in loc_keys} for d in got), key=loc_sort)
        w = sorted(({k: d.get(k) for k in loc_keys} for d in want), key=loc_sort)
        diff = [(a, b) for a, b in zip(g, w) if a != b]
        check(g == w, f"xlsx Locations: every cell equals the list's locations ({len(w)} rows, "
              f"{len(loc_keys)} columns)", *diff[:3])
    ws = wb["Locations"]
    url_col = head.index("url") + 1
    links = [(ws.cell(r, url_col).value, ws.cell(r, url_col).hyperlink)
             for r in range(2, ws.max_row + 1) if ws.cell(r, url_col).value]

    def href(h):  # Excel keeps the #fragment apart, as the link's location
        return h.target + ("#" + h.location if h.location else "") if h else None
    check(links and all(href(h) == v for v, h in links),
          f"xlsx Locations: {len(links)} URL cells are hyperlinks to themselves",
          *[(v, href(h)) for v, h in links[:3]])


def unguard(v):
    """Undo the formula guard: a leading ' added before = + - @ TAB CR."""
    if v and len(v) > 1 and v[0] == "'" and v[1] in "=+-@\t\r":
        return v[1:]
    return v


def typed(key, v):
    if v == "":
        return None
    if v in ("true", "false"):
        return v == "true"
    if key in ("id", "leak_id", "n_locations", "line", "column", "n_leaks", "count") \
            or (key == "value" and v.isdigit()):
        return int(v)
    return unguard(v)


def like_json(crow, jrow):
    """A csv row typed like its json twin (csv has only text): ints, bools, null, unguarded."""
    out = {}
    for k, v in crow.items():
        j = jrow.get(k)
        if v == "":
            out[k] = None
        elif isinstance(j, bool):
            out[k] = {"true": True, "false": False}.get(v, v)
        elif isinstance(j, int) and v.lstrip("-").isdigit():
            out[k] = int(v)
        else:
            out[k] = unguard(v)
    return out


def check_csv(folder, list_path):
    lst = load_list(list_path)
    mode = os.stat(folder).st_mode & 0o777
    check(mode == 0o700, "csv: folder mode 0700", oct(mode))
    for key in SHEET_KEYS:
        p = os.path.join(folder, key + ".csv")
        check(os.path.exists(p) and os.stat(p).st_mode & 0o777 == 0o600,
              f"csv: {key}.csv present, mode 0600")
    with open(os.path.join(folder, "leaks.csv"), "rb") as f:
        raw = f.read()
    check(raw.count(b"\n") == raw.count(b"\r\n") >= len(lst) + 1, "csv: CRLF line ends")
    rows = list(csv.DictReader(open(os.path.join(folder, "leaks.csv"), encoding="utf-8",
                                    newline="")))
    check(list(rows[0].keys()) if rows else False, "csv leaks: header row of keys")
    check(len(rows) == len(lst), f"csv leaks: one row per leak ({len(lst)})", len(rows))
    keys = comparable_keys(lst, LEAK_HEADERS.values()) + ["n_locations", "owned", "repo", "path"]
    bad = []
    for r in rows:
        got = {k: typed(k, v) for k, v in r.items()}
        want = expected_leak(lst.get(got["id"], {"id": got["id"]}))
        bad += [(got["id"], k, got.get(k), want.get(k)) for k in keys if got.get(k) != want.get(k)]
    check(not bad and rows, "csv leaks: every field equals the list", *bad[:5])


def check_json(path, list_path):
    lst = load_list(list_path)
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    check(doc.get("report") == "akwatch" and doc.get("version") == 1, "json: report header")
    check(sorted(doc["sheets"]) == sorted(SHEET_KEYS), "json: every sheet",
          sorted(doc["sheets"]))
    rows = doc["sheets"]["leaks"]
    check(len(rows) == len(lst), f"json leaks: one object per leak ({len(lst)})", len(rows))
    keys = comparable_keys(lst, LEAK_HEADERS.values()) + ["n_locations", "owned", "repo", "path"]
    bad = []
    for r in rows:
        want = expected_leak(lst.get(r["id"], {"id": r["id"]}))
        bad += [(r["id"], k, norm(r.get(k)), want.get(k)) for k in keys
                if norm(r.get(k)) != want.get(k)]
    check(not bad and rows, "json leaks: every field equals the list", *bad[:5])


def check_same(xlsx, folder, jpath):
    """Every sheet: xlsx rows == csv rows == json rows (machine values, by column key)."""
    import openpyxl
    wb = openpyxl.load_workbook(xlsx)
    with open(jpath, encoding="utf-8") as f:
        doc = json.load(f)
    for title, key in zip(SHEETS, SHEET_KEYS):
        jrows = [{k: norm(v) for k, v in r.items()} for r in doc["sheets"][key]]
        with open(os.path.join(folder, key + ".csv"), encoding="utf-8", newline="") as f:
            crows = [like_json(r, j) for r, j in zip(csv.DictReader(f), jrows)]
        xr = list(wb[title].iter_rows(values_only=True))
        keys = list(jrows[0].keys()) if jrows else []
        xrows = [dict(zip(keys, (norm(v) for v in row))) for row in xr[1:]]
        check(len(xr) - 1 == len(jrows) == len(crows),
              f"same rows: {key} has {len(jrows)} rows in xlsx, csv and json",
              (len(xr) - 1, len(jrows), len(crows)))
        # C locale: labels are untranslated, so every value must match exactly
        check(jrows == crows, f"same rows: {key} csv equals json",
              *[(a, b) for a, b in zip(crows, jrows) if a != b][:2])
        check(xrows == jrows, f"same rows: {key} xlsx equals json",
              *[(a, b) for a, b in zip(xrows, jrows) if a != b][:2])


def main():
    mode = sys.argv[1]
    {"xlsx": check_xlsx, "csv": check_csv, "json": check_json, "same": check_same}[mode](
        *sys.argv[2:])
    return 0


if __name__ == "__main__":
    sys.exit(main())
