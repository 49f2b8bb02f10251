/* Unit tests of lib/hash.c: SHA-256 vectors and canonical JSON. */
#include "hash.h"
#include "unit.h"

static void
sha(const char *in, const char *want)
{
	char hex[ETL_SHA256_HEXSZ];

	etl_sha256_hex(in, strlen(in), hex);
	ck_assert_str_eq(hex, want);
}

START_TEST(test_hash_sha256_vectors)
{
	/* FIPS 180-2 examples. */
	sha("",
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sha("abc",
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sha("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}
END_TEST

START_TEST(test_hash_sha256_streaming)
{
	static char block[1000];
	unsigned char md[ETL_SHA256_LEN], md2[ETL_SHA256_LEN];
	struct etl_sha256 c;
	char hex[ETL_SHA256_HEXSZ];

	/* One million 'a': fed in odd-sized pieces. */
	memset(block, 'a', sizeof(block));
	etl_sha256_init(&c);
	for (int i = 0; i < 1000; i++) {
		etl_sha256_update(&c, block, 1);
		etl_sha256_update(&c, block, 63);
		etl_sha256_update(&c, block, 936);
	}
	etl_sha256_final(&c, md);
	for (int i = 0; i < ETL_SHA256_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	ck_assert_str_eq(hex,
	    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	/* 55, 56 and 64 bytes: the padding edges. */
	for (size_t n = 55; n <= 65; n++) {
		etl_sha256_init(&c);
		etl_sha256_update(&c, block, n);
		etl_sha256_final(&c, md);
		etl_sha256_init(&c);
		for (size_t k = 0; k < n; k++)
			etl_sha256_update(&c, block, 1);
		etl_sha256_final(&c, md2);
		ck_assert(memcmp(md, md2, sizeof(md)) == 0);
	}
}
END_TEST

static void
canon(const char *in, const char *want)
{
	json_t *v = json_loads(in, JSON_DECODE_ANY, NULL);
	struct etl_buf b;

	ck_assert_ptr_nonnull(v);
	etl_buf_init(&b);
	ck_assert_int_eq(etl_json_canonical(&b, v), 0);
	ck_assert_str_eq(b.data, want);
	etl_buf_release(&b);
	json_decref(v);
}

START_TEST(test_hash_canonical)
{
	canon("{\"b\":1,\"a\":{\"d\":[1,2.5,null],\"c\":true}}",
	    "{\"a\":{\"c\":true,\"d\":[1,2.5,null]},\"b\":1}");
	canon("3.0", "3");
	canon("-0.0", "0");
	canon("1e300", "1e+300");
	canon("0.1", "0.1");
	canon("{}", "{}");
	canon("[]", "[]");
	canon("\"\\u00e9\\n\"", "\"\xc3\xa9\\n\"");
	canon("{\"\xc3\xa9\":1,\"z\":2,\"Z\":3}",
	    "{\"Z\":3,\"z\":2,\"\xc3\xa9\":1}");
	canon("-9223372036854775808", "-9223372036854775808");
}
END_TEST

START_TEST(test_hash_json_stable)
{
	json_t *a = json_loads("{\"x\":3,\"y\":\"s\"}", 0, NULL);
	json_t *b = json_loads("{\"y\":\"s\",\"x\":3.0}", 0, NULL);
	char ha[ETL_SHA256_HEXSZ], hb[ETL_SHA256_HEXSZ];
	struct etl_buf scratch;

	etl_buf_init(&scratch);
	ck_assert_int_eq(etl_hash_json(a, &scratch, ha), 0);
	ck_assert_int_eq(etl_hash_json(b, &scratch, hb), 0);
	ck_assert_str_eq(ha, hb);
	/* The value is fixed forever: stored hashes must keep matching. */
	ck_assert_str_eq(ha, "93babe8ea247aec38dd55a8a3f958df63cdeb3c74456d6c"
	    "6d41d76dafa6ed7db");
	etl_buf_release(&scratch);
	json_decref(a);
	json_decref(b);
}
END_TEST

static Suite *
hash_suite(void)
{
	Suite *s = suite_create("hash");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_hash_sha256_vectors);
	tcase_add_test(tc, test_hash_sha256_streaming);
	tcase_add_test(tc, test_hash_canonical);
	tcase_add_test(tc, test_hash_json_stable);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(hash_suite());
}
