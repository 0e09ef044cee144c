/* initdata inspect: placeholder until the command lands. */
#include "cmd.h"
#include <stdio.h>

int cmd_inspect(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("initdata inspect: not implemented yet\n", stderr);
    return CLI_EXIT_USAGE;
}
