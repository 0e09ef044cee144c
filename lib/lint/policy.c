/* policy.rego: the kata agent policy (lint_int.h).
 *
 * No Rego engine: a lexer that knows comments, strings and raw strings
 * finds the package declaration and the `default <Name> := <value>` rules,
 * which is where a policy says what the agent allows when nothing else
 * decides.  The agent queries data.agent_policy.<Request> for each request
 * of its API (the 36 below, as the CoCo documentation's permissive policy
 * lists them) and data.agent_policy.AllowRequestsFailingPolicy. */
#include "lint/lint_int.h"
#include "util/quote.h"

#include <stdio.h>
#include <string.h>

static const char *const requests[] = {
    "AddARPNeighborsRequest", "AddSwapRequest", "CloseStdinRequest", "CopyFileRequest",
    "CreateContainerRequest", "CreateSandboxRequest", "DestroySandboxRequest",
    "ExecProcessRequest", "GetMetricsRequest", "GetOOMEventRequest", "GuestDetailsRequest",
    "ListInterfacesRequest", "ListRoutesRequest", "MemHotplugByProbeRequest",
    "OnlineCPUMemRequest", "PauseContainerRequest", "PullImageRequest", "ReadStreamRequest",
    "RemoveContainerRequest", "RemoveStaleVirtiofsShareMountsRequest", "ReseedRandomDevRequest",
    "ResumeContainerRequest", "SetGuestDateTimeRequest", "SetPolicyRequest",
    "SignalProcessRequest", "StartContainerRequest", "StartTracingRequest",
    "StatsContainerRequest", "StopTracingRequest", "TtyWinResizeRequest",
    "UpdateContainerRequest", "UpdateEphemeralMountsRequest", "UpdateInterfaceRequest",
    "UpdateRoutesRequest", "WaitProcessRequest", "WriteStreamRequest",
    /* Not a request: the agent's switch to allow what the policy denies. */
    "AllowRequestsFailingPolicy",
};
#define NNAMES (sizeof requests / sizeof requests[0])
#define NREQUESTS (NNAMES - 1)
#define EXEC_INDEX 7
#define ALLOW_FAILING_INDEX (NNAMES - 1)

/* --- the lexer -------------------------------------------------------------- */

typedef enum tok_kind { T_END, T_IDENT, T_ASSIGN, T_EQ, T_DOT, T_OTHER } tok_kind;

typedef struct tok {
    tok_kind kind;
    size_t off, len;
    uint32_t line;
} tok;

typedef struct lexer {
    const char *s;
    size_t n, pos;
    uint32_t line;
} lexer;

