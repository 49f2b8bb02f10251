/*
 * etl-transform: the parts of the tool shared between its files.
 */
#ifndef ETL_TRANSFORM_H
#define ETL_TRANSFORM_H

#include <jansson.h>

#include "tool.h"

/* One ad hoc option, kept in command-line order. */
struct adhoc_opt {
	int opt;			/* OPT_RENAME, ... */
	const char *arg;
};

struct transform_opts {
	const char *spec_path;
	int check;
	int stamp;
	struct adhoc_opt *adhoc;	/* the ad hoc options given */
	int nadhoc;
	const char *select;
	const char *where;
	char **inputs;			/* FILE arguments; none: stdin */
	int ninputs;
};

enum {
	OPT_SPEC = ETL_OPT_TOOL,
	OPT_CHECK,
	OPT_STAMP,
	OPT_RENAME,
	OPT_SELECT,
	OPT_CAST,
	OPT_DEFAULT,
	OPT_REQUIRE,
	OPT_WHERE
};

/*
 * The spec document the ad hoc options stand for (a new reference), or
 * NULL with a usage error printed (t->err set).
 */
json_t *adhoc_spec(struct etl_tool *t, const struct transform_opts *o);

#endif
