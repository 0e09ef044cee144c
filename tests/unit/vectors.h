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

/* The vector, and its length (113). */
static const char kata_doc[] = KATA_VECTOR;
#define KATA_LEN (sizeof kata_doc - 1)

/* Its digests in hex: facts §2 (sha256) and Python's hashlib. */
#define KATA_SHA256 "c6694bb7a29d6f37ec72a15582e004b9f3142159682db8509a304407419a49e5"
#define KATA_SHA384                                                                \
    "f5a7d2971b4dbe89af614cc5243c2f9f304c9108f281b6d001a3011fcbd354459e35d20ea9e04a7" \
    "ea223ebd3502acf9b"
#define KATA_SHA512                                                                \
    "4f12eaea8b263307738170a28821ad406a7664c43abc6fcbcba9a1eae248d1aa78f6d8c7459eea0" \
    "ea94b22dc46ea6c89f2be4a072fdac9855cb868868588e8a3"

#endif
