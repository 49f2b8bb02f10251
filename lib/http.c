#include <curl/curl.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <strings.h>
#include <unistd.h>

#include "http.h"
#include "jsonw.h"
#include "redact.h"
#include "signals.h"
#include "template.h"

#define DEFAULT_SPOOL ((size_t)8 << 20)
#define SNIPPET 200

struct etl_http {
	struct etl_http_opts o;
	CURL *curl;
	struct curl_slist *headers;
	char errbuf[CURL_ERROR_SIZE];
	long long retries;
	uint64_t rng;
	struct timespec next_slot;	/* token bucket: next request at */
	int slot_set;
	/* While a fetch runs. */
	struct etl_http_response *r;
	int write_failed;
	int write_errno;
};

static int curl_users;

static void
hlog(struct etl_http *h, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
hlog(struct etl_http *h, int level, const char *fmt, ...)
{
	char msg[2048], *clean;
	va_list ap;

	if (h->o.log == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	clean = etl_redact(msg);
	h->o.log(h->o.log_ctx, level, clean ? clean : "(out of memory)");
	free(clean);
}

static uint64_t
next_random(struct etl_http *h)
{
	/* xorshift64*: enough for jitter. */
	h->rng ^= h->rng >> 12;
	h->rng ^= h->rng << 25;
	h->rng ^= h->rng >> 27;
	return h->rng * 2685821657736338717ULL;
}

struct etl_http *
etl_http_new(const struct etl_http_opts *opts, struct etl_error *err)
{
	struct etl_http *h = calloc(1, sizeof(*h));
	struct timespec ts;

	if (h == NULL) {
		etl_error_set(err, ETL_EINTERNAL, "out of memory");
		return NULL;
	}
	h->o = *opts;
	if (h->o.spool_mem == 0)
		h->o.spool_mem = DEFAULT_SPOOL;
	if (curl_users++ == 0 && curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
		curl_users--;
		free(h);
		etl_error_set(err, ETL_EINTERNAL, "cannot initialise libcurl");
		return NULL;
	}
	h->curl = curl_easy_init();
	if (h->curl == NULL) {
		etl_http_free(h);
		etl_error_set(err, ETL_EINTERNAL, "cannot initialise libcurl");
		return NULL;
	}
	for (size_t i = 0; i < opts->nheaders; i++) {
		struct curl_slist *l = curl_slist_append(h->headers,
		    opts->headers[i]);

		if (l == NULL) {
			etl_http_free(h);
			etl_error_set(err, ETL_EINTERNAL, "out of memory");
			return NULL;
		}
		h->headers = l;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	h->rng = ((uint64_t)ts.tv_sec * 1000000007ULL) ^ (uint64_t)ts.tv_nsec ^
	    ((uint64_t)getpid() << 32) ^ 0x9e3779b97f4a7c15ULL;
	if (h->rng == 0)
		h->rng = 1;
	return h;
}

void
etl_http_free(struct etl_http *h)
{
	if (h == NULL)
		return;
	if (h->curl != NULL)
		curl_easy_cleanup(h->curl);
	curl_slist_free_all(h->headers);
	if (--curl_users == 0)
		curl_global_cleanup();
	free(h);
}

long long
etl_http_retries(const struct etl_http *h)
{
	return h->retries;
}

void
etl_http_response_init(struct etl_http_response *r)
{
	memset(r, 0, sizeof(*r));
	etl_buf_init(&r->mem);
}

static void
response_reset(struct etl_http_response *r)
{
	free(r->content_type);
	free(r->link);
	free(r->url);
	r->content_type = r->link = r->url = NULL;
	r->status = 0;
	etl_buf_reset(&r->mem);
	if (r->file != NULL) {
		fclose(r->file);
		r->file = NULL;
	}
	r->size = r->pos = 0;
}

void
etl_http_response_release(struct etl_http_response *r)
{
	response_reset(r);
	etl_buf_release(&r->mem);
}

static size_t
on_write(char *p, size_t size, size_t nmemb, void *ctx)
{
	struct etl_http *h = ctx;
	struct etl_http_response *r = h->r;
	size_t n = size * nmemb;

	if (r->file == NULL && r->mem.len + n > h->o.spool_mem) {
		r->file = tmpfile();
		if (r->file == NULL || (r->mem.len > 0 &&
		    fwrite(r->mem.data, 1, r->mem.len, r->file) !=
		    r->mem.len)) {
			h->write_failed = 1;
			h->write_errno = errno;
			return 0;
		}
		etl_buf_release(&r->mem);
	}
	if (r->file != NULL) {
		if (fwrite(p, 1, n, r->file) != n) {
			h->write_failed = 1;
			h->write_errno = errno;
			return 0;
		}
	} else if (etl_buf_append(&r->mem, p, n) < 0) {
		h->write_failed = 1;
		h->write_errno = ENOMEM;
		return 0;
	}
	r->size += n;
	return n;
}

static size_t
on_header(char *p, size_t size, size_t nmemb, void *ctx)
{
	struct etl_http *h = ctx;
	struct etl_http_response *r = h->r;
	size_t n = size * nmemb, k;
	struct etl_buf b;

	if (n >= 5 && strncmp(p, "HTTP/", 5) == 0) {
		/* A new response (after a redirect or a 100). */
		free(r->link);
		r->link = NULL;
		return n;
	}
	if (n < 5 || strncasecmp(p, "link:", 5) != 0)
		return n;
	p += 5;
	n -= 5;
	while (n > 0 && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	k = n;
	while (k > 0 && (p[k - 1] == '\r' || p[k - 1] == '\n' ||
	    p[k - 1] == ' '))
		k--;
	etl_buf_init(&b);
	if ((r->link != NULL && (etl_buf_puts(&b, r->link) < 0 ||
	    etl_buf_puts(&b, ", ") < 0)) || etl_buf_append(&b, p, k) < 0) {
		etl_buf_release(&b);
		/* Out of memory: a lost Link header ends paging early. */
		return size * nmemb;
	}
	free(r->link);
	r->link = b.data;
	return size * nmemb;
}

static int
on_progress(void *ctx, curl_off_t dt, curl_off_t dn, curl_off_t ut,
    curl_off_t un)
{
	(void)ctx;
	(void)dt;
	(void)dn;
	(void)ut;
	(void)un;
	return etl_signal_caught() != 0;
}

static int
on_debug(CURL *c, curl_infotype type, char *data, size_t size, void *ctx)
{
	struct etl_http *h = ctx;
	const char *mark;

	(void)c;
	switch (type) {
	case CURLINFO_HEADER_OUT:
		mark = "> ";
		break;
	case CURLINFO_HEADER_IN:
		mark = "< ";
		break;
	case CURLINFO_TEXT:
		mark = "* ";
		break;
	default:
		return 0;
	}
	while (size > 0) {
		char *nl = memchr(data, '\n', size);
		size_t n = nl ? (size_t)(nl - data) : size;
		size_t k = n;

		while (k > 0 && data[k - 1] == '\r')
			k--;
		if (k > 0)
			hlog(h, 1, "%s%.*s", mark, (int)(k > 1000 ? 1000 : k),
			    data);
		n += nl != NULL;
		data += n;
		size -= n;
	}
	return 0;
}

static double
mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sleep ms, waking for signals; <0 when one came. */
static int
nap(int64_t ms, struct etl_error *err)
{
	double until = mono_now() + (double)ms / 1000.0;
	int rc;

	for (;;) {
		double left = until - mono_now();
		struct timespec ts;

		if ((rc = etl_signal_check(err)) < 0)
			return rc;
		if (left <= 0)
			return 0;
		if (left > 0.1)
			left = 0.1;
		ts.tv_sec = 0;
		ts.tv_nsec = (long)(left * 1e9);
		nanosleep(&ts, NULL);
	}
}

/* The token bucket: one request each 1/rate seconds, across fetches. */
static int
rate_wait(struct etl_http *h, struct etl_error *err)
{
	double now, slot;
	int rc;

	if (h->o.rate <= 0)
		return 0;
	now = mono_now();
	slot = h->slot_set ? (double)h->next_slot.tv_sec +
	    (double)h->next_slot.tv_nsec / 1e9 : now;
	if (slot > now && (rc = nap((int64_t)ceil((slot - now) * 1000.0),
	    err)) < 0)
		return rc;
	if (slot < now)
		slot = now;
	slot += 1.0 / h->o.rate;
	h->next_slot.tv_sec = (time_t)slot;
	h->next_slot.tv_nsec = (long)((slot - (double)(time_t)slot) * 1e9);
	h->slot_set = 1;
	return 0;
}

static int
retryable_curl(CURLcode c)
{
	switch (c) {
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_PARTIAL_FILE:
	case CURLE_GOT_NOTHING:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_BAD_CONTENT_ENCODING:
	case CURLE_WEIRD_SERVER_REPLY:
		return 1;
	default:
		return 0;
	}
}

/* The first bytes of the body as one printable line. */
static void
snippet(struct etl_http_response *r, char *out, size_t n)
{
	char raw[SNIPPET];
	size_t k = 0, used = 0;
	struct etl_buf b;

	out[0] = '\0';
	if (r->file != NULL) {
		rewind(r->file);
		k = fread(raw, 1, sizeof(raw), r->file);
	} else if (r->mem.len > 0) {
		k = r->mem.len < sizeof(raw) ? r->mem.len : sizeof(raw);
		memcpy(raw, r->mem.data, k);
	}
	for (size_t i = 0; i < k; i++)
		if ((unsigned char)raw[i] < 0x20 || raw[i] == 0x7f)
			raw[i] = ' ';
	/* Keep it valid UTF-8 even when cut inside a character. */
	etl_buf_init(&b);
	if (k > 0 && etl_json_dump_string(&b, raw, k) == 0 && b.len >= 2) {
		used = b.len - 2 < n - 1 ? b.len - 2 : n - 1;
		memcpy(out, b.data + 1, used);
		out[used] = '\0';
	}
	etl_buf_release(&b);
	/* Plain text is easier to read than JSON escapes. */
	for (char *p = out; *p != '\0'; p++)
		if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
			memmove(p, p + 1, strlen(p));
	if (used > 0 && r->size > k)
		etl_snappend(out, n, used, "...");
}

static int
setup(struct etl_http *h, const char *url)
{
	CURL *c = h->curl;
	char ua[64];
	int bad = 0;

	curl_easy_reset(c);
	snprintf(ua, sizeof(ua), "etl/%s", ETL_VERSION);
	bad |= curl_easy_setopt(c, CURLOPT_URL, url);
	bad |= curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	bad |= curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	bad |= curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	bad |= curl_easy_setopt(c, CURLOPT_MAXREDIRS, h->o.max_redirs);
	bad |= curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	bad |= curl_easy_setopt(c, CURLOPT_USERAGENT,
	    h->o.user_agent ? h->o.user_agent : ua);
	bad |= curl_easy_setopt(c, CURLOPT_HTTPHEADER, h->headers);
	bad |= curl_easy_setopt(c, CURLOPT_ERRORBUFFER, h->errbuf);
	bad |= curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_write);
	bad |= curl_easy_setopt(c, CURLOPT_WRITEDATA, h);
	bad |= curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	bad |= curl_easy_setopt(c, CURLOPT_HEADERDATA, h);
	bad |= curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	bad |= curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
	bad |= curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (h->o.timeout_ms > 0)
		bad |= curl_easy_setopt(c, CURLOPT_TIMEOUT_MS,
		    (long)h->o.timeout_ms);
	if (h->o.connect_timeout_ms > 0)
		bad |= curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
		    (long)h->o.connect_timeout_ms);
	if (h->o.body != NULL) {
		bad |= curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)h->o.body_len);
		bad |= curl_easy_setopt(c, CURLOPT_POSTFIELDS, h->o.body);
	}
	if (h->o.method != NULL) {
		if (strcmp(h->o.method, "HEAD") == 0)
			bad |= curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
		else
			bad |= curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST,
			    h->o.method);
	}
	if (h->o.trace) {
		bad |= curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, on_debug);
		bad |= curl_easy_setopt(c, CURLOPT_DEBUGDATA, h);
		bad |= curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);
	}
	return bad ? -1 : 0;
}

