/* paths — where data, the store and the config live by default (XDG), and finding
 * data/ and the message catalogues from the build tree when akwatch runs uninstalled. */
#include "config.h"
#include "util/util.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const severity_names[] = {
    [SEVERITY_LOW] = "low",
    [SEVERITY_MEDIUM] = "medium",
    [SEVERITY_HIGH] = "high",
    [SEVERITY_CRITICAL] = "critical",
};

const char *
severity_name(enum severity s)
{
    if (s < SEVERITY_LOW || s > SEVERITY_CRITICAL)
        return NULL;
    return severity_names[s];
}

int
severity_parse(const char *name, enum severity *out)
{
    for (int s = SEVERITY_LOW; s <= SEVERITY_CRITICAL; s++)
        if (name && strcasecmp(name, severity_names[s]) == 0) {
            *out = (enum severity)s;
            return 0;
        }
    return -1;
}

static const char *const confidence_names[] = {
    [CONFIDENCE_LOW] = "low",
    [CONFIDENCE_MEDIUM] = "medium",
    [CONFIDENCE_HIGH] = "high",
};

const char *
confidence_name(enum confidence c)
{
    if (c < CONFIDENCE_LOW || c > CONFIDENCE_HIGH)
        return NULL;
    return confidence_names[c];
}

int
confidence_parse(const char *name, enum confidence *out)
{
    for (int c = CONFIDENCE_LOW; c <= CONFIDENCE_HIGH; c++)
        if (name && strcasecmp(name, confidence_names[c]) == 0) {
            *out = (enum confidence)c;
            return 0;
        }
    return -1;
}

static int
is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

int
akw_uninstalled(void)
{
    static int known = -1;
    if (known >= 0)
        return known;
    known = 0;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash)
            *slash = '\0';
        char build[PATH_MAX];
        known = realpath(AKW_BUILDDIR, build) && strcmp(build, exe) == 0
            && is_dir(AKW_SRCDIR "/data/rules");
    }
    return known;
}

const char *
akw_data_dir(void)
{
    static char dir[PATH_MAX];
    if (dir[0])
        return dir;
    const char *env = getenv("AKWATCH_DATADIR");
    if (env && *env)
        snprintf(dir, sizeof dir, "%s", env);
    else if (akw_uninstalled())
        snprintf(dir, sizeof dir, "%s", AKW_SRCDIR "/data");
    else
        snprintf(dir, sizeof dir, "%s", PKGDATADIR);
    return dir;
}

const char *
akw_locale_dir(void)
{
    const char *env = getenv("AKWATCH_LOCALEDIR");
    if (env && *env)
        return env;
    if (akw_uninstalled() && is_dir(AKW_BUILDDIR "/locale"))
        return AKW_BUILDDIR "/locale";
    return LOCALEDIR;
}

static char *
xdg_path(const char *env_override, const char *xdg_var, const char *fallback, const char *leaf)
{
    const char *v = getenv(env_override);
    if (v && *v)
        return xstrdup(v);
    const char *base = getenv(xdg_var);
    if (base && *base == '/')
        return xasprintf("%s/akwatch/%s", base, leaf);
    const char *home = getenv("HOME");
    return xasprintf("%s/%s/akwatch/%s", home && *home ? home : ".", fallback, leaf);
}

char *
akw_default_db_path(void)
{
    return xdg_path("AKWATCH_DB", "XDG_DATA_HOME", ".local/share", "akwatch.db");
}

char *
akw_default_config_path(void)
{
    return xdg_path("AKWATCH_CONFIG", "XDG_CONFIG_HOME", ".config", "config");
}
