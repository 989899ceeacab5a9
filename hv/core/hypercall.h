/*
 * Vireo's own hypercalls: the SMCCC vendor-specific hypervisor service
 * (owner 6), specified in docs/hypercalls.md.
 */
#ifndef VIREO_HYPERCALL_H
#define VIREO_HYPERCALL_H

#include "core/smccc.h"

#define SMCCC_OWNER_VENDOR_HYP 6

#define VIREO_HC_VERSION 0x86000000U
#define VIREO_HC_NULL 0x86000001U
#define VIREO_HC_SHARED_PAGE 0xc6000002U
#define VIREO_HC_CONSOLE_WRITE 0xc6000003U
#define VIREO_HC_YIELD 0x86000004U
#define VIREO_HC_CHANNEL_INFO 0xc6000005U
#define VIREO_HC_DOORBELL 0x86000006U
#define VIREO_HC_EXIT_STATS 0xc6000007U
#define VIREO_HC_CALL_COUNT 0x8600ff00U
#define VIREO_HC_CALL_UID 0x8600ff01U
#define VIREO_HC_REVISION 0x8600ff03U

#define VIREO_HC_VERSION_1_0 0x00010000U

/* Return codes, as SMCCC's and PSCI's. */
#define VIREO_SUCCESS 0
#define VIREO_NOT_SUPPORTED (-1)
#define VIREO_INVALID_PARAMETERS (-2)
#define VIREO_DENIED (-3)

/* Longest buffer one VIREO_HC_CONSOLE_WRITE takes. */
#define VIREO_CONSOLE_MAX 4096

/* Arm's PV time (DEN0057A), standard hypervisor service (owner 5). */
#define PV_TIME_FEATURES 0xc5000020U
#define PV_TIME_ST 0xc5000021U

/* SMCCC TRNG (DEN0098), standard secure service (owner 4). */
#define TRNG_VERSION 0x84000050U
#define TRNG_FEATURES 0x84000051U
#define TRNG_GET_UUID 0x84000052U
#define TRNG_RND32 0x84000053U
#define TRNG_RND64 0xc4000053U
#define TRNG_NO_ENTROPY (-3)

enum trap_action vireo_hypercall(struct vcpu *v, uint32_t fid);
enum trap_action pvtime_call(struct vcpu *v, uint32_t fid);
enum trap_action trng_call(struct vcpu *v, uint32_t fid);
/* Whether fid is one of the above that this machine offers. */
bool hypercall_implemented(uint32_t fid);

#endif
