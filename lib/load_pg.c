/* The PostgreSQL strategy of the loader (being written). */
#include "load_impl.h"

int
etlp_load_pg(struct etl_loader *ld, struct etl_error *err)
{
	(void)ld;
	return etl_error_set(err, ETL_ECONFIG, "loading into PostgreSQL is "
	    "not built yet");
}

void
etlp_load_pg_free(struct etl_loader *ld)
{
	(void)ld;
}
