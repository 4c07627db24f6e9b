#!/usr/bin/python3
"""scan_corpus — helper of scan_bench.sh: build a source-like corpus from text files already
on the machine with planted leaks, run a command measuring wall time and peak RSS, and check
which planted leaks akwatch reported. Standard library only. Every planted key is random and
made up on the spot; none was ever issued.

  scan_corpus.py build DIR SIZE_MB EXPECTED.tsv    prints the corpus size in bytes
  scan_corpus.py measure OUT -- CMD...            prints "SECONDS PEAK_RSS_KB EXIT"
  scan_corpus.py check EXPECTED.tsv FINDINGS.jsonl prints "FOUND TOTAL OTHER" + misses
  scan_corpus.py keywords RULES_DIR               the rules' prefilter keywords, one a line
"""
import glob
import json
import os
import random
import resource
import string
import subprocess
import sys
import time

ROOTS = ["/usr/include", "/usr/share", "/usr/lib/python3"]
EXTS = {".h", ".c", ".cc", ".cpp", ".hpp", ".py", ".pl", ".pm", ".rb", ".js", ".ts", ".java",
        ".go", ".rs", ".sh", ".conf", ".cfg", ".ini", ".yml", ".yaml", ".json", ".xml", ".html",
        ".properties", ".md", ".txt", ".rst", ".tcl", ".lua", ".el", ".m4", ".am", ".in", ".css",
        ".php", ".sql", ".toml", ".awk", ".vim", ".mk", ".cmake"}
MAX_FILE = 1 << 20

# Substrings akwatch (rightly) treats as placeholders; a random key must not contain them.
AVOID = ["example", "xxxx", "0000", "1111", "12345678", "abcdefgh", "test", "dummy", "sample",
         "fake", "pass", "secret", "token", "env", "your", "demo"]


def rand_str(rng, n, alphabet=string.ascii_letters + string.digits):
    while True:
        s = "".join(rng.choice(alphabet) for _ in range(n))
        low = s.lower()
        if any(a in low for a in AVOID) or len(set(s)) < min(n, 10) * 0.6:
            continue
        if any(s[i] == s[i + 1] == s[i + 2] for i in range(n - 2)):
            continue
        return s


