#!/bin/sh
# Turns the "->NAME value" markers that hv/arch/aarch64/el2/asm-offsets.c leaves in its
# compiled assembly into #defines, so assembly never types an offset by hand.
echo "/* Generated from hv/arch/aarch64/el2/asm-offsets.c by scripts/gen-asm-offsets.sh. */"
echo "#ifndef VIREO_ASM_OFFSETS_H"
echo "#define VIREO_ASM_OFFSETS_H"
sed -n 's/.*->\([A-Z_0-9]*\) #\{0,1\}\(-\{0,1\}[0-9][0-9]*\).*/#define \1 \2/p' "$1"
echo "#endif"