static const char *
method_name(const struct etl_http *h)
{
	if (h->o.method != NULL)
		return h->o.method;
	return h->o.body != NULL ? "POST" : "GET";
}

/* Collect what came back; 0 done, 1 retry, <0 final error. */
static int
judge(struct etl_http *h, CURLcode cc, const char *shown,
    struct etl_http_response *r, char *why, size_t whysz,
    struct etl_error *err)
{
	char snip[SNIPPET * 2 + 8];
	char *ct = NULL, *eff = NULL;
	long redirs = 0, code = 0;

	if (cc == CURLE_ABORTED_BY_CALLBACK && etl_signal_caught())
		return etl_signal_check(err);
	if (h->write_failed)
		return etl_error_at(err, h->write_errno == ENOMEM ?
		    ETL_EINTERNAL : ETL_EIO, shown, 0, NULL, "cannot "
		    "store the response: %s", strerror(h->write_errno));
	if (cc != CURLE_OK) {
		snprintf(why, whysz, "%s", h->errbuf[0] ? h->errbuf :
		    curl_easy_strerror(cc));
		if (retryable_curl(cc))
			return 1;
		curl_easy_getinfo(h->curl, CURLINFO_REDIRECT_COUNT, &redirs);
		curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &code);
		if ((cc == CURLE_UNSUPPORTED_PROTOCOL ||
		    cc == CURLE_URL_MALFORMAT) && redirs == 0 &&
		    (code < 300 || code > 399))
			return etl_error_at(err, ETL_EUSAGE, shown, 0, NULL,
			    "%s (only http and https URLs)", why);
		if (cc == CURLE_UNSUPPORTED_PROTOCOL)
			return etl_error_at(err, ETL_EUNAVAILABLE, shown, 0,
			    NULL, "%s: a redirect may only lead to http or "
			    "https", why);
		return etl_error_at(err, ETL_EUNAVAILABLE, shown, 0, NULL,
		    "%s", why);
	}
	curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_getinfo(h->curl, CURLINFO_CONTENT_TYPE, &ct);
	curl_easy_getinfo(h->curl, CURLINFO_EFFECTIVE_URL, &eff);
	if (ct != NULL && (r->content_type = strdup(ct)) == NULL)
		return etl_error_set(err, ETL_EINTERNAL, "out of memory");
	if (eff != NULL && (r->url = strdup(eff)) == NULL)
		return etl_error_set(err, ETL_EINTERNAL, "out of memory");
	if (r->status >= 200 && r->status < 300)
		return 0;
	snippet(r, snip, sizeof(snip));
	snprintf(why, whysz, "HTTP %ld%s%s", r->status, snip[0] ? ": " : "",
	    snip);
	if (r->status == 408 || r->status == 429 || r->status >= 500)
		return 1;
	return etl_error_at(err, ETL_EUNAVAILABLE, shown, 0, NULL, "%s", why);
}

