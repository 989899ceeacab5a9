/*
 * PSCI and SMCCC function IDs and return codes (Arm DEN0022 "Power State
 * Coordination Interface", DEN0028 "SMC Calling Convention"). Used both to
 * call the firmware (drivers/power/psci.c) and to serve guests (vpsci.c, smccc.c).
 */
#ifndef VIREO_PSCI_H
#define VIREO_PSCI_H

#define PSCI_VERSION 0x84000000U
#define PSCI_CPU_SUSPEND_64 0xc4000001U
#define PSCI_CPU_OFF 0x84000002U
#define PSCI_CPU_ON_64 0xc4000003U
#define PSCI_AFFINITY_INFO_64 0xc4000004U
#define PSCI_MIGRATE_INFO_TYPE 0x84000006U
#define PSCI_SYSTEM_OFF 0x84000008U
#define PSCI_SYSTEM_RESET 0x84000009U
#define PSCI_FEATURES 0x8400000aU

#define PSCI_SUCCESS 0
#define PSCI_NOT_SUPPORTED (-1)
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_DENIED (-3)
#define PSCI_ALREADY_ON (-4)
#define PSCI_ON_PENDING (-5)
#define PSCI_INTERNAL_FAILURE (-6)
#define PSCI_INVALID_ADDRESS (-9)

#define PSCI_AFFINITY_ON 0
#define PSCI_AFFINITY_OFF 1
#define PSCI_AFFINITY_ON_PENDING 2

#define PSCI_VERSION_1_1 0x00010001U
/* MIGRATE_INFO_TYPE: no Trusted OS, migration not required. */
#define PSCI_TOS_NOT_PRESENT 2

#define SMCCC_VERSION 0x80000000U
#define SMCCC_ARCH_FEATURES 0x80000001U
#define SMCCC_ARCH_WORKAROUND_1 0x80008000U
#define SMCCC_ARCH_WORKAROUND_2 0x80007fffU
#define SMCCC_ARCH_WORKAROUND_3 0x80003fffU
#define SMCCC_VERSION_1_1 0x10001U

#define SMCCC_SUCCESS 0
#define SMCCC_NOT_SUPPORTED (-1)
#define SMCCC_NOT_REQUIRED (-2)
#define SMCCC_INVALID_PARAMETER (-3)
/* ARCH_FEATURES of a workaround: this CPU does not need it. */
#define SMCCC_ARCH_WORKAROUND_UNAFFECTED 1

#endif