def leaks(rng):
    """(kind, name, lines, [(line_no, rule)]): kind 'file' is a new file at name, 'insert'
    goes into the middle of a corpus file whose name ends with name."""
    up = string.ascii_uppercase + string.digits
    b64 = string.ascii_letters + string.digits + "+/"
    r = lambda n, a=string.ascii_letters + string.digits: rand_str(rng, n, a)
    pw = lambda: r(4, string.ascii_uppercase) + r(4, string.digits) + r(4, string.ascii_lowercase)
    pem_body = [r(64, b64) for _ in range(20)] + [r(40, b64)]
    ssh_body = [r(70, b64) for _ in range(6)] + [r(32, b64)]
    return [
        ("file", "leaks/oss/OssConfig.java",
         ["public class OssConfig {",
          '    private static final String ACCESS_KEY_ID = "LTAI5t%s";' % r(18),
          '    private static final String ACCESS_KEY_SECRET = "%s";' % r(30), "}"],
         [(3, "alibaba-accesskey-id")]),
        ("insert", ".py", ["# oss key for the nightly job: LTAI5t%s" % r(18)],
         [(1, "alibaba-accesskey-id")]),
        ("file", "leaks/aws/credentials",
         ["[default]", "aws_access_key_id = AKIA%s" % r(16, up),
          "aws_secret_access_key = %s" % r(40, b64), "region = us-east-1"],
         [(3, "aws-access-key-id")]),
        ("file", "leaks/tc/cvm.py",
         ["from tencentcloud.common import credential",
          'cred = credential.Credential("AKID%s", "%s")' % (r(32), r(32))],
         [(2, "tencent-secret-id")]),
        ("file", "leaks/hw/obs.env",
         ["HUAWEICLOUD_REGION=cn-north-4", "HUAWEICLOUD_SDK_AK=%s" % r(20, up),
          "HUAWEICLOUD_SDK_SK=%s" % r(40)],
         [(3, "huawei-access-key")]),
        ("insert", ".js", ['var mapsKey = "AIza%s";' % r(35, string.ascii_letters + string.digits + "_-")],
         [(1, "google-api-key")]),
        ("insert", ".sh", ["git clone https://ghp_%s@github.com/acme/infra.git" % r(36)],
         [(1, "github-token")]),
        ("file", "leaks/ci/release.yml",
         ["jobs:", "  release:", "    env:", "      GH_TOKEN: github_pat_%s_%s" % (r(22), r(59))],
         [(4, "github-fine-grained-token")]),
        ("insert", ".py", ["SLACK_BOT = 'xoxb-%s-%s-%s'" % (r(12, string.digits), r(13, string.digits), r(24))],
         [(1, "slack-token")]),
        ("file", "leaks/ops/notify.sh",
         ["#!/bin/sh", "curl -s -X POST -d \"$1\" https://hooks.slack.com/services/T%s/B%s/%s"
          % (r(8, up), r(8, up), r(24))],
         [(2, "slack-webhook")]),
        ("file", "leaks/keys/id_rsa",
         ["-----BEGIN RSA PRIVATE KEY-----"] + pem_body + ["-----END RSA PRIVATE KEY-----"],
         [(2, "private-key")]),
        ("file", "leaks/keys/deploy_key",
         ["-----BEGIN OPENSSH PRIVATE KEY-----"] + ssh_body + ["-----END OPENSSH PRIVATE KEY-----"],
         [(2, "private-key")]),
        ("insert", ".py", ["DATABASE_URL = 'mysql://shop:%s@10.1.2.3:3306/shop'" % pw()],
         [(1, "database-url")]),
        ("insert", ".h", ["/* staging: postgresql://report:%s@pg.internal/reports */" % pw()],
         [(1, "database-url")]),
        ("file", "leaks/node/db.js",
         ["const uri = 'mongodb+srv://app:%s@cluster0.k2x9q.mongodb.net/prod';" % pw()],
         [(1, "database-url")]),
        ("file", "leaks/cache/settings.py", ["CACHE = 'redis://:%s@cache.internal:6379/0'" % pw()],
         [(1, "database-url")]),
        ("file", "leaks/java/db.properties",
         ["url=jdbc:mysql://db.internal:3306/erp?user=erp&password=%s&useSSL=false" % pw()],
         [(1, "jdbc-password")]),
        ("file", "leaks/shop/application.properties",
         ["spring.datasource.url=jdbc:mysql://rm-bp1%s.mysql.rds.aliyuncs.com:3306/shop" % r(14).lower(),
          "spring.datasource.username=shop", "spring.datasource.password=%s" % pw()],
         [(3, "aliyun-rds-endpoint")]),
        ("file", "leaks/shop/application.yml",
         ["spring:", "  redis:", "    host: r-bp1%s.redis.rds.aliyuncs.com" % r(14).lower(),
          "    port: 6379", "    password: %s" % pw()],
         [(5, "aliyun-redis-endpoint")]),
        ("file", "leaks/django/settings.py",
         ["DATABASES = {", "    'default': {", "        'ENGINE': 'django.db.backends.mysql',",
          "        'NAME': 'shop',", "        'PASSWORD': '%s'," % pw(), "    }", "}"],
         [(5, "django-db-password")]),
        ("file", "leaks/php/db.php",
         ["<?php", '$link = mysqli_connect("10.0.0.7", "root", "%s", "shop");' % pw()],
         [(2, "php-db-connect")]),
        ("file", "leaks/laravel/.env", ["APP_ENV=production", "DB_HOST=10.0.0.7", "DB_PASSWORD=%s" % pw()],
         [(3, "dotenv-db-password")]),
        ("file", "leaks/redis/redis.conf", ["bind 0.0.0.0", "port 6379", "requirepass %s" % pw()],
         [(3, "redis-requirepass")]),
        ("insert", ".sh", ["sshpass -p '%s' ssh -o StrictHostKeyChecking=no root@10.0.0.9 uptime" % pw()],
         [(1, "sshpass-password")]),
        ("file", "leaks/ansible/hosts",
         ["[web]", "web1 ansible_host=10.0.0.21 ansible_user=root ansible_ssh_pass=%s" % pw()],
         [(2, "ansible-password")]),
        ("file", "leaks/ops/backup.py",
         ["import paramiko", "ssh = paramiko.SSHClient()",
          "ssh.connect('10.0.0.30', username='backup', password='%s')" % pw()],
         [(3, "ssh-connect-password")]),
        ("insert", ".py", ['api_token = "%s"' % r(24)], [(1, "password-assignment")]),
        # the provider families (one or two each; data/rules/<family>.conf)
        ("file", "leaks/ai/.env",
         ["APP_ENV=production", "OPENAI_API_KEY=sk-proj-%sT3BlbkFJ%s" % (r(74), r(74))],
         [(2, "openai-api-key")]),
        ("insert", ".py", ['ANTHROPIC = "sk-ant-api03-%sAA"' % r(93)], [(1, "anthropic-api-key")]),
        ("file", "leaks/ai/chat.py",
         ["from openai import OpenAI",
          'client = OpenAI(api_key="sk-%s", base_url="https://api.deepseek.com")'
          % r(32, "0123456789abcdef")],
         [(2, "deepseek-api-key")]),
        ("file", "leaks/azure/appsettings.json",
         ['{"ConnectionStrings": {"Files": "DefaultEndpointsProtocol=https;AccountName=acme%s;'
          'AccountKey=%s==;EndpointSuffix=core.windows.net"}}' % (r(8, string.ascii_lowercase), r(86, b64))],
         [(1, "azure-storage-connection-string")]),
        ("file", "leaks/gcp/sa-key.json",
         ["{", '  "type": "service_account",', '  "private_key_id": "%s",' % r(40, "0123456789abcdef"),
          '  "private_key": "-----BEGIN PRIVATE KEY-----\\n%s\\n-----END PRIVATE KEY-----\\n",'
          % "\\n".join(pem_body), "}"],
         [(4, "gcp-service-account-key")]),
        ("file", "leaks/volc/config.yaml",
         ["volcengine:", "  access_key: AKLT%s" % r(43), "  volc_secret_key: %s==" % r(58, b64)],
         [(3, "volcengine-access-key")]),
        ("insert", ".py", ["JDC = ('JDC_%s', '%s')" % (r(28, "0123456789ABCDEF"), r(32, "0123456789ABCDEF"))],
         [(1, "jdcloud-access-key")]),
        ("insert", ".sh", ["git clone https://oauth2:glpat-%s@gitlab.com/acme/ops.git" % r(20)],
         [(1, "gitlab-pat")]),
        ("file", "leaks/npm/.npmrc", ["//registry.npmjs.org/:_authToken=npm_%s" % r(36)], [(1, "npm-token")]),
        ("insert", ".py", ["stripe.api_key = 'sk_live_%s'" % r(99)], [(1, "stripe-secret-key")]),
        ("file", "leaks/tf/.terraformrc",
         ['credentials "app.terraform.io" {', '  token = "%s.atlasv1.%s"' % (r(14), r(67)), "}"],
         [(2, "terraform-cloud-token")]),
        ("insert", ".sh", ["export SENTRY_AUTH_TOKEN=sntryu_%s" % r(64, "0123456789abcdef")], [(1, "sentry-user-token")]),
        ("file", "leaks/ops/dingtalk.yml",
         ["dingtalk:", "  webhook: https://oapi.dingtalk.com/robot/send?access_token=%s" % r(64, "0123456789abcdef"),
          "  secret: SEC%s" % r(64, "0123456789abcdef")], [(3, "dingtalk-robot-webhook")]),
        ("insert", ".go", ['const feishuHook = "https://open.feishu.cn/open-apis/bot/v2/hook/%s-%s-%s-%s-%s"'
                           % tuple(r(n, "0123456789abcdef") for n in (8, 4, 4, 4, 12))], [(1, "feishu-robot-webhook")]),
        ("insert", ".js", ["const sg = 'SG.%s.%s';" % (r(22), r(43))], [(1, "sendgrid-api-key")]),
        ("file", "leaks/bot/.env", ["TELEGRAM_BOT_TOKEN=%s:AA%s" % (r(10, string.digits), r(33))],
         [(1, "telegram-bot-token")]),
        ("file", "leaks/pay/application.yml",
         ["wxpay:", "  mch-id: 1900000109", "  api-v3-key: %s" % r(32)], [(3, "wechat-pay-api-key")]),
    ]


