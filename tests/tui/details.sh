#!/bin/sh
# Enter opens the details pane: every field, all locations with URL and the masked line,
# suspicious calls, history, and the Related recommendation; the full secret never shows.
. "$AKW_SRCDIR/tests/tui/lib.sh"
demo_store
# the demo's ActionTrail events and web access log: calls made with the leaked keys
akw --db "$DB" calls import "$AKW_SRCDIR/data/demo/actiontrail.jsonl" \
    "$AKW_SRCDIR/data/demo/access.log" >/dev/null 2>&1
ok $? "the demo calls import"
tui_start 100 64
like "$(screen | head -n1)" "Call alerts: 4" "the header counts the suspicious calls"

press Enter
is "$(dump pane)" "details" "Enter opens the details pane"
is "$(dump details_ak)" "LTAI5tu8jzPde0IgxLd6Gncf" "of the selected leak"
s=$(screen)
like "$s" "Leak #[0-9]+ +CRIT +Unhandled" "title with severity and status"
like "$s" "AccessKey ID +LTAI5tu8jzPde0IgxLd6Gncf" "the AK ID field"
like "$s" "Secret +BA\*+Aj|Secret +[A-Za-z0-9]{1,6}\*{6,}" "the secret field is masked"
like "$s" "Rule +alibaba-accesskey-id" "the rule"
like "$s" "Provider +Alibaba Cloud" "the provider's name (its [provider] section)"
like "$s" "Console +https://ram.console.aliyun.com/manage/ak" "the provider's console link"
like "$s" "RAM console" "the provider's own steps"
like "$s" "Owned +yes" "owned"
like "$s" "Locations \(2\)" "both locations are listed"
like "$s" "acme-pay/payment-gateway +src/main/resources/application-prod.yml:42" "first location"
like "$s" "zhangwei-dev/spring-demo" "second location"
like "$s" "commit b54b95523cf6 +by Zhang Wei" "commit and author"
like "$s" "https://github.com/acme-pay/payment-gateway/blob/b54b95523cf6941fa1c257c6f561c5cb347611a3/src/" "the URL (wrapped at the screen edge)"
like "$s" "> +access-key-secret: [A-Za-z0-9]*\*" "the matching line, masked"
unlike "$s" "BAepfJBd0Kh8oOOL8dKLzdocJ2isAj" "the full secret is never on the screen"
like "$s" "Suspicious calls" "a suspicious calls section"
like "$s" "2026-11-25 00:04  198.51.100.77  Ram:CreateUser  aliyun-cli" "lists the calls made with the key"
unlike "$s" "2026-11-24 22:10" "but not the calls made before the leak was first seen"
like "$s" "GET /src/main/resources/application-prod.yml  200" "access-log requests for the leaked path"
like "$s" "Related recommendation" "the recommendation section"
like "$s" "Disable the AccessKey at once" "the AccessKey advice"
like "$s" "access logs for requests to the leaked file.s path" "the access-log advice"

press q
is "$(dump pane)" "list" "q goes back to the list"
press j j j j
is "$(dump selected_ak)" "" "the fifth unhandled leak is a database URL (no AK ID)"
press Enter
s=$(screen)
like "$s" "Kind +Database \(database\)" "a database finding"
like "$s" "Change the password of the database account" "database advice"
unlike "$s" "jcnqcMUP6n0a0uAR" "its password is masked"

press q
press j j j j
press Enter
s=$(screen)
is "$(dump details_ak)" "LTAI5twZPf1Qh6yYTWmE4lBY" "a leak handled then seen again"
like "$s" "History" "it has a history"
like "$s" "disabled +Disabled; RDS snapshots" "the decision and its note"
like "$s" "reopened +regression" "and the regression that reopened it"
press q q
wait_exit
done_testing
