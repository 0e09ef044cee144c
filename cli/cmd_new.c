/* initdata new: placeholder until the command lands. */
#include "cmd.h"
#include <stdio.h>

int cmd_new(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("initdata new: not implemented yet\n", stderr);
    return CLI_EXIT_USAGE;
}
