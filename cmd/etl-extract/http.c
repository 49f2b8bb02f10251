/* etl-extract http: records from an API, page after page. */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <strings.h>
#include <unistd.h>

#include "extract.h"
#include "http.h"
#include "parse.h"
#include "path.h"
#include "redact.h"
#include "strbuf.h"
#include "template.h"
#include "value.h"

enum page_mode { PAGE_NONE, PAGE_LINK, PAGE_NEXT, PAGE_CURSOR, PAGE_NUMBER,
    PAGE_OFFSET };

struct pager {
	enum page_mode mode;
	struct etl_path *path;		/* next=, cursor= */
	char *param;			/* cursor param=, page=, offset= */
	long long start;
	long long limit;
};

static void
pager_release(struct pager *p)
{
	etl_path_free(p->path);
	free(p->param);
}

/* Split "k=v,k2=v2" items of --paginate. */
static int
pager_parse(const char *text, struct pager *p, struct etl_error *err)
{
	char *copy = strdup(text), *item, *next;
	const char *why = NULL;
	int rc = 0, first = 1;

	memset(p, 0, sizeof(*p));
	p->start = -1;
	if (copy == NULL)
		return etl_error_set(err, ETL_EINTERNAL, "out of memory");
	for (item = copy; item != NULL; item = next, first = 0) {
		char *eq = strchr(item, '=');
		const char *val = eq ? eq + 1 : NULL;

		next = strchr(item, ',');
		if (next != NULL)
			*next++ = '\0';
		if (eq != NULL)
			*eq = '\0';
		if (first && strcmp(item, "link") == 0 && val == NULL) {
			p->mode = PAGE_LINK;
		} else if (first && val != NULL && (strcmp(item, "next") == 0 ||
		    strcmp(item, "cursor") == 0)) {
			p->mode = item[0] == 'n' ? PAGE_NEXT : PAGE_CURSOR;
			p->path = etl_path_new(val, err);
			if (p->path == NULL) {
				rc = -ETL_EUSAGE;
				err->kind = ETL_EUSAGE;
				goto out;
			}
		} else if (first && val != NULL && (strcmp(item, "page") == 0 ||
		    strcmp(item, "offset") == 0)) {
			p->mode = item[0] == 'p' ? PAGE_NUMBER : PAGE_OFFSET;
			if (*val == '\0' || (p->param = strdup(val)) == NULL)
				goto bad;
		} else if (!first && val != NULL && strcmp(item, "param") == 0 &&
		    p->mode == PAGE_CURSOR && p->param == NULL) {
			if (*val == '\0' || (p->param = strdup(val)) == NULL)
				goto bad;
		} else if (!first && val != NULL && strcmp(item, "start") == 0 &&
		    (p->mode == PAGE_NUMBER || p->mode == PAGE_OFFSET)) {
			if (etl_parse_int(val, 0, LLONG_MAX / 2, &p->start,
			    &why) < 0)
				goto bad;
		} else if (!first && val != NULL && strcmp(item, "limit") == 0 &&
		    p->mode == PAGE_OFFSET) {
			if (etl_parse_int(val, 1, LLONG_MAX / 2, &p->limit,
			    &why) < 0)
				goto bad;
		} else {
			goto bad;
		}
	}
	if (p->mode == PAGE_CURSOR && p->param == NULL) {
		why = "cursor= needs param=NAME";
		goto bad;
	}
	if (p->mode == PAGE_OFFSET && p->limit == 0) {
		why = "offset= needs limit=N";
		goto bad;
	}
	if (p->start < 0)
		p->start = p->mode == PAGE_NUMBER ? 1 : 0;
	goto out;
bad:
	rc = etl_error_set(err, ETL_EUSAGE, "--paginate '%s': %s", text,
	    why ? why : "use link, next=PATH, cursor=PATH,param=NAME, "
	    "page=PARAM[,start=N] or offset=PARAM,limit=N");
out:
	free(copy);
	return rc;
}

static void
on_http_log(void *ctx, int level, const char *msg)
{
	(void)ctx;
	etl_log(level == 0 ? ETL_LOG_WARN : ETL_LOG_DEBUG, "%s", msg);
}

/* The format a Content-Type names, or FMT_AUTO. */
static enum format
format_from_type(const char *ct)
{
	char type[128];
	size_t n;

	if (ct == NULL)
		return FMT_AUTO;
	n = strcspn(ct, "; ");
	if (n >= sizeof(type))
		return FMT_AUTO;
	memcpy(type, ct, n);
	type[n] = '\0';
	if (strcasecmp(type, "application/x-ndjson") == 0 ||
	    strcasecmp(type, "application/ndjson") == 0 ||
	    strcasecmp(type, "application/jsonl") == 0 ||
	    strcasecmp(type, "application/x-jsonlines") == 0 ||
	    strcasecmp(type, "application/jsonlines") == 0)
		return FMT_NDJSON;
	if (strcasecmp(type, "application/json") == 0 ||
	    strcasecmp(type, "text/json") == 0 ||
	    (n > 5 && strcasecmp(type + n - 5, "+json") == 0))
		return FMT_JSON;
	if (strcasecmp(type, "text/csv") == 0 ||
	    strcasecmp(type, "application/csv") == 0 ||
	    strcasecmp(type, "text/tab-separated-values") == 0)
		return FMT_CSV;
	if (strcasecmp(type, "application/xml") == 0 ||
	    strcasecmp(type, "text/xml") == 0 ||
	    (n > 4 && strcasecmp(type + n - 4, "+xml") == 0))
		return FMT_XML;
	return FMT_AUTO;
}

