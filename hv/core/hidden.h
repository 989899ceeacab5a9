/*
 * Every declaration in Vireo's build has hidden visibility (the Makefile
 * passes this file with -include, before anything else). Vireo is linked
 * as one static position-independent image, so no symbol can come from
 * anywhere else; saying so lets the compiler reach another file's globals
 * (vmode, irqchip, pcpus) PC-relatively instead of through the GOT, one
 * load less on every use. -fvisibility=hidden alone covers only
 * definitions.
 */
#pragma GCC visibility push(hidden)
