/* main — sets locale and gettext, then hands argv to the CLI dispatcher (cli/), which
 * owns global options and the subcommand table. */
#include "config.h"

#include <locale.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "util/util.h"

int
main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
#ifdef ENABLE_NLS
    /* AKWATCH_LOCALEDIR: translations of an uninstalled build (tests) or a moved install */
    const char *localedir = getenv("AKWATCH_LOCALEDIR");
    bindtextdomain(PACKAGE, localedir && *localedir ? localedir : LOCALEDIR);
    textdomain(PACKAGE);
#endif
    return cli_main(argc, argv);
}
