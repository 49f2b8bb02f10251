#include <ctype.h>

#include "cast.h"
#include "expr.h"
#include "path.h"
#include "rules.h"
#include "strbuf.h"

#define MAX_DEPTH 64

enum node_kind {
	N_LIT, N_FIELD, N_EXISTS, N_NOT, N_AND, N_OR, N_CMP, N_IN
};

enum cmp_op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE };

struct node {
	enum node_kind kind;
	enum cmp_op op;
	json_t *lit;			/* N_LIT value, N_IN list */
	struct etl_path *path;		/* N_FIELD, N_EXISTS */
	int index;			/* of the field, or -2 */
	struct node *a, *b;
};

struct etl_expr {
	struct node *root;
};

struct parser {
	const char *text;
	const char *p;
	int depth;
	etl_expr_resolve_fn resolve;
	void *ctx;
	struct etl_error *err;
};

static void
node_free(struct node *n)
{
	if (n == NULL)
		return;
	node_free(n->a);
	node_free(n->b);
	json_decref(n->lit);
	etl_path_free(n->path);
	free(n);
}

static struct node *
node_new(struct parser *ps, enum node_kind kind)
{
	struct node *n = calloc(1, sizeof(*n));

	if (n == NULL)
		etl_error_set(ps->err, ETL_EINTERNAL, "out of memory");
	else
		n->kind = kind;
	return n;
}

static struct node *
syntax(struct parser *ps, const char *at, const char *what)
{
	if (*at == '\0')
		etl_error_set(ps->err, ETL_ECONFIG, "%s at the end", what);
	else
		etl_error_set(ps->err, ETL_ECONFIG, "%s at column %d", what,
		    (int)(at - ps->text) + 1);
	return NULL;
}

static void
skip_ws(struct parser *ps)
{
	while (isspace((unsigned char)*ps->p))
		ps->p++;
}

static int
accept(struct parser *ps, const char *tok)
{
	size_t n = strlen(tok);

	skip_ws(ps);
	if (strncmp(ps->p, tok, n) != 0)
		return 0;
	/* Words must end: "in" is not the start of "index". */
	if (isalpha((unsigned char)tok[0]) &&
	    (isalnum((unsigned char)ps->p[n]) || ps->p[n] == '_'))
		return 0;
	ps->p += n;
	return 1;
}

static int
is_name_start(char c)
{
	return isalpha((unsigned char)c) || c == '_';
}

static int
is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static struct node *parse_or(struct parser *ps);

static json_t *
parse_string(struct parser *ps)
{
	char q = *ps->p;
	const char *start = ps->p;
	struct etl_buf b;
	json_t *v = NULL;

	etl_buf_init(&b);
	for (ps->p++; *ps->p != q; ps->p++) {
		char c = *ps->p;

		if (c == '\0') {
			syntax(ps, start, "unterminated string");
			goto out;
		}
		if (c == '\\') {
			c = *++ps->p;
			switch (c) {
			case 'n':
				c = '\n';
				break;
			case 't':
				c = '\t';
				break;
			case '\\':
			case '"':
			case '\'':
				break;
			default:
				syntax(ps, ps->p - 1, "unknown escape");
				goto out;
			}
		}
		if (etl_buf_putc(&b, c) < 0)
			goto oom;
	}
	ps->p++;
	v = json_stringn(b.data ? b.data : "", b.len);
	if (v == NULL)
		syntax(ps, start, "string is not valid UTF-8");
	goto out;
oom:
	etl_error_set(ps->err, ETL_EINTERNAL, "out of memory");
out:
	etl_buf_release(&b);
	return v;
}

static json_t *
parse_number(struct parser *ps)
{
	const char *start = ps->p;
	char why[128];
	json_t *v;

	if (*ps->p == '-')
		ps->p++;
	while (isdigit((unsigned char)*ps->p) || *ps->p == '.' ||
	    *ps->p == 'e' || *ps->p == 'E' ||
	    ((*ps->p == '+' || *ps->p == '-') && (ps->p[-1] == 'e' ||
	    ps->p[-1] == 'E')))
		ps->p++;
	if (etl_cast_number_text(start, (size_t)(ps->p - start), &v, why,
	    sizeof(why)) < 0) {
		syntax(ps, start, "bad number");
		return NULL;
	}
	return v;
}

