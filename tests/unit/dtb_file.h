/*
 * Reading a compiled test device tree (tests/unit/dts/NAME.dts, built
 * into DIR/NAME.dtb by make unit-build) for the cmocka programs that parse
 * trees. Included after <cmocka.h> and <stdio.h>/<stdlib.h>; the caller
 * frees what it returns.
 */
#ifndef VIREO_TEST_DTB_FILE_H
#define VIREO_TEST_DTB_FILE_H

static void *dtb_file_read(const char *dir, const char *name, long *size)
{
	char path[1024];
	void *raw;
	FILE *f;
	long len;

	snprintf(path, sizeof(path), "%s/%s.dtb", dir, name);
	f = fopen(path, "rb");
	if (!f) {
		fail_msg("cannot open %s (build it with make unit-build)", path);
	}
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	assert_true(len > 0);
	rewind(f);
	raw = malloc(len);
	assert_non_null(raw);
	assert_int_equal(fread(raw, 1, len, f), (size_t)len);
	fclose(f);
	*size = len;
	return raw;
}

#endif
