/* leak — verify a stored leak: the store is the cache (one outcome per leak, i.e. per
 * fingerprint, fresh for recheck_after), the secret comes from the caller's finding or from
 * the store (only kept with [scan] store_secrets = on), and the outcome goes back to the
 * store with an audit row on change. Sends nothing when the cache answers or no secret is at
 * hand.
 */
#include "config.h"
#include "verify/verify.h"

#include <stdio.h>
#include <string.h>

#include "store/store.h"

/* An unknown answer (network down, throttled) says nothing about the key: ask again sooner,
 * after a tenth of the interval (at least a minute). */
static long
freshness(enum verify_state s, long recheck_after)
{
    long t = recheck_after;

    if (s == VERIFY_UNKNOWN) {
        t /= 10;
        if (t < 60)
            t = 60;
    }
    return t;
}

static void
outcome_from_store(const struct leak_verification *lv, struct verify_outcome *out)
{
    memset(out, 0, sizeof *out);
    if (verify_state_parse(lv->state, &out->state) != 0)
        out->state = VERIFY_UNKNOWN;
    out->checked_at = lv->checked_at;
    snprintf(out->identity, sizeof out->identity, "%s", lv->identity ? lv->identity : "");
    snprintf(out->error, sizeof out->error, "%s", lv->error ? lv->error : "");
}

/* 1 when the stored outcome may be reused. */
static int
cached(struct verifier *v, struct store *st, int64_t leak_id, struct verify_outcome *out,
       enum akw_status *s, struct akw_err *err)
{
    struct leak_verification lv;
    enum verify_state state;
    int fresh = 0;

    if ((*s = store_verify_get(st, leak_id, &lv, err)) != AKW_OK)
        return 0;
    if (lv.state && verify_state_parse(lv.state, &state) == 0 && state != VERIFY_NONE &&
        !verify_is_due(lv.checked_at, freshness(state, verifier_recheck_after(v)), akw_now())) {
        outcome_from_store(&lv, out);
        fresh = 1;
    }
    leak_verification_done(&lv);
    return fresh;
}

enum akw_status
verify_leak(struct verifier *v, struct store *st, int64_t leak_id, const char *secret_in_hand,
            int force, const char *who, struct verify_outcome *out, enum verify_how *how,
            struct akw_err *err)
{
    struct leak l;
    enum verify_provider p;
    enum akw_status s;
    const char *secret;

    *how = VERIFY_SKIP_UNSUPPORTED;
    if ((s = store_leak_get(st, leak_id, &l, err)) != AKW_OK)
        return s;
    p = verify_provider_for_rule(l.rule);
    secret = secret_in_hand && *secret_in_hand ? secret_in_hand : l.secret;
    if (p == VERIFY_PROVIDER_NONE)
        goto out;
    if (!force && cached(v, st, leak_id, out, &s, err)) {
        *how = VERIFY_CACHED;
        goto out;
    }
    if (s != AKW_OK)
        goto out;
    if (!secret || !*secret) {
        *how = VERIFY_SKIP_NO_SECRET;
        goto out;
    }
    /* An AccessKey ID found without its secret: nothing can be signed. */
    if (p != VERIFY_PROVIDER_GITHUB && (!l.ak_id || strcmp(l.ak_id, secret) == 0))
        goto out;
    verifier_check(v, p, l.ak_id, secret, out);
    *how = VERIFY_CHECKED;
    s = store_verify_set(st, leak_id, verify_state_name(out->state), out->checked_at,
                         out->identity, out->error, who, NULL, err);
out:
    leak_done(&l); /* wipes the stored secret copy */
    return s;
}
