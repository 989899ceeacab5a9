/*
 * The feature ID registers as a VM sees them (idregs.c).
 */
#ifndef VIREO_IDREGS_H
#define VIREO_IDREGS_H

#include <stdint.h>

#define ID_REG(crm, op2) ((crm) * 8 + (op2))

/* The value of ID register (op0 3, op1 0, CRn 0, crm, op2) for a guest;
 * crm is 1 to 7. */
uint64_t id_reg_read(unsigned crm, unsigned op2);

#endif
