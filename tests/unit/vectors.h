/* Test vectors shared by the unit tests. */
#ifndef IDT_TESTS_VECTORS_H
#define IDT_TESTS_VECTORS_H

/* Kata's runtime test document (facts §2): 113 bytes, sha256
 * c6694bb7a29d6f37ec72a15582e004b9f3142159682db8509a304407419a49e5. */
#define KATA_VECTOR                                                          \
    "version = \"0.1.0\"\n"                                                  \
    "algorithm = \"sha256\"\n"                                               \
    "[data]\n"                                                               \
    "\"aa.toml\" = '''\n"                                                    \
    "'''\n"                                                                  \
    "\n"                                                                     \
    "\"cdh.toml\" = '''\n"                                                   \
    "'''\n"                                                                  \
    "\n"                                                                     \
    "\"policy.rego\" = '''\n"                                                \
    "'''\n"

#endif
