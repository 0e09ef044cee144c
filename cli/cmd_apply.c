/* initdata apply: placeholder until the command lands. */
#include "cmd.h"
#include <stdio.h>

int cmd_apply(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("initdata apply: not implemented yet\n", stderr);
    return CLI_EXIT_USAGE;
}
