/*
 * Vireo's own hypercalls: the SMCCC vendor-specific hypervisor service
 * (owner 6), specified in docs/hypercalls.md.
 */
#ifndef VIREO_HYPERCALL_H
#define VIREO_HYPERCALL_H

#include "smccc.h"

#define SMCCC_OWNER_VENDOR_HYP 6

#define VIREO_HC_VERSION 0x86000000U
#define VIREO_HC_NULL 0x86000001U
#define VIREO_HC_CALL_COUNT 0x8600ff00U
#define VIREO_HC_CALL_UID 0x8600ff01U
#define VIREO_HC_REVISION 0x8600ff03U

#define VIREO_HC_VERSION_1_0 0x00010000U

enum trap_action vireo_hypercall(struct vcpu *v, uint32_t fid);

#endif