/* The request body: --data, or --data-file read whole ("-": stdin). */
static int
load_body(struct etl_tool *t, const struct extract_opts *o,
    const struct etl_template_vars *vars, char **body)
{
	struct etl_buf b;
	int fd, rc = 0;

	*body = NULL;
	if (o->data != NULL)
		return etl_template_expand(o->data, vars, 0, body, &t->err);
	if (o->data_file == NULL)
		return 0;
	fd = strcmp(o->data_file, "-") == 0 ? STDIN_FILENO :
	    open(o->data_file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return etl_error_at(&t->err, errno == ENOENT ? ETL_ENOINPUT :
		    ETL_EIO, o->data_file, 0, NULL, "%s", strerror(errno));
	etl_buf_init(&b);
	for (;;) {
		char chunk[8192];
		ssize_t k = read(fd, chunk, sizeof(chunk));

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			rc = etl_error_at(&t->err, ETL_EIO, o->data_file, 0,
			    NULL, "read error: %s", strerror(errno));
			break;
		}
		if (k == 0)
			break;
		if (etl_buf_append(&b, chunk, (size_t)k) < 0) {
			rc = etl_error_set(&t->err, ETL_EINTERNAL,
			    "out of memory");
			break;
		}
	}
	if (fd != STDIN_FILENO)
		close(fd);
	if (rc == 0 && etl_buf_reserve(&b, 0) == 0)
		rc = etl_template_expand(b.data, vars, 0, body, &t->err);
	etl_buf_release(&b);
	return rc;
}

/* The URL of the page after this one, or NULL (*next) at the end. */
static int
next_url(struct etl_tool *t, const struct pager *pg, const char *url,
    struct etl_http_response *resp, const struct stream_result *res,
    long long *counter, char **next)
{
	const char *base = resp->url ? resp->url : url;
	char num[32], *text = NULL;
	json_t *v;

	*next = NULL;
	switch (pg->mode) {
	case PAGE_NONE:
		return 0;
	case PAGE_LINK:
		if (resp->link == NULL ||
		    (text = etl_http_link_next(resp->link)) == NULL)
			return 0;
		*next = etl_http_url_resolve(base, text);
		break;
	case PAGE_NEXT:
	case PAGE_CURSOR:
		v = res->rest ? etl_path_get(pg->path, res->rest) : NULL;
		if (v == NULL || json_is_null(v) || json_is_false(v))
			return 0;
		text = etl_value_text(v);
		if (text == NULL || *text == '\0') {
			free(text);
			return json_is_string(v) ? 0 : etl_error_at(&t->err,
			    ETL_EDATA, base, 0, etl_path_text(pg->path),
			    "pagination value is not a string or number");
		}
		*next = pg->mode == PAGE_NEXT ?
		    etl_http_url_resolve(base, text) :
		    etl_http_url_set_param(url, pg->param, text);
		break;
	case PAGE_NUMBER:
	case PAGE_OFFSET:
		if (res->records == 0 || (pg->mode == PAGE_OFFSET &&
		    res->records < pg->limit))
			return 0;
		*counter += pg->mode == PAGE_NUMBER ? 1 : pg->limit;
		snprintf(num, sizeof(num), "%lld", *counter);
		*next = etl_http_url_set_param(url, pg->param, num);
		break;
	}
	if (*next == NULL) {
		char *shown = etl_redact(text ? text : "");

		etl_error_at(&t->err, ETL_EDATA, base, 0, NULL, "cannot make "
		    "the next page's URL from '%s'", shown ? shown : "");
		free(shown);
		free(text);
		return -ETL_EDATA;
	}
	free(text);
	return 0;
}