/* A literal at ps->p, or NULL (with err set when it looked like one). */
static json_t *
parse_literal(struct parser *ps, int *found)
{
	skip_ws(ps);
	*found = 1;
	if (*ps->p == '"' || *ps->p == '\'')
		return parse_string(ps);
	if (isdigit((unsigned char)*ps->p) || (*ps->p == '-' &&
	    (isdigit((unsigned char)ps->p[1]) || ps->p[1] == '.')) ||
	    (*ps->p == '.' && isdigit((unsigned char)ps->p[1])))
		return parse_number(ps);
	if (accept(ps, "true"))
		return json_true();
	if (accept(ps, "false"))
		return json_false();
	if (accept(ps, "null"))
		return json_null();
	*found = 0;
	return NULL;
}

/* `any name`: a field whose name is not an identifier. */
static char *
backquoted(struct parser *ps, char **first)
{
	const char *start = ps->p, *end = strchr(ps->p + 1, '`');
	struct etl_buf b;

	*first = NULL;
	if (end == NULL || end == start + 1) {
		syntax(ps, start, end ? "empty `name`" : "unterminated `name`");
		return NULL;
	}
	etl_buf_init(&b);
	if (etl_buf_putc(&b, '"') < 0)
		goto oom;
	for (const char *p = start + 1; p < end; p++)
		if (((*p == '"' || *p == '\\') && etl_buf_putc(&b, '\\') < 0) ||
		    etl_buf_putc(&b, *p) < 0)
			goto oom;
	if (etl_buf_putc(&b, '"') < 0 ||
	    (*first = strndup(start + 1, (size_t)(end - start - 1))) == NULL)
		goto oom;
	ps->p = end + 1;
	return b.data;
oom:
	etl_buf_release(&b);
	etl_error_set(ps->err, ETL_EINTERNAL, "out of memory");
	return NULL;
}

static struct node *
parse_field(struct parser *ps)
{
	const char *start;
	struct node *n;
	char *text, *first;

	skip_ws(ps);
	start = ps->p;
	if (*ps->p == '`') {
		if ((text = backquoted(ps, &first)) == NULL)
			return NULL;
		goto made;
	}
	if (!is_name_start(*ps->p))
		return syntax(ps, ps->p, "expected a value or a field name");
	while (is_name_char(*ps->p))
		ps->p++;
	first = strndup(start, (size_t)(ps->p - start));
	for (;;) {
		if (*ps->p == '.' && is_name_start(ps->p[1])) {
			ps->p++;
			while (is_name_char(*ps->p))
				ps->p++;
		} else if (*ps->p == '[') {
			while (*ps->p != '\0' && *ps->p != ']')
				ps->p++;
			if (*ps->p == ']')
				ps->p++;
		} else {
			break;
		}
	}
	text = strndup(start, (size_t)(ps->p - start));
made:
	n = node_new(ps, N_FIELD);
	if (first == NULL || text == NULL || n == NULL) {
		if (n != NULL)
			etl_error_set(ps->err, ETL_EINTERNAL, "out of memory");
		goto fail;
	}
	n->index = -2;
	if (ps->resolve != NULL &&
	    (n->index = ps->resolve(first, ps->ctx)) == -1) {
		etl_error_set(ps->err, ETL_ECONFIG, "unknown field '%s' at "
		    "column %d", first, (int)(start - ps->text) + 1);
		goto fail;
	}
	n->path = etl_path_new(text, ps->err);
	if (n->path == NULL)
		goto fail;
	free(first);
	free(text);
	return n;
fail:
	free(first);
	free(text);
	node_free(n);
	return NULL;
}

