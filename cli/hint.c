/* Flag advice for the library's hint codes (hint.h). */
#include "hint.h"

#include <stdio.h>

const char *cli_hint(idt_hint hint)
{
    /* No default: -Wswitch (an error under -Werror) names a hint added to
     * the library without advice here. */
    switch (hint) {
    case IDT_HINT_NONE: return NULL;
    case IDT_HINT_EVIDENCE_TEE: return "name the TEE with --tee";
    case IDT_HINT_EVIDENCE_TEE_MISMATCH: return "--tee named it; without --tee the format is "
                                                "detected";
    case IDT_HINT_EVIDENCE_VCEK: return "give the chip's certificate with --vcek FILE: PEM or "
                                        "DER, from AMD's KDS";
    case IDT_HINT_EVIDENCE_AK: return "give it with --ak FILE: tpm2_createak -u, or PEM or DER";
    case IDT_HINT_EVIDENCE_SIGNATURE: return "give it with --signature FILE, from tpm2_quote -s";
    case IDT_HINT_EVIDENCE_PCRS: return "give them with --pcrs FILE, from tpm2_quote -o";
    case IDT_HINT_VERIFY_RULES_KATA: return "--rules kata";
    case IDT_HINT_GUEST_PLATFORM: return "choose one with --platform";
    case IDT_HINT_GUEST_NO_TEE: return "name one with --platform, or use --platform none "
                                       "--insecure-no-binding";
    case IDT_HINT_GUEST_DEVICE: return "name it with --device PATH";
    case IDT_HINT_GUEST_FORCE_PCR: return "--force-pcr extends anyway";
    case IDT_HINT_GUEST_ALL_ENTRIES: return "--all-entries installs the others";
    }
    return NULL;
}

const char *cli_hinted(char *buf, size_t cap, const char *msg, idt_hint hint)
{
    const char *advice = cli_hint(hint);
    if (advice)
        snprintf(buf, cap, "%s (%s)", msg, advice);
    else
        snprintf(buf, cap, "%s", msg);
    return buf;
}
