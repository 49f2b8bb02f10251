/*
 * Stable hashes of records for change detection: SHA-256 (our own, small)
 * over the canonical JSON of a value.  Canonical JSON: no whitespace,
 * object keys sorted by their UTF-8 bytes, integers exact, reals in
 * shortest round-trip form with integral reals written as integers
 * (3.0 -> 3, so a number hashes the same whatever its input text),
 * strings escaped as etl_json_dump_string does.
 */
#ifndef ETL_HASH_H
#define ETL_HASH_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

#define ETL_SHA256_LEN 32
#define ETL_SHA256_HEXSZ 65	/* 64 hex digits and a NUL */

struct etl_sha256 {
	uint32_t h[8];
	uint64_t len;		/* bytes hashed so far */
	unsigned char block[64];
	size_t used;
};

void etl_sha256_init(struct etl_sha256 *c);
void etl_sha256_update(struct etl_sha256 *c, const void *p, size_t n);
void etl_sha256_final(struct etl_sha256 *c, unsigned char out[ETL_SHA256_LEN]);

/* The SHA-256 of p[0..n) in lower-case hex. */
char *etl_sha256_hex(const void *p, size_t n, char out[ETL_SHA256_HEXSZ]);

/* Append the canonical JSON of v; 0, or -1 when out of memory. */
int etl_json_canonical(struct etl_buf *b, const json_t *v);

/*
 * SHA-256 hex of the canonical JSON of v; scratch is a buffer the caller
 * reuses between calls.  0, or -1 when out of memory.
 */
int etl_hash_json(const json_t *v, struct etl_buf *scratch,
    char out[ETL_SHA256_HEXSZ]);

#endif