static bool ident_start(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool ident_char(unsigned char c)
{
    return ident_start(c) || (c >= '0' && c <= '9');
}

/* Skips blanks, line ends and comments. */
static void skip_space(lexer *lx)
{
    while (lx->pos < lx->n) {
        char c = lx->s[lx->pos];
        if (c == '\n') {
            lx->line++;
            lx->pos++;
        } else if (c == ' ' || c == '\t' || c == '\r') {
            lx->pos++;
        } else if (c == '#') {
            while (lx->pos < lx->n && lx->s[lx->pos] != '\n')
                lx->pos++;
        } else {
            return;
        }
    }
}

/* A "string" (ends at its quote or, unterminated, at the line end) or a
 * `raw string` (may span lines). */
static void skip_string(lexer *lx)
{
    char q = lx->s[lx->pos++];
    while (lx->pos < lx->n && lx->s[lx->pos] != q) {
        char c = lx->s[lx->pos];
        if (q == '"' && c == '\n')
            return;
        if (c == '\n')
            lx->line++;
        lx->pos += q == '"' && c == '\\' && lx->pos + 1 < lx->n ? 2 : 1;
    }
    if (lx->pos < lx->n)
        lx->pos++;
}

static tok next(lexer *lx)
{
    skip_space(lx);
    tok t = { T_END, lx->pos, 0, lx->line };
    if (lx->pos >= lx->n)
        return t;
    const char *s = lx->s;
    size_t p = lx->pos;
    unsigned char c = (unsigned char)s[p];
    if (c == '"' || c == '`') {
        skip_string(lx);
        t.kind = T_OTHER;
    } else if (ident_start(c)) {
        while (lx->pos < lx->n && ident_char((unsigned char)s[lx->pos]))
            lx->pos++;
        t.kind = T_IDENT;
    } else if (c == ':' && p + 1 < lx->n && s[p + 1] == '=') {
        lx->pos += 2;
        t.kind = T_ASSIGN;
    } else if (c == '=' && !(p + 1 < lx->n && s[p + 1] == '=')) {
        lx->pos++;
        t.kind = T_EQ;
    } else {
        lx->pos += c == '=' ? 2 : 1;
        t.kind = c == '.' ? T_DOT : T_OTHER;
    }
    t.len = lx->pos - p;
    return t;
}

static bool tok_is(const lexer *lx, const tok *t, const char *word)
{
    return t->kind == T_IDENT && t->len == strlen(word) && memcmp(lx->s + t->off, word, t->len) == 0;
}

/* --- the checks -------------------------------------------------------------- */

static idt_span span_of(const tok *t)
{
    return (idt_span){ t->off, t->len, 0, 0 };
}

/* The package declaration must come first; its path must be agent_policy.
 * Consumes lx. */
static void check_package(idt_lint__ctx *c, lexer *lx)
{
    tok t = next(lx);
    if (t.kind == T_END) {
        idt_lint__report(c, IDT_LINT__CODE_POLICY_NO_PACKAGE, IDT_DOC_ERROR, c->consumer, NULL,
                         "policy.rego is empty: a policy starts with `package agent_policy` "
                         "(the kata agent cannot load it)");
        return;
    }
    if (!tok_is(lx, &t, "package")) {
        idt_span at = span_of(&t);
        idt_lint__report(c, IDT_LINT__CODE_POLICY_NO_PACKAGE, IDT_DOC_ERROR, c->consumer, &at,
                         "policy.rego does not start with a package declaration (`package "
                         "agent_policy`; the kata agent cannot load it)");
        return;
    }
    /* The path: the tokens on the package's line. */
    tok first = next(lx), last = first;
    for (tok u = next(lx); u.kind != T_END && u.line == first.line; u = next(lx))
        last = u;
    size_t len = last.off + last.len - first.off;
    if (first.kind == T_IDENT && first.line == t.line && tok_is(lx, &first, "agent_policy") &&
        last.off == first.off)
        return;
    char q[IDTX_QUOTE_MAX];
    idt_span at = { first.off, first.line == t.line ? len : 0, 0, 0 };
    idt_lint__report(c, IDT_LINT__CODE_POLICY_PACKAGE, IDT_DOC_ERROR, c->consumer, &at,
                     "package %s is not agent_policy: the kata agent queries "
                     "data.agent_policy.<Request>, finds nothing and denies every request",
                     first.line == t.line ? idtx_quote(q, lx->s + first.off, len) : "(none)");
}

static int find_name(const char *s, size_t n)
{
    /* Every default rule of a policy asks: the first byte and a bounded
     * compare settle most names without measuring them. */
    for (size_t i = 0; i < NNAMES; i++)
        if (n && requests[i][0] == s[0] && strncmp(requests[i], s, n) == 0 &&
            requests[i][n] == '\0')
            return (int)i;
    return -1;
}

static void unknown_name(idt_lint__ctx *c, const lexer *lx, const tok *name)
{
    const char *s = lx->s + name->off;
    size_t n = name->len;
    bool request_like = n > 7 && memcmp(s + n - 7, "Request", 7) == 0;
    /* A helper rule with a default is fine Rego; only a near miss of a
     * request, or a name that looks like one, is worth a word. */
    int k = idt_lint__closest(s, n, requests, NNAMES,
                              request_like ? n / 2 : idt_lint__typo_budget(n));
    if (k < 0 && !request_like)
        return;
    char q[IDTX_QUOTE_MAX], hint[80] = "";
    if (k >= 0)
        snprintf(hint, sizeof hint, "; did you mean \"%s\"?", requests[k]);
    idt_span at = span_of(name);
    idt_lint__report(c, IDT_LINT__CODE_POLICY_UNKNOWN, IDT_DOC_WARNING, 0, &at,
                     "default rule %s is not a request the kata agent knows, so the agent "
                     "never asks for it and it has no effect%s",
                     idtx_quote(q, s, n), hint);
}

/* One `default NAME := VALUE` rule; seen[] counts the known names. */
static void check_default(idt_lint__ctx *c, const lexer *lx, const tok *name,
                          const tok *value, unsigned seen[NNAMES])
{
    int k = find_name(lx->s + name->off, name->len);
    if (k < 0) {
        unknown_name(c, lx, name);
        return;
    }
    idt_span at = span_of(name);
    if (seen[k]++) {
        idt_lint__report(c, IDT_LINT__CODE_POLICY_DUPLICATE, IDT_DOC_ERROR, c->consumer, &at,
                         "a second default rule for %s: Rego allows one default per rule, so "
                         "the kata agent cannot load the policy",
                         requests[k]);
        return;
    }
    if (!tok_is(lx, value, "true"))
        return;
    if (k == EXEC_INDEX)
        idt_lint__report(c, IDT_LINT__CODE_POLICY_EXEC, IDT_DOC_NOTE, 0, &at,
                         "default ExecProcessRequest := true: `kubectl exec` reaches the "
                         "container, so whoever controls the host's Kubernetes API can run "
                         "commands inside it");
    else if (k == (int)ALLOW_FAILING_INDEX)
        idt_lint__report(c, IDT_LINT__CODE_POLICY_ALLOW_FAILING, IDT_DOC_WARNING, 0, &at,
                         "default AllowRequestsFailingPolicy := true: the kata agent allows "
                         "every request the policy denies (a debugging switch that turns the "
                         "policy off)");
}

static void check_rules(idt_lint__ctx *c, lexer *lx)
{
    unsigned seen[NNAMES] = { 0 };
    tok prev = { T_OTHER, 0, 0, 0 };
    for (tok t = next(lx); t.kind != T_END && !idt_lint__done(c); prev = t, t = next(lx)) {
        /* `default` is a keyword, except as a field (input.default). */
        if (!tok_is(lx, &t, "default") || prev.kind == T_DOT)
            continue;
        tok name = next(lx);
        if (name.kind != T_IDENT) {
            t = name;
            continue;
        }
        tok op = next(lx);
        if (op.kind != T_ASSIGN && op.kind != T_EQ) {
            t = op;
            continue;
        }
        tok value = next(lx);
        check_default(c, lx, &name, &value, seen);
        t = value;
    }
}

/* policy_data as Trustee reads it for agent_policy_claims. */
static void check_policy_data(idt_lint__ctx *c, const char *text, size_t len)
{
    size_t at = idt_lint__policy_data_at(text, len);
    if (at == SIZE_MAX)
        return;
    char why[160];
    int rc = idt_lint__json_parse(text + at, len - at, NULL, why, sizeof why);
    if (rc < 0) {
        idt_lint__fail(c, rc, "out of memory reading policy_data");
        return;
    }
    if (rc == 0)
        return;
    idt_span where = { at, 1, 0, 0 };
    idt_lint__report(c, IDT_LINT__CODE_POLICY_DATA, IDT_DOC_WARNING, 0, &where,
                     "the text from policy_data's '{' to the end of policy.rego is not one "
                     "JSON value (%s): Trustee then exposes no agent_policy_claims to KBS "
                     "policies, only the whole policy as a string",
                     why);
}

void idt_lint__policy(idt_lint__ctx *c, const char *text, size_t len)
{
    lexer lx = { text, len, 0, 1 };
    check_package(c, &lx);
    lexer all = { text, len, 0, 1 };
    check_rules(c, &all);
    if (!idt_lint__done(c))
        check_policy_data(c, text, len);
}
