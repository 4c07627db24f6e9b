#!/usr/bin/python3
"""gen — the labeled corpus of tests/detect/corpus: wrap each label of labels.tsv into the
containers real leaks hide in, and write what akwatch must find there.

  gen.py LABELS.tsv DIR     writes DIR/files/... and DIR/expected.tsv

A label is one line of labels.tsv (tab-separated; \\n \\r \\t \\\\ escapes; # comments):
  type  rule  key  value  id_key  id_value  containers  path  text  note
type pos: `value` assigned to `key` (with the ID `id_value` assigned to `id_key` on the line
  above, for a pair) must be found by `rule`, with that secret, once per container;
type neg: nothing may be reported there (rule names the rule it is a near miss of; a note
  "todo OWNER: ..." marks a negative another helper's precision work has not fixed yet).
key "-": `text` is a whole file's content (with the secret `value` in it), written as-is at
  `path` and in the raw containers; otherwise path and text are "-". containers: "all",
  "named" (all but xml), "whole" (raw, rawcrlf, md), or a comma list of env crlf json yaml
  xml hcl docker ipynb py md raw rawcrlf.
expected.tsv: file  type  rule  fingerprint  container  label_no  todo — the fingerprint is
sha256(rule NUL secret), what `akwatch scan --format json` prints for a finding.
Standard library only; made-up keys only (see labels.tsv).
"""
import hashlib
import json
import os
import sys

ALL = ["env", "crlf", "json", "yaml", "xml", "hcl", "docker", "ipynb", "py"]
RAW = ["raw", "rawcrlf", "md"]


def unescape(s):
    out, i = [], 0
    while i < len(s):
        if s[i] == "\\" and i + 1 < len(s):
            out.append({"n": "\n", "r": "\r", "t": "\t", "\\": "\\"}.get(s[i + 1], "\\" + s[i + 1]))
            i += 2
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


def fingerprint(rule, secret):
    return hashlib.sha256(rule.encode() + b"\0" + secret.encode()).hexdigest()


def pairs(lab):
    kv = []
    if lab["id_key"] != "-":
        kv.append((lab["id_key"], lab["id_value"]))
    kv.append((lab["key"], lab["value"]))
    return kv


def render(c, lab):
    """(file name, bytes) of label lab in container c."""
    kv = pairs(lab) if lab["key"] != "-" else None
    if c == "env":
        body = "APP_ENV=production\n" + "".join("%s=%s\n" % p for p in kv) + "LOG_LEVEL=info\n"
        return ".env", body
    if c == "crlf":
        body = "# deploy settings\r\nREGION=eu-west-1\r\n" + "".join("%s=%s\r\n" % p for p in kv) + "WORKERS=4\r\n"
        return "deploy.env", body
    if c == "json":
        settings = {"name": "billing", "retries": 3}
        for k, v in kv:
            settings[k] = v
        return "config.min.json", json.dumps({"version": "1.4.2", "settings": settings}, separators=(",", ":"))
    if c == "yaml":
        body = "app:\n  name: billing\n  env:\n" + "".join('    %s: "%s"\n' % p for p in kv) + "  replicas: 2\n"
        return "values.yaml", body
    if c == "xml":
        body = '<?xml version="1.0"?>\n<settings>\n' + "".join("  <%s>%s</%s>\n" % (k, v, k) for k, v in kv) + "</settings>\n"
        return "settings.xml", body
    if c == "hcl":
        body = 'resource "app_config" "main" {\n  name = "billing"\n' + "".join('  %s = "%s"\n' % p for p in kv) + "}\n"
        return "main.tf", body
    if c == "docker":
        body = "FROM debian:bookworm-slim\n" + "".join("ENV %s=%s\n" % p for p in kv) + 'CMD ["/app/run"]\n'
        return "Dockerfile", body
    if c == "ipynb":
        src = ["import os\n"] + ["%s = '%s'\n" % p for p in kv] + ["client = connect()\n"]
        nb = {"cells": [{"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [],
                         "source": src}], "metadata": {"kernelspec": {"name": "python3"}},
              "nbformat": 4, "nbformat_minor": 5}
        return "analysis.ipynb", json.dumps(nb, indent=1) + "\n"
    if c == "py":
        body = "import os\n\n" + "".join("%s = \"%s\"\n" % p for p in kv) + "\n\ndef main():\n    pass\n"
        return "settings.py", body
    text = lab["text"]
    if c == "raw":
        return lab["path"], text
    if c == "rawcrlf":
        return os.path.basename(lab["path"]) + ".crlf", text.replace("\r\n", "\n").replace("\n", "\r\n")
    if c == "md":
        return "NOTES.md", "# Notes\n\nThe setup we use:\n\n```\n" + text.rstrip("\n") + "\n```\n"
    raise SystemExit("gen: unknown container %r" % c)


def main():
    labels_path, out = sys.argv[1], sys.argv[2]
    labels = []
    with open(labels_path, encoding="utf-8") as f:
        for no, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            col = line.split("\t")
            if len(col) != 10 or col[0] not in ("pos", "neg"):
                sys.exit("%s:%d: want 10 tab-separated fields starting with pos or neg" % (labels_path, no))
            lab = dict(zip(["type", "rule", "key", "value", "id_key", "id_value", "containers", "path",
                            "text", "note"], [unescape(c) for c in col]))
            lab["no"] = no
            labels.append(lab)
    rows = []
    for lab in labels:
        cs = lab["containers"]
        cs = ALL if cs == "all" else [c for c in ALL if c != "xml"] if cs == "named" else RAW if cs == "whole" else cs.split(",")
        for c in cs:
            name, body = render(c, lab)
            rel = os.path.join("files", "%04d-%s" % (lab["no"], c), name)
            os.makedirs(os.path.join(out, os.path.dirname(rel)), exist_ok=True)
            with open(os.path.join(out, rel), "w", encoding="utf-8", newline="") as f:
                f.write(body)
            fp = fingerprint(lab["rule"], lab["value"]) if lab["type"] == "pos" else "-"
            todo = lab["note"].split(":")[0][5:] or "?" if lab["note"].startswith("todo") else "-"
            rows.append("\t".join([rel, lab["type"], lab["rule"], fp, c, str(lab["no"]), todo]))
    with open(os.path.join(out, "expected.tsv"), "w", encoding="utf-8") as f:
        f.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