int
etl_http_fetch(struct etl_http *h, const char *url,
    struct etl_http_response *r, struct etl_error *err)
{
	char *shown = etl_redact(url);
	char why[600];
	int rc = 0;

	if (shown == NULL)
		return etl_error_set(err, ETL_EINTERNAL, "out of memory");
	r->attempts = 0;
	for (int attempt = 0;; attempt++) {
		CURLcode cc;
		curl_off_t after = 0;
		int64_t wait_ms, cap;

		response_reset(r);
		h->r = r;
		h->write_failed = 0;
		h->errbuf[0] = '\0';
		if ((rc = rate_wait(h, err)) < 0)
			break;
		if (setup(h, url) < 0) {
			rc = etl_error_set(err, ETL_EINTERNAL, "libcurl "
			    "refused an option (too old?)");
			break;
		}
		r->attempts++;
		hlog(h, 1, "%s %s", method_name(h), shown);
		cc = curl_easy_perform(h->curl);
		rc = judge(h, cc, shown, r, why, sizeof(why), err);
		if (rc <= 0)
			break;
		if (attempt >= h->o.retries) {
			rc = etl_error_at(err, ETL_ETEMPFAIL, shown, 0, NULL,
			    "%s (after %d attempt%s)", why, attempt + 1,
			    attempt ? "s" : "");
			break;
		}
		/* Full jitter: uniform in [0, min(cap, base * 2^attempt)]. */
		cap = h->o.backoff_ms;
		for (int i = 0; i < attempt && cap < h->o.max_backoff_ms; i++)
			cap *= 2;
		if (cap > h->o.max_backoff_ms)
			cap = h->o.max_backoff_ms;
		wait_ms = cap > 0 ? (int64_t)(next_random(h) %
		    (uint64_t)(cap + 1)) : 0;
		if (r->status != 0)
			curl_easy_getinfo(h->curl, CURLINFO_RETRY_AFTER, &after);
		if (after > 0) {
			wait_ms = after > h->o.max_backoff_ms / 1000 ?
			    h->o.max_backoff_ms : (int64_t)after * 1000;
		}
		h->retries++;
		hlog(h, 0, "%s %s: %s; retry %d of %d in %.3f s%s",
		    method_name(h), shown, why, attempt + 1, h->o.retries,
		    (double)wait_ms / 1000.0, after > 0 ?
		    " (Retry-After)" : "");
		if ((rc = nap(wait_ms, err)) < 0)
			break;
	}
	h->r = NULL;
	if (rc == 0 && r->file != NULL) {
		if (fflush(r->file) != 0)
			rc = etl_error_at(err, ETL_EIO, shown, 0, NULL,
			    "cannot store the response: %s", strerror(errno));
		rewind(r->file);
	}
	r->pos = 0;
	free(shown);
	return rc;
}

