/* The PostgreSQL backend of the database layer (being written). */
#include "db_impl.h"

struct etl_db *
etlp_pg_open(const char *target, const struct etl_db_opts *opts,
    struct etl_error *err)
{
	(void)target;
	(void)opts;
	etl_error_set(err, ETL_ECONFIG, "PostgreSQL support is not built yet");
	return NULL;
}
