/* initdata image: placeholder until the command lands. */
#include "cmd.h"
#include <stdio.h>

int cmd_image(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("initdata image: not implemented yet\n", stderr);
    return CLI_EXIT_USAGE;
}
