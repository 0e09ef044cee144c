/* initdata digest: placeholder until the command lands. */
#include "cmd.h"
#include <stdio.h>

int cmd_digest(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("initdata digest: not implemented yet\n", stderr);
    return CLI_EXIT_USAGE;
}
