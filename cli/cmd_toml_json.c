/* placeholder */
#include "cmd.h"
int cmd_toml_json(int argc, char **argv) { (void)argc; (void)argv; return 2; }