int
run_http(struct etl_tool *t, const struct extract_opts *o)
{
	struct etl_template_vars vars;
	struct etl_http_opts ho;
	struct etl_http_response resp;
	struct etl_http *h = NULL;
	struct emitter e;
	struct pager pg;
	const char *headers[MAX_LIST];
	char *hdr_text[MAX_LIST] = { NULL };
	char *url = NULL, *body = NULL, *shown = NULL, *next = NULL;
	json_t *seen = NULL;
	long long *npages, counter = 0, *nretries;
	int rc, opened = 0;

	memset(&pg, 0, sizeof(pg));
	etl_http_response_init(&resp);
	npages = etl_summary_counter(&t->summary, "pages");
	etl_summary_counter(&t->summary, "records");
	etl_summary_counter(&t->summary, "rejected");
	vars.since = o->since;
	vars.now = etl_time_now();
	if (o->paginate != NULL &&
	    (rc = pager_parse(o->paginate, &pg, &t->err)) < 0)
		return rc;
	if ((rc = etl_template_expand(o->target, &vars, 1, &url,
	    &t->err)) < 0)
		goto out;
	for (size_t i = 0; i < o->nheaders; i++) {
		if ((rc = etl_template_expand(o->headers[i], &vars, 0,
		    &hdr_text[i], &t->err)) < 0)
			goto out;
		headers[i] = hdr_text[i];
	}
	if ((rc = load_body(t, o, &vars, &body)) < 0)
		goto out;
	if (pg.mode == PAGE_NUMBER || pg.mode == PAGE_OFFSET) {
		char num[32], *u;

		counter = pg.start;
		snprintf(num, sizeof(num), "%lld", counter);
		if ((u = etl_http_url_set_param(url, pg.param, num)) == NULL) {
			rc = etl_error_at(&t->err, ETL_EUSAGE, o->target, 0,
			    NULL, "not a valid URL");
			goto out;
		}
		free(url);
		url = u;
	}
	memset(&ho, 0, sizeof(ho));
	ho.method = o->method;
	ho.headers = headers;
	ho.nheaders = o->nheaders;
	ho.body = body;
	ho.body_len = body ? strlen(body) : 0;
	ho.timeout_ms = o->timeout_ms;
	ho.connect_timeout_ms = o->connect_timeout_ms;
	ho.user_agent = o->user_agent;
	ho.retries = (int)o->retries;
	ho.backoff_ms = o->backoff_ms;
	ho.max_backoff_ms = o->max_backoff_ms;
	ho.rate = o->rate;
	ho.max_redirs = (long)o->max_redirs;
	ho.log = on_http_log;
	ho.trace = t->verbose > 0;
	if ((h = etl_http_new(&ho, &t->err)) == NULL ||
	    (seen = json_object()) == NULL) {
		rc = h == NULL ? -(int)t->err.kind :
		    etl_error_set(&t->err, ETL_EINTERNAL, "out of memory");
		goto out;
	}
	if ((rc = emit_open(&e, t, o)) < 0)
		goto out;
	opened = 1;
	e.nrec = etl_summary_counter(&t->summary, "records");
	e.nrej = etl_summary_counter(&t->summary, "rejected");
	for (;;) {
		struct stream_result res;
		enum format fmt = o->format;

		free(shown);
		if ((shown = etl_redact(url)) == NULL) {
			rc = etl_error_set(&t->err, ETL_EINTERNAL,
			    "out of memory");
			break;
		}
		if (json_object_get(seen, url) != NULL) {
			rc = etl_error_at(&t->err, ETL_EDATA, shown, 0, NULL,
			    "pagination cycle: this page was already read");
			break;
		}
		json_object_set_new(seen, url, json_true());
		if ((rc = etl_http_fetch(h, url, &resp, &t->err)) < 0)
			break;
		(*npages)++;
		if (fmt == FMT_AUTO)
			fmt = format_from_type(resp.content_type);
		if ((pg.mode == PAGE_NEXT || pg.mode == PAGE_CURSOR) &&
		    fmt != FMT_JSON && fmt != FMT_AUTO) {
			rc = etl_error_at(&t->err, ETL_EUSAGE, shown, 0, NULL,
			    "--paginate next= and cursor= need JSON pages, "
			    "not %s", format_name(fmt));
			break;
		}
		rc = read_stream(&e, fmt, etl_http_body_read, &resp, shown,
		    &res);
		if (rc == 0 && o->records != NULL && res.rest != NULL &&
		    !res.found)
			etl_log(ETL_LOG_WARN, "%s: nothing at --records %s",
			    shown, o->records);
		if (rc == 0)
			rc = next_url(t, &pg, url, &resp, &res, &counter,
			    &next);
		json_decref(res.rest);
		if (rc < 0 || next == NULL)
			break;
		if (o->max_pages > 0 && *npages >= o->max_pages) {
			etl_log(ETL_LOG_INFO, "stopping after %lld pages "
			    "(--max-pages)", *npages);
			free(next);
			next = NULL;
			break;
		}
		free(url);
		url = next;
		next = NULL;
	}
	if (etl_http_retries(h) > 0) {
		nretries = etl_summary_counter(&t->summary, "retries");
		*nretries = etl_http_retries(h);
	}
out:
	if (opened)
		rc = emit_close(&e, rc);
	etl_http_response_release(&resp);
	etl_http_free(h);
	json_decref(seen);
	pager_release(&pg);
	for (size_t i = 0; i < o->nheaders; i++)
		free(hdr_text[i]);
	free(next);
	free(shown);
	free(body);
	free(url);
	return rc;
}
