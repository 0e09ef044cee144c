/* The seed document's allow-all agent policy (author.h). */
#include "initdata/author.h"

/* One rule per agent request, exactly as the Init-Data page of
 * confidentialcontainers.org lists them (36, in its order): the policy
 * allows everything and is meant to be replaced by a real one (genpolicy)
 * before production use. */
#define ALLOW(request) "default " #request "Request := true\n"

static const char seed_policy[] =
    "package agent_policy\n"
    "\n"
    ALLOW(AddARPNeighbors) ALLOW(AddSwap) ALLOW(CloseStdin) ALLOW(CopyFile)
    ALLOW(CreateContainer) ALLOW(CreateSandbox) ALLOW(DestroySandbox) ALLOW(ExecProcess)
    ALLOW(GetMetrics) ALLOW(GetOOMEvent) ALLOW(GuestDetails) ALLOW(ListInterfaces)
    ALLOW(ListRoutes) ALLOW(MemHotplugByProbe) ALLOW(OnlineCPUMem) ALLOW(PauseContainer)
    ALLOW(PullImage) ALLOW(ReadStream) ALLOW(RemoveContainer)
    ALLOW(RemoveStaleVirtiofsShareMounts) ALLOW(ReseedRandomDev) ALLOW(ResumeContainer)
    ALLOW(SetGuestDateTime) ALLOW(SetPolicy) ALLOW(SignalProcess) ALLOW(StartContainer)
    ALLOW(StartTracing) ALLOW(StatsContainer) ALLOW(StopTracing) ALLOW(TtyWinResize)
    ALLOW(UpdateContainer) ALLOW(UpdateEphemeralMounts) ALLOW(UpdateInterface)
    ALLOW(UpdateRoutes) ALLOW(WaitProcess) ALLOW(WriteStream);

const char *idt_author_seed_policy(size_t *len)
{
    if (len)
        *len = sizeof seed_policy - 1;
    return seed_policy;
}