long
etl_http_body_read(void *ctx, char *buf, size_t n, struct etl_error *err)
{
	struct etl_http_response *r = ctx;
	size_t k;

	if (r->file != NULL) {
		k = fread(buf, 1, n, r->file);
		if (k == 0 && ferror(r->file))
			return etl_error_set(err, ETL_EIO, "reading the "
			    "spooled response: %s", strerror(errno));
		r->pos += k;
		return (long)k;
	}
	k = r->size - r->pos;
	if (k > n)
		k = n;
	if (k > 0)
		memcpy(buf, r->mem.data + r->pos, k);
	r->pos += k;
	return (long)k;
}

/* ---- pagination helpers ---- */

/* Whether the rel value (a quoted or bare list) names "next". */
static int
rel_is_next(const char *p, size_t n)
{
	while (n > 0) {
		size_t k = 0;

		while (n > 0 && (*p == ' ' || *p == '"' || *p == '\t')) {
			p++;
			n--;
		}
		while (k < n && p[k] != ' ' && p[k] != '"' && p[k] != '\t')
			k++;
		if (k == 4 && strncasecmp(p, "next", 4) == 0)
			return 1;
		p += k;
		n -= k;
	}
	return 0;
}

char *
etl_http_link_next(const char *link)
{
	const char *p = link;

	while (p != NULL && *p != '\0') {
		const char *lt = strchr(p, '<'), *gt, *end, *q;

		if (lt == NULL || (gt = strchr(lt, '>')) == NULL)
			return NULL;
		end = gt + 1;
		/* Parameters run to the next ',' outside quotes. */
		for (int quoted = 0; *end != '\0'; end++) {
			if (*end == '"')
				quoted = !quoted;
			else if (*end == ',' && !quoted)
				break;
		}
		for (q = gt + 1; q < end; q++) {
			if (strncasecmp(q, "rel", 3) != 0)
				continue;
			const char *v = q + 3;

			while (*v == ' ')
				v++;
			if (*v != '=')
				continue;
			v++;
			while (*v == ' ')
				v++;
			const char *ve = v;

			if (*v == '"') {
				ve = strchr(v + 1, '"');
				if (ve == NULL || ve > end)
					ve = end;
				else
					ve++;
			} else {
				while (ve < end && *ve != ';' && *ve != ' ')
					ve++;
			}
			if (rel_is_next(v, (size_t)(ve - v)))
				return strndup(lt + 1, (size_t)(gt - lt - 1));
		}
		p = *end ? end + 1 : end;
	}
	return NULL;
}