def candidates():
    for root in ROOTS:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for f in sorted(filenames):
                p = os.path.join(dirpath, f)
                if os.path.splitext(f)[1] not in EXTS or os.path.islink(p):
                    continue
                try:
                    size = os.path.getsize(p)
                except OSError:
                    continue
                if 0 < size <= MAX_FILE:
                    yield p, size


def build(dest, size_mb, expected_path):
    want = size_mb << 20
    total = 0
    copied = []
    os.makedirs(dest, exist_ok=True)
    for p, size in candidates():
        try:
            with open(p, "rb") as f:
                data = f.read()
        except OSError:
            continue
        if b"\0" in data[:8192]:
            continue
        rel = p.lstrip("/")
        out = os.path.join(dest, rel)
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with open(out, "wb") as f:
            f.write(data)
        copied.append(rel)
        total += size
        if total >= want:
            break
    rng = random.Random(20261125)
    rows = []
    used = set()
    for kind, name, lines, expect in leaks(rng):
        if kind == "file":
            rel, offset = name, 0
            path = os.path.join(dest, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write("\n".join(lines) + "\n")
        else:
            hosts = [c for c in copied if c.endswith(name) and c not in used]
            if not hosts:
                rel, offset = "leaks/inserted/host%d%s" % (len(rows), name), 0
                os.makedirs(os.path.join(dest, "leaks/inserted"), exist_ok=True)
                text = []
            else:
                rel = hosts[rng.randrange(len(hosts))]
                used.add(rel)
                with open(os.path.join(dest, rel), "rb") as f:
                    text = f.read().decode("utf-8", "surrogateescape").split("\n")
                offset = len(text) // 2
            text[offset:offset] = lines
            with open(os.path.join(dest, rel), "wb") as f:
                f.write("\n".join(text).encode("utf-8", "surrogateescape"))
        for line, rule in expect:
            rows.append((rel, offset + line, rule))
    with open(expected_path, "w") as f:
        for rel, line, rule in rows:
            f.write("%s\t%d\t%s\n" % (rel, line, rule))
    size = 0
    for dirpath, _, filenames in os.walk(dest):
        for f in filenames:
            size += os.path.getsize(os.path.join(dirpath, f))
    print(size)


def measure(out, cmd):
    t = time.monotonic()
    with open(out, "wb") as f:
        rc = subprocess.call(cmd, stdout=f)
    secs = time.monotonic() - t
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print("%.3f %d %d" % (secs, rss, rc))


def check(expected_path, findings_path):
    want = []
    with open(expected_path) as f:
        for row in f:
            rel, line, rule = row.rstrip("\n").split("\t")
            want.append((rel, int(line), rule))
    got = set()
    other = 0
    with open(findings_path) as f:
        for row in f:
            try:
                o = json.loads(row)
            except ValueError:
                continue
            key = (o.get("path", ""), int(o.get("line", 0)), o.get("rule", ""))
            hit = False
            for rel, line, rule in want:
                if key[1] == line and key[2] == rule and key[0].endswith(rel):
                    got.add((rel, line, rule))
                    hit = True
            other += not hit
    print("%d %d %d" % (len(got), len(want), other))
    for w in want:
        if w not in got:
            print("missed: %s:%d %s" % w)


def keywords(rules_dir):
    kws = set()
    for conf in sorted(glob.glob(os.path.join(rules_dir, "*.conf"))):
        with open(conf) as f:
            for line in f:
                k, _, v = line.partition("=")
                if k.strip() == "keywords":
                    kws.update(v.split())
    print("\n".join(sorted(kws)))


def main():
    a = sys.argv[1:]
    if a[:1] == ["build"] and len(a) == 4:
        build(a[1], int(a[2]), a[3])
    elif a[:1] == ["measure"] and len(a) > 3 and a[2] == "--":
        measure(a[1], a[3:])
    elif a[:1] == ["check"] and len(a) == 3:
        check(a[1], a[2])
    elif a[:1] == ["keywords"] and len(a) == 2:
        keywords(a[1])
    else:
        sys.stderr.write(__doc__)
        sys.exit(2)


if __name__ == "__main__":
    main()
