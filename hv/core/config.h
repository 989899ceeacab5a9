/*
 * Build-time limits. Everything else about the machine comes from its
 * device tree at boot (platform.c).
 */
#ifndef VIREO_CONFIG_H
#define VIREO_CONFIG_H

#define MAX_CPUS 8
#define MAX_VMS 8
#define MAX_RAM_BANKS 4
#define MAX_RESERVED 16
#define MAX_MODULES 8
/* Channels between VMs, each with at most this much shared memory. */
#define MAX_CHANNELS 8
#define CHANNEL_MAX_SIZE (1UL << 20)
/* vCPUs that can share one physical CPU. */
#define SCHED_MAX_PER_CPU 8

/* Each physical CPU's hypervisor stack. */
#define STACK_SHIFT 14
#define STACK_SIZE (1 << STACK_SHIFT)

#endif