char *
etl_http_url_resolve(const char *base, const char *ref)
{
	CURLU *u = curl_url();
	char *out = NULL, *copy = NULL;

	if (u == NULL)
		return NULL;
	if ((base == NULL || curl_url_set(u, CURLUPART_URL, base, 0) ==
	    CURLUE_OK) && curl_url_set(u, CURLUPART_URL, ref,
	    CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_URL, &out, 0) == CURLUE_OK) {
		copy = strdup(out);
		curl_free(out);
	}
	curl_url_cleanup(u);
	return copy;
}

char *
etl_http_url_set_param(const char *url, const char *name, const char *value)
{
	CURLU *u = curl_url();
	char *query = NULL, *out = NULL, *copy = NULL;
	struct etl_buf b;
	size_t nl = strlen(name);

	etl_buf_init(&b);
	if (u == NULL || curl_url_set(u, CURLUPART_URL, url,
	    CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK)
		goto out;
	curl_url_get(u, CURLUPART_QUERY, &query, 0);
	if (etl_buf_reserve(&b, 64) < 0)
		goto out;
	etl_buf_reset(&b);
	for (const char *p = query; p != NULL && *p != '\0';) {
		const char *amp = strchr(p, '&');
		size_t n = amp ? (size_t)(amp - p) : strlen(p);
		size_t k = 0;

		while (k < n && p[k] != '=')
			k++;
		if (n > 0 && !(k == nl && strncmp(p, name, nl) == 0)) {
			if ((b.len > 0 && etl_buf_putc(&b, '&') < 0) ||
			    etl_buf_append(&b, p, n) < 0)
				goto out;
		}
		p = amp ? amp + 1 : p + n;
	}
	if ((b.len > 0 && etl_buf_putc(&b, '&') < 0) ||
	    etl_template_urlencode(&b, name) < 0 ||
	    etl_buf_putc(&b, '=') < 0 ||
	    etl_template_urlencode(&b, value) < 0)
		goto out;
	if (curl_url_set(u, CURLUPART_QUERY, b.data, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_URL, &out, 0) != CURLUE_OK)
		goto out;
	copy = strdup(out);
out:
	curl_free(out);
	curl_free(query);
	curl_url_cleanup(u);
	etl_buf_release(&b);
	return copy;
}

int
etl_http_parse_rate(const char *s, double *per_sec, const char **why)
{
	char *end;
	double n, unit = 1;

	errno = 0;
	n = strtod(s, &end);
	if (end == s || errno != 0 || !(n > 0) || !isfinite(n)) {
		if (why != NULL)
			*why = "rate must look like 10/s, 100/m or 1000/h";
		return -1;
	}
	if (strcmp(end, "/s") == 0 || *end == '\0')
		unit = 1;
	else if (strcmp(end, "/m") == 0)
		unit = 60;
	else if (strcmp(end, "/h") == 0)
		unit = 3600;
	else {
		if (why != NULL)
			*why = "rate must look like 10/s, 100/m or 1000/h";
		return -1;
	}
	*per_sec = n / unit;
	return 0;
}
