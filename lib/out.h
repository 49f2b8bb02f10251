/*
 * Buffered output of records and lines to stdout or a file.  A closed
 * reader (EPIPE) gives -ETL_EPIPE, which tools treat as a quiet stop with
 * status 0; any other write failure (disk full) is -ETL_EIO.
 */
#ifndef ETL_OUT_H
#define ETL_OUT_H

#include <jansson.h>

#include "error.h"

struct etl_out;

/*
 * path NULL or "-": stdout (not closed at the end).  Otherwise the file
 * is created (mode 0666 less umask) and truncated, or appended to when
 * append is set.  NULL on error (73 when it cannot be created).
 */
struct etl_out *etl_out_new(const char *path, int append,
    struct etl_error *err);

/* One record as compact JSON plus "\n". */
int etl_out_record(struct etl_out *o, const json_t *rec, struct etl_error *err);
/* Bytes as they are; etl_out_line adds "\n". */
int etl_out_write(struct etl_out *o, const void *p, size_t n,
    struct etl_error *err);
int etl_out_line(struct etl_out *o, const char *p, size_t n,
    struct etl_error *err);
int etl_out_flush(struct etl_out *o, struct etl_error *err);

/* Flush and close, reporting a failure of either; frees o (NULL is ok). */
int etl_out_close(struct etl_out *o, struct etl_error *err);

#endif
