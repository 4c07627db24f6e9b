# teamlib.sh — what the team-mode watch tests read back from a store: who holds which
# lease, and how many leaks of each provider it has. Source after tests/lib.sh (akw).
#   holders          "SOURCE PID" of every running lease, sorted by source
#   holder SOURCE    the pid of the watcher holding SOURCE's running lease (empty: none)
#   leaks_are "alibaba N aws N maxloc N"
#                    true when the store holds N Alibaba Cloud and N AWS leaks (every
#                    status) and the most locations of one leak is N
holders() {
    akw watchers --format json 2>/dev/null | /usr/bin/python3 -c '
import json, sys
for l in sys.stdin:
    r = json.loads(l)
    if not r["expired"]:
        print(r["source"], r["owner"].rsplit(":", 1)[1])' | sort
}
holder() { holders | awk -v s="$1" '$1 == s { print $2 }'; }
leaks_are() {
    [ "$(akw list --all --format json 2>/dev/null | /usr/bin/python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
ali = [r for r in rows if r["rule"].startswith("alibaba")]
aws = [r for r in rows if r["rule"].startswith("aws")]
print("alibaba %d aws %d maxloc %d" % (len(ali), len(aws),
      max([len(r["locations"]) for r in rows] or [0])))')" = "$1" ]
}
