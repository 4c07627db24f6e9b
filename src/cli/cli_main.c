/* cli_main — placeholder dispatcher, replaced by the subcommand table. */
#include "config.h"
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

#include "util/util.h"

int
cli_main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--version") == 0) {
        printf("akwatch %s\n", VERSION);
        return 0;
    }
    fprintf(stderr, _("usage: akwatch COMMAND [ARGS]\n"));
    return 2;
}
