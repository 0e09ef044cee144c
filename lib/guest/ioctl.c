/* The two guest-driver ioctls (facts §8).  Debian 12's kernel headers lack
 * <linux/tdx-guest.h>, so both request layouts are spelled out here and
 * their numbers checked against the values the kernel uses. */
#include "guest/guest_int.h"

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

/* TDX_CMD_GET_REPORT0: REPORTDATA in, TDREPORT out. */
struct tdx_report_req {
    uint8_t reportdata[IDTX_REPORT_DATA_LEN];
    uint8_t tdreport[IDTX_TDREPORT_LEN];
};
#define TDX_CMD_GET_REPORT0 _IOWR('T', 1, struct tdx_report_req)
_Static_assert(sizeof(struct tdx_report_req) == 1088, "tdx_report_req layout");
_Static_assert(TDX_CMD_GET_REPORT0 == 0xc4405401u, "TDX_CMD_GET_REPORT0");

/* SNP_GET_REPORT: a request of user_data and VMPL, a 4000-byte response
 * (u32 status, u32 report size, 24 reserved bytes, the report). */
struct idt_snp_report_req {
    uint8_t user_data[64];
    uint32_t vmpl;
    uint8_t rsvd[28];
};
struct snp_guest_request_ioctl {
    uint8_t msg_version;
    uint64_t req_data;
    uint64_t resp_data;
    uint64_t exitinfo2; /* low half: firmware error, high half: VMM error */
};
#define SNP_GET_REPORT _IOWR('S', 0x0, struct snp_guest_request_ioctl)
_Static_assert(sizeof(struct idt_snp_report_req) == 96, "snp_report_req layout");
_Static_assert(sizeof(struct snp_guest_request_ioctl) == 32, "snp_guest_request_ioctl");
_Static_assert(SNP_GET_REPORT == 0xc0205300u, "SNP_GET_REPORT");

static int do_ioctl(int fd, unsigned long req, void *arg)
{
    int r;
    do
        r = ioctl(fd, req, arg);
    while (r < 0 && errno == EINTR);
    return r;
}

int idt_guest__tdx_ioctl(int fd, const uint8_t reportdata[IDTX_REPORT_DATA_LEN],
                         uint8_t tdreport[IDTX_TDREPORT_LEN], const char *name, idt_error *err)
{
    struct tdx_report_req req;
    memset(&req, 0, sizeof req);
    memcpy(req.reportdata, reportdata, sizeof req.reportdata);
    if (do_ioctl(fd, TDX_CMD_GET_REPORT0, &req) < 0)
        return idtx_error_set(err, IDT_EIO, NULL, "TDX_CMD_GET_REPORT0 on %s failed: %s", name,
                              strerror(errno));
    memcpy(tdreport, req.tdreport, sizeof req.tdreport);
    return IDT_OK;
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int idt_guest__snp_ioctl(int fd, const uint8_t user_data[64], uint8_t *report, size_t cap,
                         size_t *len, const char *name, idt_error *err)
{
    struct idt_snp_report_req req;
    struct snp_guest_request_ioctl io;
    uint8_t resp[IDTX_SNP_RESPONSE_LEN];
    uint32_t status, size;

    *len = 0;
    memset(&req, 0, sizeof req);
    memset(&io, 0, sizeof io);
    memset(resp, 0, sizeof resp);
    memcpy(req.user_data, user_data, sizeof req.user_data);
    req.vmpl = 0;
    io.msg_version = 1;
    io.req_data = (uint64_t)(uintptr_t)&req;
    io.resp_data = (uint64_t)(uintptr_t)resp;
    if (do_ioctl(fd, SNP_GET_REPORT, &io) < 0)
        return idtx_error_set(err, IDT_EIO, NULL, "SNP_GET_REPORT on %s failed: %s (firmware "
                              "error 0x%x, VMM error 0x%x)", name, strerror(errno),
                              (unsigned)(io.exitinfo2 & 0xffffffffu),
                              (unsigned)(io.exitinfo2 >> 32));
    status = le32(resp);
    size = le32(resp + 4);
    if (status != 0 || size > sizeof resp - IDTX_SNP_RESPONSE_REPORT || size > cap)
        return idtx_error_set(err, IDT_EFORMAT, NULL, "SNP_GET_REPORT on %s answered status "
                              "0x%x with a report of %u bytes", name, status, size);
    memcpy(report, resp + IDTX_SNP_RESPONSE_REPORT, size);
    *len = size;
    return IDT_OK;
}
