/* initdata encode: placeholder until the command lands. */
#include "cmd.h"
#include <stdio.h>

int cmd_encode(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("initdata encode: not implemented yet\n", stderr);
    return CLI_EXIT_USAGE;
}
