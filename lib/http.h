/*
 * An HTTP client over libcurl for tools that read APIs: retries with
 * exponential backoff and full jitter, Retry-After, a token-bucket rate
 * limit across all requests, redirects only to http and https within a
 * bound, compressed responses, and a trace with secrets redacted.
 *
 * A response body is spooled whole before anyone reads it (in memory up
 * to spool_mem, past that in an unlinked temporary file), so a retry
 * never repeats records already handed on and memory stays flat.
 *
 * Outcomes (DESIGN.md section 3): 2xx is success; connection errors,
 * timeouts, a body cut short, 408, 429 and 5xx are retried, and after
 * the last retry give -ETL_ETEMPFAIL (75); any other 4xx (and a 3xx
 * left unfollowed) gives -ETL_EUNAVAILABLE (69) with the status and the
 * first 200 bytes of the body; a URL that is not http(s) -ETL_EUSAGE.
 * URLs in messages have their secrets redacted.
 */
#ifndef ETL_HTTP_H
#define ETL_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "strbuf.h"

struct etl_http;

/* level: 0 a warning (a retry), 1 a trace line (verbose). */
typedef void (*etl_http_log_fn)(void *ctx, int level, const char *msg);

struct etl_http_opts {
	const char *method;		/* NULL: GET, or POST with a body */
	const char *const *headers;	/* "Name: value" lines */
	size_t nheaders;
	const char *body;		/* request body, or NULL */
	size_t body_len;
	int64_t timeout_ms;		/* whole request; 0: none */
	int64_t connect_timeout_ms;	/* 0: libcurl's default */
	const char *user_agent;		/* NULL: "etl/VERSION" */
	int retries;			/* after the first attempt */
	int64_t backoff_ms;		/* base of the exponential backoff */
	int64_t max_backoff_ms;		/* cap of one wait (and Retry-After) */
	double rate;			/* requests a second; 0: no limit */
	long max_redirs;
	size_t spool_mem;		/* 0: 8 MiB */
	etl_http_log_fn log;		/* may be NULL */
	void *log_ctx;
	int trace;			/* pass request and response headers
					 * to log (level 1) */
};

struct etl_http_response {
	long status;
	char *content_type;	/* NULL when none */
	char *link;		/* Link header values joined by ", " */
	char *url;		/* the URL answered, after redirects */
	int attempts;
	/* The body. */
	struct etl_buf mem;
	FILE *file;
	size_t size;
	size_t pos;
};

/* opts is copied (its strings must outlive the client). */
struct etl_http *etl_http_new(const struct etl_http_opts *opts,
    struct etl_error *err);
void etl_http_free(struct etl_http *h);

void etl_http_response_init(struct etl_http_response *r);
void etl_http_response_release(struct etl_http_response *r);

/*
 * Fetch url (retrying as above) into r (initialised by the caller,
 * reset here).  0 on a 2xx, the body ready to read from its start.
 */
int etl_http_fetch(struct etl_http *h, const char *url,
    struct etl_http_response *r, struct etl_error *err);

/* Retries made so far, over all fetches. */
long long etl_http_retries(const struct etl_http *h);

/* An etl_read_fn over a fetched body (ctx: struct etl_http_response). */
long etl_http_body_read(void *ctx, char *buf, size_t n,
    struct etl_error *err);

/* Pagination helpers; each returns a new string or NULL. */

/* The URL of rel="next" in a Link header (RFC 8288), or NULL. */
char *etl_http_link_next(const char *link);
/* ref resolved against base (ref may be absolute), or NULL if invalid. */
char *etl_http_url_resolve(const char *base, const char *ref);
/* url with query parameter name set to value (replacing any). */
char *etl_http_url_set_param(const char *url, const char *name,
    const char *value);

/*
 * "N/s", "N/m", "N/h" or "N" (a second) into requests a second.
 * 0 or -1 with why.
 */
int etl_http_parse_rate(const char *s, double *per_sec, const char **why);

#endif
