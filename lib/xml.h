/*
 * XML to records (DESIGN.md section 2), streamed with libxml2's
 * xmlTextReader: the document is never held whole, only the record
 * being built.
 *
 * One record per element named by `records`: an element name
 * ("base_plan", at any depth) or a path of names ("output/base_plan",
 * the last elements open; "/planList/output/base_plan" anchored at the
 * root).  Without it, each child of the root element is a record.
 * Inside a record, an element becomes:
 *   - a string, when it has only text (or nothing: "");
 *   - else an object: its attributes first, in document order, then
 *     its children in the order they first appear, then "#text" for
 *     any text around them (trimmed);
 *   - a child that repeats becomes an array of its values, as does a
 *     child named in `arrays` always (so record shapes are stable);
 *   - an attribute and a child with one name: the attribute is "@name".
 * The record element itself is always an object.  All values are
 * strings.  Namespace declarations are left out; names are kept as
 * written (with their prefix).
 *
 * Safety: no network (XML_PARSE_NONET), no DTD loading, no external
 * entities.  Internal entities whose text has no markup are expanded
 * one level; others are left out, so expansion stays bounded.
 */
#ifndef ETL_XML_H
#define ETL_XML_H

#include <jansson.h>

#include "encoding.h"
#include "error.h"

struct etl_xml;

struct etl_xml_opts {
	const char *records;		/* NULL: children of the root */
	const char *const *arrays;	/* names always made arrays */
	size_t narrays;
	const char *encoding;		/* override the document's, or NULL */
	size_t max_record;		/* bytes of text; 0: 64 MiB */
};

/*
 * Read through read/ctx (borrowed; they must outlive the reader).
 * NULL with -ETL_ECONFIG for a bad records path.
 */
struct etl_xml *etl_xml_new(etl_read_fn read, void *ctx, const char *source,
    const struct etl_xml_opts *opts, struct etl_error *err);
void etl_xml_free(struct etl_xml *x);

/*
 * Next record: 1 with *rec set (a new reference, the caller owns it), 0
 * at the end, -ETL_EDATA for a bad record (one over max_record: reading
 * may go on) or a document that is not well-formed (etl_xml_failed then
 * says 1: reading cannot go on), other <0: the input failed.
 */
int etl_xml_next(struct etl_xml *x, json_t **rec, struct etl_error *err);

/* The line on which the record last read began. */
long long etl_xml_lineno(const struct etl_xml *x);
/* Whether the document was not well-formed: nothing more can be read. */
int etl_xml_failed(const struct etl_xml *x);

#endif