static struct node *
parse_operand(struct parser *ps)
{
	struct node *n;
	json_t *lit;
	int found;

	skip_ws(ps);
	if (accept(ps, "(")) {
		if (++ps->depth > MAX_DEPTH)
			return syntax(ps, ps->p, "nested too deep");
		n = parse_or(ps);
		ps->depth--;
		if (n != NULL && !accept(ps, ")")) {
			node_free(n);
			return syntax(ps, ps->p, "expected )");
		}
		return n;
	}
	if (accept(ps, "exists")) {
		int paren = accept(ps, "(");
		struct node *f;

		f = parse_field(ps);
		if (f == NULL)
			return NULL;
		if (paren && !accept(ps, ")")) {
			node_free(f);
			return syntax(ps, ps->p, "expected )");
		}
		f->kind = N_EXISTS;
		return f;
	}
	lit = parse_literal(ps, &found);
	if (found) {
		if (lit == NULL)
			return NULL;
		if ((n = node_new(ps, N_LIT)) == NULL) {
			json_decref(lit);
			return NULL;
		}
		n->lit = lit;
		return n;
	}
	if (ps->err->kind != ETL_OK)
		return NULL;
	return parse_field(ps);
}

static struct node *
parse_list(struct parser *ps, struct node *left)
{
	struct node *n = node_new(ps, N_IN);
	char close;
	json_t *lit;
	int found;

	if (n == NULL) {
		node_free(left);
		return NULL;
	}
	n->a = left;
	if (accept(ps, "["))
		close = ']';
	else if (accept(ps, "("))
		close = ')';
	else
		goto bad;
	if ((n->lit = json_array()) == NULL)
		goto bad;
	skip_ws(ps);
	if (*ps->p == close) {
		ps->p++;
		return n;
	}
	for (;;) {
		lit = parse_literal(ps, &found);
		if (lit == NULL) {
			if (!found)
				syntax(ps, ps->p, "expected a literal in the "
				    "list");
			goto fail;
		}
		if (json_array_append_new(n->lit, lit) < 0)
			goto fail;
		skip_ws(ps);
		if (*ps->p == close) {
			ps->p++;
			return n;
		}
		if (!accept(ps, ",")) {
			syntax(ps, ps->p, "expected , or the end of the list");
			goto fail;
		}
	}
bad:
	syntax(ps, ps->p, "expected [ after in");
fail:
	node_free(n);
	return NULL;
}

static struct node *
parse_cmp(struct parser *ps)
{
	static const struct {
		const char *tok;
		enum cmp_op op;
	} ops[] = {
		{ "==", OP_EQ }, { "!=", OP_NE }, { "<=", OP_LE },
		{ ">=", OP_GE }, { "<", OP_LT }, { ">", OP_GT },
	};
	struct node *left = parse_operand(ps), *n;

	if (left == NULL)
		return NULL;
	if (accept(ps, "in"))
		return parse_list(ps, left);
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (!accept(ps, ops[i].tok))
			continue;
		if ((n = node_new(ps, N_CMP)) == NULL) {
			node_free(left);
			return NULL;
		}
		n->op = ops[i].op;
		n->a = left;
		if ((n->b = parse_operand(ps)) == NULL) {
			node_free(n);
			return NULL;
		}
		return n;
	}
	return left;
}

static struct node *
parse_unary(struct parser *ps)
{
	struct node *n, *a;

	skip_ws(ps);
	if (*ps->p == '!' && ps->p[1] != '=') {
		ps->p++;
		if (++ps->depth > MAX_DEPTH)
			return syntax(ps, ps->p, "nested too deep");
		a = parse_unary(ps);
		ps->depth--;
		if (a == NULL)
			return NULL;
		if ((n = node_new(ps, N_NOT)) == NULL) {
			node_free(a);
			return NULL;
		}
		n->a = a;
		return n;
	}
	return parse_cmp(ps);
}

static struct node *
parse_binary(struct parser *ps, const char *tok, enum node_kind kind,
    struct node *(*sub)(struct parser *))
{
	struct node *left = sub(ps), *n;

