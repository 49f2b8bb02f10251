#include <math.h>

#include "hash.h"
#include "jsonw.h"

static const uint32_t k256[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b,
	0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
	0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7,
	0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
	0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152,
	0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
	0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
	0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
	0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
	0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void
compress(uint32_t h[8], const unsigned char *p)
{
	uint32_t w[64], a, b, c, d, e, f, g, k, t1, t2;

	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		    (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^
		    (w[i - 15] >> 3);
		uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^
		    (w[i - 2] >> 10);

		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = h[0], b = h[1], c = h[2], d = h[3];
	e = h[4], f = h[5], g = h[6], k = h[7];
	for (int i = 0; i < 64; i++) {
		t1 = k + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) +
		    ((e & f) ^ (~e & g)) + k256[i] + w[i];
		t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) +
		    ((a & b) ^ (a & c) ^ (b & c));
		k = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	h[0] += a, h[1] += b, h[2] += c, h[3] += d;
	h[4] += e, h[5] += f, h[6] += g, h[7] += k;
}

void
etl_sha256_init(struct etl_sha256 *c)
{
	static const uint32_t iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
	};

	memcpy(c->h, iv, sizeof(iv));
	c->len = 0;
	c->used = 0;
}

void
etl_sha256_update(struct etl_sha256 *c, const void *data, size_t n)
{
	const unsigned char *p = data;

	c->len += n;
	if (c->used > 0) {
		size_t take = 64 - c->used < n ? 64 - c->used : n;

		memcpy(c->block + c->used, p, take);
		c->used += take;
		p += take;
		n -= take;
		if (c->used < 64)
			return;
		compress(c->h, c->block);
		c->used = 0;
	}
	for (; n >= 64; p += 64, n -= 64)
		compress(c->h, p);
	if (n > 0) {
		memcpy(c->block, p, n);
		c->used = n;
	}
}

void
etl_sha256_final(struct etl_sha256 *c, unsigned char out[ETL_SHA256_LEN])
{
	uint64_t bits = c->len * 8;

	c->block[c->used++] = 0x80;
	if (c->used > 56) {
		memset(c->block + c->used, 0, 64 - c->used);
		compress(c->h, c->block);
		c->used = 0;
	}
	memset(c->block + c->used, 0, 56 - c->used);
	for (int i = 0; i < 8; i++)
		c->block[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
	compress(c->h, c->block);
	for (int i = 0; i < 8; i++) {
		out[4 * i] = (unsigned char)(c->h[i] >> 24);
		out[4 * i + 1] = (unsigned char)(c->h[i] >> 16);
		out[4 * i + 2] = (unsigned char)(c->h[i] >> 8);
		out[4 * i + 3] = (unsigned char)c->h[i];
	}
}

char *
etl_sha256_hex(const void *p, size_t n, char out[ETL_SHA256_HEXSZ])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[ETL_SHA256_LEN];
	struct etl_sha256 c;

	etl_sha256_init(&c);
	etl_sha256_update(&c, p, n);
	etl_sha256_final(&c, md);
	for (int i = 0; i < ETL_SHA256_LEN; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
	return out;
}

static int
cmp_keys(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int
canonical_object(struct etl_buf *b, const json_t *v)
{
	size_t n = json_object_size(v), i = 0;
	const char **keys, *key;
	json_t *val;
	int rc = 0;

	if (n == 0)
		return etl_buf_puts(b, "{}");
	keys = malloc(n * sizeof(*keys));
	if (keys == NULL)
		return -1;
	json_object_foreach((json_t *)v, key, val)
		keys[i++] = key;
	qsort(keys, n, sizeof(*keys), cmp_keys);
	rc |= etl_buf_putc(b, '{');
	for (i = 0; i < n && rc == 0; i++) {
		if (i > 0)
			rc |= etl_buf_putc(b, ',');
		rc |= etl_json_dump_string(b, keys[i], strlen(keys[i]));
		rc |= etl_buf_putc(b, ':');
		if (rc == 0)
			rc |= etl_json_canonical(b,
			    json_object_get(v, keys[i]));
	}
	rc |= etl_buf_putc(b, '}');
	free(keys);
	return rc ? -1 : 0;
}

int
etl_json_canonical(struct etl_buf *b, const json_t *v)
{
	size_t i;
	json_t *e;
	double d;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return canonical_object(b, v);
	case JSON_ARRAY:
		if (etl_buf_putc(b, '[') < 0)
			return -1;
		json_array_foreach((json_t *)v, i, e)
			if ((i > 0 && etl_buf_putc(b, ',') < 0) ||
			    etl_json_canonical(b, e) < 0)
				return -1;
		return etl_buf_putc(b, ']');
	case JSON_REAL:
		d = json_real_value(v);
		if (d == floor(d) && fabs(d) < 9007199254740992.0)
			return etl_buf_printf(b, "%lld", (long long)d);
		return etl_json_dump(b, v);
	default:
		return etl_json_dump(b, v);
	}
}

int
etl_hash_json(const json_t *v, struct etl_buf *scratch,
    char out[ETL_SHA256_HEXSZ])
{
	etl_buf_reset(scratch);
	if (etl_json_canonical(scratch, v) < 0)
		return -1;
	etl_sha256_hex(scratch->data, scratch->len, out);
	return 0;
}
