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
    /* AKWATCH_LOCALEDIR, else the build tree's catalogues when uninstalled, else LOCALEDIR */
    bindtextdomain(PACKAGE, akw_locale_dir());
    textdomain(PACKAGE);
#endif
    return cli_main(argc, argv);
}