	while (left != NULL && accept(ps, tok)) {
		if ((n = node_new(ps, kind)) == NULL) {
			node_free(left);
			return NULL;
		}
		n->a = left;
		if ((n->b = sub(ps)) == NULL) {
			node_free(n);
			return NULL;
		}
		left = n;
	}
	return left;
}

static struct node *
parse_and(struct parser *ps)
{
	return parse_binary(ps, "&&", N_AND, parse_unary);
}

static struct node *
parse_or(struct parser *ps)
{
	return parse_binary(ps, "||", N_OR, parse_and);
}

struct etl_expr *
etl_expr_new(const char *text, etl_expr_resolve_fn resolve, void *ctx,
    struct etl_error *err)
{
	struct parser ps = { text, text, 0, resolve, ctx, err };
	struct etl_expr *e;
	struct node *root;

	etl_error_init(err);
	root = parse_or(&ps);
	if (root == NULL) {
		if (err->kind == ETL_OK)
			syntax(&ps, ps.p, "syntax error");
		return NULL;
	}
	skip_ws(&ps);
	if (*ps.p != '\0') {
		node_free(root);
		syntax(&ps, ps.p, "unexpected text");
		return NULL;
	}
	if ((e = calloc(1, sizeof(*e))) == NULL) {
		node_free(root);
		etl_error_set(err, ETL_EINTERNAL, "out of memory");
		return NULL;
	}
	e->root = root;
	return e;
}

void
etl_expr_free(struct etl_expr *e)
{
	if (e == NULL)
		return;
	node_free(e->root);
	free(e);
}

struct eval {
	const json_t *rec;
	const unsigned char *failed;
	int unsure;
};

static const json_t *value(const struct node *n, struct eval *ev);

static int
truthy(const json_t *v)
{
	return v != NULL && !json_is_null(v) && !json_is_false(v);
}

static int
boolean(const struct node *n, struct eval *ev)
{
	const json_t *a, *b;
	size_t i;
	json_t *e;
	int cmp;

	switch (n->kind) {
	case N_NOT:
		return !boolean(n->a, ev);
	case N_AND:
		return boolean(n->a, ev) && boolean(n->b, ev);
	case N_OR:
		return boolean(n->a, ev) || boolean(n->b, ev);
	case N_EXISTS:
		a = value(n, ev);
		return a != NULL && !json_is_null(a);
	case N_IN:
		a = value(n->a, ev);
		json_array_foreach(n->lit, i, e)
			if (etl_value_equal(a ? a : json_null(), e))
				return 1;
		return 0;
	case N_CMP:
		a = value(n->a, ev);
		b = value(n->b, ev);
		if (a == NULL)
			a = json_null();
		if (b == NULL)
			b = json_null();
		if (n->op == OP_EQ)
			return etl_value_equal(a, b);
		if (n->op == OP_NE)
			return !etl_value_equal(a, b);
		if (json_is_null(a) || json_is_null(b) ||
		    json_is_number(a) != json_is_number(b) ||
		    json_is_string(a) != json_is_string(b) ||
		    etl_value_order(a, b, &cmp) < 0)
			return 0;
		switch (n->op) {
		case OP_LT:
			return cmp < 0;
		case OP_LE:
			return cmp <= 0;
		case OP_GT:
			return cmp > 0;
		default:
			return cmp >= 0;
		}
	default:
		return truthy(value(n, ev));
	}
}

static const json_t *
value(const struct node *n, struct eval *ev)
{
	switch (n->kind) {
	case N_LIT:
		return n->lit;
	case N_FIELD:
	case N_EXISTS:
		if (n->index >= 0 && ev->failed != NULL &&
		    ev->failed[n->index])
			ev->unsure = 1;
		return etl_path_get(n->path, ev->rec);
	default:
		return boolean(n, ev) ? json_true() : json_false();
	}
}

int
etl_expr_eval(const struct etl_expr *e, const json_t *rec,
    const unsigned char *failed, int *unsure)
{
	struct eval ev = { rec, failed, 0 };
	int r = boolean(e->root, &ev);

	if (unsure != NULL)
		*unsure = ev.unsure;
	return r;
}
